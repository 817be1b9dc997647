"""Demo data for `flask seed-demo`: institutions, a youth council, an account per role, cases in every state."""
from datetime import timedelta

from sqlalchemy import select

from participation.accounts.models import User
from participation.cases import services as cases
from participation.cases.models import Channel, OfflineSource, Position
from participation.clock import riga_today, utcnow
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
    ]
