"""The demo's co-created regulations: one process in each stage. Rēzekne's responder (rezekne.atbildes@example.lv) runs
Rēzekne's; the youth council is in every working group there. The adopted one credits the youth council's amendment,
a resident's idea, a private resident ("a resident") and a letter whose sender agreed to be named."""
from datetime import timedelta

from participation import clock
from participation.cases.models import OfflineSource, Position
from participation.clock import riga_today, set_fixed_now, utcnow
from participation.cocreation import services
from participation.cocreation.models import AmendmentKind, MemberRole
from participation.consultations import services as consultations

PETS = """Rēzeknes novada pašvaldības saistošie noteikumi
Par mājdzīvnieku turēšanu Rēzeknes novadā

1. Noteikumi nosaka mājdzīvnieku turēšanas kārtību Rēzeknes novada administratīvajā teritorijā.
2. Suņus publiskās vietās ved pavadā.
3. Suņa īpašnieks nekavējoties savāc sava suņa ekskrementus.
4. Pašvaldība ierīko suņu pastaigu laukumus katrā pagastā.
5. Noteikumi stājas spēkā nākamajā dienā pēc to publicēšanas.
"""
TREES = """Rēzeknes novada pašvaldības saistošie noteikumi
Par koku ciršanu ārpus meža zemes

1. Koku ciršanai ārpus meža zemes vajadzīga pašvaldības atļauja.
2. Pirms atļaujas izsniegšanas pašvaldība rīko publisku apspriešanu, ja cērt vairāk nekā piecus kokus.
3. Par katru nocirsto koku iestāda vismaz vienu jaunu koku tajā pašā pagastā.
"""
PLAYGROUNDS = """Rēzeknes novada pašvaldības saistošie noteikumi
Par bērnu rotaļu laukumu uzturēšanu

1. Noteikumi nosaka bērnu rotaļu laukumu uzturēšanas kārtību.
2. Rotaļu laukumus pārbauda reizi mēnesī.
3. Rotaļu laukumos aizliegts smēķēt.
"""


def _at(days_ago: float) -> None:
    set_fixed_now(_real_now - timedelta(days=days_ago))


def _lineage(process, number: str) -> int:
    version = services.current_version(process.id)
    return next(c.lineage for c in services.clauses_of(version.id) if c.number == number)


def seed_cocreation(rezekne, valmiera, staff, valmiera_staff, resident, senior, youth_leader, youth_member, council, moderator) -> None:
    global _real_now
    before = clock._fixed_now
    _real_now = utcnow()
    try:
        _adopted(rezekne, staff, resident, senior, youth_member, council)
        _consultation(rezekne, staff, resident, senior, youth_member, council)
        _drafting(rezekne, staff, resident, senior, youth_leader, youth_member, council)
        _ideas(rezekne, staff, resident, senior, youth_member, council)
        _stopped(valmiera, valmiera_staff, senior)
    finally:
        set_fixed_now(before)


def _dates(ideas: int, drafting: int, adoption: int):
    today = riga_today()
    return today + timedelta(days=ideas), today + timedelta(days=drafting), today + timedelta(days=adoption)


def _adopted(rezekne, staff, resident, senior, youth_member, council) -> None:
    _at(80)
    process = services.create_process(rezekne, staff, "Mājdzīvnieku turēšanas noteikumi",
                                      "Suņi ciematos skraida bez pavadas, un pagastos nav vietu, kur tos droši izvest pastaigā.",
                                      *_dates(14, 40, 75))
    services.add_member(process, MemberRole.MEMBER, group=council)
    services.add_member(process, MemberRole.ADVISER, user=senior)
    _at(78)
    grounds = services.post_idea(process, resident, "Suņu pastaigu laukumi pagastos",
                                 "Katrā pagastā vajag iežogotu laukumu, kur suni var palaist bez pavadas.")
    services.support_idea(grounds, senior)
    services.support_idea(grounds, youth_member)
    bags = services.post_idea(process, youth_member, "Maisiņu kastes pie pastaigu takām",
                              "Pie takām uzstādīt kastes ar maisiņiem ekskrementu savākšanai.", group=council)
    _at(70)
    services.answer_idea(bags, staff, Position.NOTED, "Kastes nav noteikumu jautājums; nodosim to labiekārtošanas nodaļai.")
    _at(64)
    services.publish_draft(process, staff, PETS, "Projekts ņem vērā ideju par suņu pastaigu laukumiem.")
    services.answer_idea(grounds, staff, Position.ACCEPTED, "Projekta 4. punkts uzliek pienākumu ierīkot laukumus katrā pagastā.",
                         _lineage(process, "4."))
    _at(60)
    youth = services.propose_amendment(
        process, _lineage(process, "2."), youth_member, AmendmentKind.REPLACE,
        "Suņus publiskās vietās ved pavadā, izņemot iežogotos suņu pastaigu laukumos.",
        "Laukumi ir ierīkoti tieši tam, lai suņi varētu skriet brīvi.", group=council)
    services.endorse(youth, resident)
    services.endorse(youth, senior)
    private = services.propose_amendment(
        process, _lineage(process, "5."), senior, AmendmentKind.REPLACE, "Noteikumi stājas spēkā 2027. gada 1. janvārī.",
        "Cilvēkiem vajag laiku sagatavoties, piemēram, iegādāties pavadas.", show_name=False)
    rejected = services.propose_amendment(process, _lineage(process, "3."), resident, AmendmentKind.DELETE, "",
                                          "Tas jau ir noteikts citos noteikumos.")
    letter = services.register_offline(process, staff, "amendment", OfflineSource.LETTER, riga_today() - timedelta(days=1),
                                       "Valentīna Sproģe", True, text="4.1. Laukumos ierīko soliņus un apgaismojumu.",
                                       lineage=_lineage(process, "4."), kind=AmendmentKind.ADD_AFTER,
                                       reason="Vakaros laukumos ir tumšs, un senioriem vajag kur apsēsties.")
    _at(50)
    services.decide_amendment(youth, staff, Position.ACCEPTED, "Pieņemts: laukumos suņus drīkst palaist bez pavadas.")
    services.decide_amendment(private, staff, Position.PARTLY_ACCEPTED,
                              "Daļēji: pietiek ar diviem mēnešiem pēc publicēšanas.",
                              "Noteikumi stājas spēkā divus mēnešus pēc to publicēšanas.")
    services.decide_amendment(rejected, staff, Position.NOT_ACCEPTED,
                              "Citos noteikumos tas nav noteikts; punkts paliek.")
    services.decide_amendment(letter, staff, Position.ACCEPTED, "Pieņemts: apgaismojums palielina drošību.")
    _at(38)
    consultation = services.open_consultation(process, staff, riga_today() + timedelta(days=16),
                                              "Suņi jāved pavadā, izņemot pastaigu laukumus, kas būs katrā pagastā.")
    _at(30)
    comment = consultations.add_comment(consultation, resident, "Lūdzu laukumus ierīkot arī pie skolām, ne tikai pagastu centros.")
    _at(15)
    consultations.process_closed(consultation)
    _at(14)
    consultations.record_position(comment, staff, Position.ACCEPTED, "Ņemts vērā: laukumus ierīkos arī pie skolām.")
    # The text sent to the council takes the comment; adoption brings this version back into the process.
    from participation.consultations.splitter import join_sections

    final = join_sections(services.clauses_of(services.current_version(process.id).id)).replace(
        "suņu pastaigu laukumus katrā pagastā.", "suņu pastaigu laukumus katrā pagastā un pie skolām.")
    consultations.publish_version(consultation, staff, final, "Pēc apspriešanas: laukumi arī pie skolām.")
    _at(12)
    services.adopt(process, staff, "Nr. 14 (prot. Nr. 9, 5. p.)", riga_today())


def _consultation(rezekne, staff, resident, senior, youth_member, council) -> None:
    _at(40)
    process = services.create_process(rezekne, staff, "Koku ciršana ārpus meža zemes",
                                      "Ciematos nocērt vecus kokus, un iedzīvotāji par to uzzina tikai pēc tam.",
                                      *_dates(10, 35, 60))
    services.add_member(process, MemberRole.MEMBER, group=council)
    _at(38)
    idea = services.post_idea(process, senior, "Apspriešana pirms ciršanas", "Par katru lielu koku jājautā kaimiņiem.")
    _at(31)
    services.answer_idea(idea, staff, Position.PARTLY_ACCEPTED, "Apspriešana būs, ja cērt vairāk nekā piecus kokus.")
    _at(29)
    services.publish_draft(process, staff, TREES)
    _at(20)
    amendment = services.propose_amendment(process, _lineage(process, "3."), youth_member, AmendmentKind.REPLACE,
                                           "Par katru nocirsto koku iestāda vismaz divus jaunus kokus tajā pašā pagastā.",
                                           "Jauns koks dod mazāk ēnas nekā vecs.", group=council)
    _at(15)
    services.decide_amendment(amendment, staff, Position.ACCEPTED, "Pieņemts.")
    _at(2)
    services.open_consultation(process, staff, riga_today() + timedelta(days=20),
                               "Koku ciršanai vajadzēs atļauju, un par katru nocirsto koku iestādīs divus jaunus.")


def _drafting(rezekne, staff, resident, senior, youth_leader, youth_member, council) -> None:
    _at(25)
    process = services.create_process(rezekne, staff, "Sabiedriskā kārtība Rēzeknes novadā",
                                      "Noteikumi par naktsmieru un labiekārtojuma bojāšanu ir novecojuši.", *_dates(15, 30, 60))
    services.add_member(process, MemberRole.MEMBER, group=council)
    _at(24)
    services.post_idea(process, resident, "Naktsmiers no 23.00", "Naktsmieru sākt plkst. 23.00, ne 22.00.")
    _at(6)
    services.publish_draft(process, staff, """Rēzeknes novada pašvaldības saistošie noteikumi
Par sabiedrisko kārtību

1. Noteikumi nosaka sabiedriskās kārtības prasības novada teritorijā.
2. Aizliegts traucēt naktsmieru no plkst. 23.00 līdz 7.00.
3. Aizliegts bojāt soliņus, apgaismojumu un citus labiekārtojuma elementus.
""")
    _at(3)
    youth = services.propose_amendment(process, _lineage(process, "2."), youth_member, AmendmentKind.REPLACE,
                                       "Aizliegts traucēt naktsmieru no plkst. 23.00 līdz 7.00, izņemot Jāņu naktī.",
                                       "Jāņu naktī svin visi.", group=council)
    services.endorse(youth, resident)
    services.propose_amendment(process, _lineage(process, "3."), senior, AmendmentKind.ADD_AFTER,
                               "4. Bojāto labiekārtojuma elementu atjaunošanas izmaksas sedz vainīgā persona.",
                               "Lai bojātājs atbild par zaudējumiem.")
    services.propose_amendment(process, _lineage(process, "1."), resident, AmendmentKind.REPLACE,
                               "Noteikumi nosaka sabiedriskās kārtības prasības visā novada teritorijā, arī mežos.",
                               "Lai nebūtu šaubu par mežiem.", show_name=False)


def _ideas(rezekne, staff, resident, senior, youth_member, council) -> None:
    _at(3)
    process = services.create_process(rezekne, staff, "Bērnu rotaļu laukumu uzturēšana",
                                      "Rotaļu laukumi pagastos ir nolietoti, un nav skaidrs, kurš par tiem atbild.",
                                      *_dates(18, 45, 90))
    services.add_member(process, MemberRole.MEMBER, group=council)
    _at(2)
    swings = services.post_idea(process, senior, "Pārbaudes reizi mēnesī", "Laukumi jāpārbauda reizi mēnesī, un pārbaudes akts jāpublicē.")
    services.support_idea(swings, resident)
    services.post_idea(process, youth_member, "Laukumi arī pusaudžiem", "Pie rotaļu laukumiem vajag vietu arī pusaudžiem.", group=council)
    _at(1)
    services.answer_idea(swings, staff, Position.ACCEPTED, "Iekļausim šo prasību noteikumu projektā.")


def _stopped(valmiera, staff, senior) -> None:
    _at(30)
    process = services.create_process(valmiera, staff, "Reklāmas izvietošana publiskās vietās",
                                      "Reklāmas stendi aizsedz skatu uz vecpilsētu.", *_dates(14, 40, 70))
    services.post_idea(process, senior, "Mazāk stendu vecpilsētā", "Vecpilsētā atļaut tikai afišu stabus.")
    _at(10)
    services.stop(process, staff, "Jautājumu regulēs jaunais valsts likums par reklāmu; pašvaldības noteikumi nav vajadzīgi.")


_real_now = None
