"""Demo data for `flask seed-demo`: institutions, a youth council, an account per role, cases in every state."""
from datetime import timedelta

from sqlalchemy import select

from participation.accounts.models import User
from participation.cases import services as cases
from participation.cases.models import Channel, OfflineSource, Position
from participation.clock import riga_today, to_riga, utcnow
from participation.extensions import db
from participation.groups import services as groups
from participation.groups.models import GroupKind
from participation.institutions import services as institutions
from participation.institutions.models import Institution, InstitutionKind, StaffRole
from participation.proposals import services as proposals

DEMO_PASSWORD = "demo-parole-2026"


def _user(email: str, name: str, **flags) -> User:
    user = User(email=email, display_name=name, locale="lv", email_verified_at=utcnow(), **flags)
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    return user


def seed_demo() -> list[tuple[str, str]] | None:
    """Create the demo once; returns the accounts, or None when the demo is already there."""
    if db.session.scalar(select(Institution.id).limit(1)) is not None:
        return None

    admin = _user("admin@example.lv", "Platformas administrators", is_admin=True)
    moderator = _user("moderator@example.lv", "Mārtiņš Moderators", is_moderator=True)
    ministry_admin = _user("ministrija.admin@example.lv", "Ilze Kalniņa")
    ministry_responder = _user("ministrija.atbildes@example.lv", "Jānis Ozols")
    ministry_editor = _user("ministrija.redaktors@example.lv", "Līga Liepa")
    rezekne_responder = _user("rezekne.atbildes@example.lv", "Olga Vasiļjeva")
    valmiera_responder = _user("valmiera.atbildes@example.lv", "Edgars Priede")
    resident = _user("iedzivotajs@example.lv", "Anna Bērziņa")
    resident_2 = _user("seniors@example.lv", "Pēteris Kalējs")
    youth_leader = _user("jauniesi.vaditaja@example.lv", "Elza Krūmiņa")
    youth_member = _user("jauniesis@example.lv", "Roberts Zariņš")
    youth_applicant = _user("pieteicejs@example.lv", "Kristiāna Lāce")
    db.session.commit()

    ministry = institutions.create_institution(
        "varam",
        "Viedās administrācijas un reģionālās attīstības ministrija",
        InstitutionKind.MINISTRY,
        "Ministrija atbild par valsts pārvaldes modernizāciju, reģionālo attīstību un pašvaldību darbu.",
        "https://www.varam.gov.lv",
    )
    rezekne = institutions.create_institution(
        "rezeknes-novads", "Rēzeknes novada pašvaldība", InstitutionKind.MUNICIPALITY,
        "Pašvaldība Latgalē: 25 pagasti un Viļāni.", "https://www.rezeknesnovads.lv",
    )
    valmiera = institutions.create_institution(
        "valmieras-novads", "Valmieras novada pašvaldība", InstitutionKind.MUNICIPALITY,
        "Pašvaldība Vidzemē.", "https://www.valmierasnovads.lv",
    )
    institutions.add_staff(ministry, ministry_admin, StaffRole.ADMIN)
    institutions.add_staff(ministry, ministry_responder, StaffRole.RESPONDER)
    institutions.add_staff(ministry, ministry_editor, StaffRole.EDITOR)
    institutions.add_staff(rezekne, rezekne_responder, StaffRole.RESPONDER)
    institutions.add_staff(valmiera, valmiera_responder, StaffRole.RESPONDER)

    council = groups.create_group(
        youth_leader, "Rēzeknes novada jauniešu dome", GroupKind.YOUTH_COUNCIL,
        "Jaunieši no Rēzeknes novada pagastiem, kas runā līdzi par to, kas notiek novadā.",
    )
    groups.approve_member(groups.request_membership(council, youth_member))
    groups.request_membership(council, youth_applicant)

    now = utcnow()
    days_ago = lambda n: now - timedelta(days=n)  # noqa: E731

    # Open, received today.
    cases.open_case(ministry, Channel.PROPOSAL, "Vienota pieteikšanās pašvaldību pakalpojumiem vienā vietnē",
                    raised_by=resident, received_at=now, body="Lūdzu izveidot vienu vietni visu pašvaldību pakalpojumiem.")
    # Overdue: received long ago, still without an answer.
    cases.open_case(rezekne, Channel.PROPOSAL, "Apgaismojums gājēju celiņam Viļānos",
                    raised_by=resident_2, received_at=days_ago(40))
    # From the youth council, answered.
    skatepark = cases.open_case(rezekne, Channel.PROPOSAL, "Skeitparks Maltā", raised_by=youth_member,
                                raised_by_group=council, received_at=days_ago(12))
    cases.answer_case(skatepark, rezekne_responder, Position.PARTLY_ACCEPTED,
                      "Skeitparka būvniecību iekļaujam 2027. gada budžeta projektā; vietu izvēlēsimies kopā ar jauniešu domi.")
    # Answered, then corrected: the first answer stays in the log as superseded.
    buses = cases.open_case(ministry, Channel.PROPOSAL, "Reģionālo autobusu saraksti atvērto datu portālā",
                            raised_by=resident, received_at=days_ago(9))
    first = cases.answer_case(buses, ministry_responder, Position.NOT_ACCEPTED,
                              "Saraksti jau ir pieejami pārvadātāju vietnēs.")
    cases.correct_response(first, ministry_responder, Position.ACCEPTED,
                           "Labojums: saraksti tiks publicēti data.gov.lv līdz 2027. gada martam.")
    # Extended.
    library = cases.open_case(valmiera, Channel.PROPOSAL, "Bibliotēkas darba laiks sestdienās",
                              raised_by=resident_2, received_at=days_ago(5))
    cases.extend_case(library, valmiera_responder, cases.extension_limit(library),
                      "Jāsaņem bibliotēku tīkla viedoklis par darbinieku noslodzi.")
    # Forwarded from the ministry to the municipality that is competent.
    road = cases.open_case(ministry, Channel.PROPOSAL, "Grants ceļa remonts Kaunatas pagastā",
                           raised_by=resident, received_at=days_ago(2))
    cases.forward_case(road, ministry_responder, rezekne, "Pašvaldības ceļi ir pašvaldības kompetencē.")
    # Not examined.
    anonymous = cases.open_case(valmiera, Channel.FEEDBACK, "Anonīms ziņojums bez satura", received_at=days_ago(3))
    cases.mark_not_examined(anonymous, valmiera_responder,
                            "Iesniegumu likuma 5. panta otrā daļa: iesniegumā nav norādīts iesniedzējs un saturs nav saprotams.")
    # Received offline at a library.
    cases.register_offline(rezekne, "Soliņi pie Lūznavas muižas parka", "Iedzīvotāja klātienē bibliotēkā lūdza uzstādīt soliņus.",
                           OfflineSource.IN_PERSON, riga_today() - timedelta(days=1), "Valentīna S.")

    # Proposals: a collective threshold in Rēzekne, pre-moderation in Valmiera.
    proposals.save_settings(rezekne, premoderation=False, threshold=5, days=60)
    proposals.save_settings(valmiera, premoderation=True, threshold=None, days=None)
    summer_jobs = proposals.save_draft(youth_member, rezekne, council, {
        "title": "Vasaras darbs jauniešiem pagastu pārvaldēs",
        "problem": "Jauniešiem pagastos vasarā nav darba, un daudzi aizbrauc uz Rīgu.",
        "solution": "Katrā pagasta pārvaldē piedāvāt divas vasaras darba vietas skolēniem no 15 gadiem.",
        "benefit": "Jaunieši iegūst pirmo darba pieredzi un paliek novadā.",
        "territory": "Rēzeknes novads", "topics": ["youth", "economy"]})
    proposals.submit(summer_jobs, youth_member)
    for person in (resident, resident_2, youth_leader):
        proposals.support(summer_jobs, person, notify=True)
    data_portal = proposals.save_draft(resident, ministry, None, {
        "title": "Pašvaldību budžeti atvērto datu portālā",
        "problem": "Pašvaldību budžetus var atrast tikai PDF failos.",
        "solution": "Publicēt visu pašvaldību budžetus mašīnlasāmā formā data.gov.lv.",
        "territory": "Latvija", "topics": ["digital", "governance"]})
    proposals.submit(data_portal, resident)
    proposals.support(data_portal, resident_2)
    cases.answer_case(data_portal.case, ministry_responder, Position.ACCEPTED,
                      "Atbalstām. Ministrija sagatavos vienotu budžeta datu formātu.")
    cases.record_implementation(data_portal.case, ministry_responder,
                                "Budžeti publicēti data.gov.lv sadaļā \"Pašvaldību finanses\".", riga_today())
    waiting = proposals.save_draft(resident_2, valmiera, None, {
        "title": "Soliņi gar Gaujas krastu", "problem": "Gar upi nav kur apsēsties.",
        "solution": "Uzstādīt soliņus ik pēc 300 metriem.", "territory": "Valmieras novads", "topics": ["environment"]})
    proposals.submit(waiting, resident_2)  # waits for a moderator
    proposals.save_draft(resident, rezekne, None, {"title": "Melnraksts: autobuss uz Maltu svētdienās"})

    open_now = _demo_consultations(rezekne, valmiera, ministry, ministry_editor, rezekne_responder, valmiera_responder,
                                   [resident, resident_2, youth_member, youth_leader], council, moderator)
    _demo_moderation(open_now, moderator, ministry_editor, [resident, resident_2, youth_member], summer_jobs)
    from participation.feedback.demo import seed_feedback

    seed_feedback(rezekne, ministry_editor, rezekne_responder, moderator)  # website feedback on http://localhost:8001
    from participation.cocreation.demo import seed_cocreation

    seed_cocreation(rezekne, valmiera, rezekne_responder, valmiera_responder, resident, resident_2, youth_leader, youth_member,
                    council, moderator)  # co-created regulations, one process in each stage (issue 16)
    from participation.institutions.charts_demo import seed_history

    seed_history([(rezekne, rezekne_responder, 6), (valmiera, valmiera_responder, 3), (ministry, ministry_responder, 10)],
                 [resident, resident_2, youth_member])  # a year of answers for the figures' charts (issue 19)
    from participation.follows.demo import seed_follows

    seed_follows(resident, rezekne, council)  # follows and a digest line waiting (issue 18)

    return [
        ("platform administrator", admin.email),
        ("moderator", moderator.email),
        ("ministry: institution administrator", ministry_admin.email),
        ("ministry: responder", ministry_responder.email),
        ("ministry: editor", ministry_editor.email),
        ("Rēzekne municipality: responder", rezekne_responder.email),
        ("Valmiera municipality: responder", valmiera_responder.email),
        ("resident", resident.email),
        ("resident (senior)", resident_2.email),
        ("youth council leader", youth_leader.email),
        ("youth council member", youth_member.email),
        ("youth council applicant (pending)", youth_applicant.email),
        ("resident blocked for 7 days", "trollis@example.lv"),
    ]


REGULATION = """Rēzeknes novada pašvaldības saistošie noteikumi
Par sabiedrisko kārtību Rēzeknes novadā

Izdoti saskaņā ar Pašvaldību likuma 44. panta otro daļu

I. Vispārīgie jautājumi
1. Noteikumi nosaka sabiedriskās kārtības prasības Rēzeknes novada administratīvajā teritorijā.
2. Noteikumi attiecas uz visām personām, kas atrodas novada teritorijā.

II. Kārtība publiskās vietās
3. Publiskās vietās aizliegts:
1) traucēt naktsmieru no plkst. 23.00 līdz 7.00;
2) bojāt soliņus, apgaismojumu un citus labiekārtojuma elementus.
4. Mājas dzīvniekus publiskās vietās ved pavadā.

III. Noslēguma jautājums
5. Noteikumi stājas spēkā 2027. gada 1. janvārī.
"""


def _demo_consultations(rezekne, valmiera, ministry, editor, rezekne_responder, valmiera_responder, people, council, moderator):
    """An open consultation with comments, a closed one awaiting positions, and a finished one with its
    summary table and version 2. The clock is moved back to let the older ones open and close."""
    from datetime import date, datetime

    from participation.clock import set_fixed_now
    from participation.consultations import services as consultations
    from participation.institutions.models import StaffRole
    from participation.moderation import services as moderation

    for institution in (rezekne, valmiera):
        institutions.add_staff(institution, editor, StaffRole.EDITOR)
    fields = {"kind": "municipal_regulation", "policy_area": "governance", "official_name": "Ilze Kalniņa",
              "official_contact": "ilze.kalnina@example.lv", "problem": "Spēkā esošie noteikumi ir no 2012. gada un neatbilst jaunajam Pašvaldību likumam.",
              "goal": "Vienoti, saprotami sabiedriskās kārtības noteikumi visā novadā."}
    real_now = utcnow()
    try:
        # Finished: open in September, closed in October, positions given, version 2 published.
        set_fixed_now(datetime(2026, 9, 1, 7, 0))
        finished = consultations.save_draft(valmiera, editor, {**fields, "title": "Valmieras novada sabiedriskās kārtības noteikumi",
                                                               "territory": "Valmieras novads",
                                                               "summary": "Jaunie noteikumi nosaka, kad jāievēro naktsmiers un ka suņus ved pavadā."},
                                            REGULATION.replace("Rēzeknes", "Valmieras"))
        consultations.publish(finished, datetime(2026, 9, 1, 9, 0), date(2026, 9, 30))
        set_fixed_now(datetime(2026, 9, 10, 10, 0))
        sections = {s.number: s for s in finished.versions[0].sections}
        c1 = consultations.add_comment(finished, people[0], "Naktsmiers līdz 7.00 brīvdienās ir par agru; lūdzu līdz 8.00.", sections["3."])
        c2 = consultations.add_comment(finished, people[1], "Lūdzu paredzēt izņēmumu suņu pastaigu laukumos.", sections["4."], show_name=False)
        for comment in (c1, c2):  # Valmiera pre-moderates
            moderation.approve(comment, moderator)
        set_fixed_now(datetime(2026, 10, 2, 8, 0))
        consultations.process_closed(finished)
        consultations.record_position(c1, valmiera_responder, Position.PARTLY_ACCEPTED, "Brīvdienās naktsmiers būs līdz 8.00.")
        consultations.record_position(c2, valmiera_responder, Position.ACCEPTED, "Pastaigu laukumos suņus drīkst palaist brīvi.")
        version_2 = REGULATION.replace("Rēzeknes", "Valmieras").replace(
            "no plkst. 23.00 līdz 7.00;", "no plkst. 23.00 līdz 7.00, brīvdienās līdz 8.00;").replace(
            "ved pavadā.", "ved pavadā, izņemot suņu pastaigu laukumus.")
        consultations.publish_version(finished, editor, version_2, "Precizēts naktsmiera laiks un suņu pastaigu laukumi.")
        # Closed, awaiting positions.
        set_fixed_now(datetime(2026, 10, 20, 7, 0))
        closed = consultations.save_draft(rezekne, editor, {**fields, "title": "Rēzeknes novada pašvaldības nolikuma grozījumi",
                                                            "territory": "Rēzeknes novads", "kind": "other",
                                                            "summary": "Pagastu pārvalžu darba laiki būs vienādi visā novadā."},
                                          "1. Pagastu pārvaldes strādā no pirmdienas līdz piektdienai.\n2. Pieņemšanas laiks ir vismaz 2 stundas dienā.")
        consultations.publish(closed, datetime(2026, 10, 20, 9, 0), date(2026, 11, 19))
        set_fixed_now(datetime(2026, 11, 2, 12, 0))
        consultations.add_comment(closed, people[2], "Lūdzu vienu vakaru nedēļā strādāt līdz 19.00.", closed.versions[0].sections[1], group=council)
        consultations.add_comment(closed, people[3], "Labs priekšlikums.")
    finally:
        set_fixed_now(None)
    # Open now, with comments.
    start = to_riga(real_now).replace(tzinfo=None) - timedelta(days=3)
    open_now = consultations.save_draft(rezekne, editor, {**fields, "title": "Rēzeknes novada sabiedriskās kārtības noteikumi",
                                                          "territory": "Rēzeknes novads",
                                                          "summary": "Jaunie noteikumi nosaka, kad jāievēro naktsmiers, un ka suņi publiskās vietās jāved pavadā. Jūsu viedoklis palīdzēs noteikumus padarīt skaidrākus."},
                                        REGULATION)
    consultations.publish(open_now, start, None)
    sections = {s.number: s for s in open_now.versions[0].sections}
    first = consultations.add_comment(open_now, people[0], "Vai 3. punkts attiecas arī uz privātmājām?", sections["3."])
    consultations.add_comment(open_now, people[1], "Jā, tā es saprotu.", parent=first)
    consultations.add_comment(open_now, people[2], "Lūdzu pievienot aizliegumu smēķēt bērnu laukumos.", represents="Rēzeknes novada jauniešu dome", group=council)
    # Being prepared: text and sections done, the plain-language summary still missing (My drafts, the task list).
    consultations.save_draft(rezekne, editor, {**fields, "title": "Rēzeknes novada kapsētu uzturēšanas noteikumi",
                                               "territory": "Rēzeknes novads", "summary": "",
                                               "problem": "Kapsētu uzturēšanas kārtība pagastos nav vienota.",
                                               "goal": "Vienoti noteikumi visām novada kapsētām."},
                             "1. Noteikumi nosaka kapsētu uzturēšanas kārtību Rēzeknes novadā.\n"
                             "2. Kapsētas apsaimnieko pagasta pārvalde.\n3. Kapsētas ir atvērtas katru dienu no 8.00 līdz 20.00.")
    return open_now


def _demo_moderation(open_now, moderator, editor, people, proposal):
    """Reported, hidden, highlighted and pre-moderated contributions, and a blocked account."""
    from participation.consultations import services as consultations
    from participation.moderation import services as moderation
    from participation.moderation.models import HideReason, ReportReason

    troll = _user("trollis@example.lv", "Kārlis Kurmis")
    db.session.commit()
    sections = {s.number: s for s in open_now.versions[0].sections}
    spam = consultations.add_comment(open_now, troll, "Lētākie kredīti bez pārbaudes! Zvaniet 20000000.", sections["4."])
    moderation.report(spam, people[0], ReportReason.SPAM)
    moderation.report(spam, people[1], ReportReason.SPAM, "Reklāma, nevis viedoklis.")
    leaked = consultations.add_comment(open_now, troll, "Kaimiņš Jānis no Ezera ielas 5-12 (tālr. 29999999) trokšņo katru nakti.", sections["3."])
    moderation.report(leaked, people[1], ReportReason.PERSONAL_DATA)
    moderation.hide(leaked, moderator, HideReason.PERSONAL_DATA, "Adrese un tālrunis.")
    moderation.block(troll, moderator, 7, HideReason.SPAM, "Atkārtota reklāma.")
    useful = consultations.add_comment(open_now, people[2], "Derētu noteikt, ka naktsmiers neattiecas uz Jāņu nakti.", sections["3."])
    moderation.set_highlight(useful, moderator, True)
    off_topic = consultations.add_comment(open_now, people[0], "Kad beidzot salabos ceļu uz Maltu?")
    moderation.report(off_topic, people[2], ReportReason.OFF_TOPIC)
    # The editor switched pre-moderation on for a while: one comment waits for a moderator.
    open_now.premoderation = True
    db.session.commit()
    consultations.add_comment(open_now, people[1], "Vai naktsmiera laiku var pārbaudīt policija?", sections["3."])
    open_now.premoderation = False
    db.session.commit()
    moderation.report(proposal, people[1], ReportReason.OTHER, "Vai šis nav dublikāts?")
