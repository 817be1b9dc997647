"""Draft text for consultations: splitting a Latvian legal draft into sections, and the word diff between versions."""
import dataclasses

import pytest
from markupsafe import Markup

from participation.consultations.diff import has_changes, word_diff
from participation.consultations.splitter import SectionDraft, join_sections, split_sections

REGULATION = """RĒZEKNES NOVADA PAŠVALDĪBA
Saistošie noteikumi Nr. 5
Rēzeknē
2026. gada 15. janvārī

Par pašvaldības ceļu uzturēšanu
Izdoti saskaņā ar Pašvaldību likuma
44. panta otro daļu

I. Vispārīgie jautājumi

1. Saistošie noteikumi nosaka kārtību, kādā uztur:
1) pašvaldības ceļus;
2) pašvaldības ielas.
2. Noteikumi attiecas uz:
2.1. fiziskām personām;
2.2. juridiskām personām.

II. nodaļa. Noslēguma jautājumi

3. Saistošie noteikumi stājas spēkā 2026. gada 1. janvārī.



Līdz tam piemēro kārtību, kas bija spēkā līdz
2026. gada 1. janvārim.

1. pielikums Rēzeknes novada domes 2026. gada 15. janvāra saistošajiem noteikumiem Nr. 5
Uzturamo ielu saraksts
1) Dārza iela;
2) Skolas iela.
"""

REGULATION_SECTIONS = [
    SectionDraft("", "", "RĒZEKNES NOVADA PAŠVALDĪBA\nSaistošie noteikumi Nr. 5\nRēzeknē\n2026. gada 15. janvārī\n\n"
                         "Par pašvaldības ceļu uzturēšanu\nIzdoti saskaņā ar Pašvaldību likuma\n44. panta otro daļu"),
    SectionDraft("", "I. Vispārīgie jautājumi", ""),
    SectionDraft("1.", "", "Saistošie noteikumi nosaka kārtību, kādā uztur:\n1) pašvaldības ceļus;\n2) pašvaldības ielas."),
    SectionDraft("2.", "", "Noteikumi attiecas uz:"),
    SectionDraft("2.1.", "", "fiziskām personām;"),
    SectionDraft("2.2.", "", "juridiskām personām."),
    SectionDraft("", "II. nodaļa. Noslēguma jautājumi", ""),
    SectionDraft("3.", "", "Saistošie noteikumi stājas spēkā 2026. gada 1. janvārī.\n\n"
                           "Līdz tam piemēro kārtību, kas bija spēkā līdz\n2026. gada 1. janvārim."),
    SectionDraft("", "1. pielikums Rēzeknes novada domes 2026. gada 15. janvāra saistošajiem noteikumiem Nr. 5",
                 "Uzturamo ielu saraksts\n1) Dārza iela;\n2) Skolas iela."),
]

MARKDOWN = """# Grozījumi nolikumā

Ievads par grozījumu mērķi.

## Vispārīgie noteikumi

1. Pirmais punkts.
2. Otrais punkts
turpinās nākamajā rindā.

### Pielikumi ###
"""


def test_regulation_splits_into_preamble_chapters_points_and_annex():
    assert split_sections(REGULATION) == REGULATION_SECTIONS


def test_markdown_headings_start_sections_and_points_follow():
    assert split_sections(MARKDOWN) == [
        SectionDraft("", "Grozījumi nolikumā", "Ievads par grozījumu mērķi."),
        SectionDraft("", "Vispārīgie noteikumi", ""),
        SectionDraft("1.", "", "Pirmais punkts."),
        SectionDraft("2.", "", "Otrais punkts\nturpinās nākamajā rindā."),
        SectionDraft("", "Pielikumi", ""),
    ]


def test_windows_newlines_control_characters_and_trailing_spaces_are_cleaned():
    source = "Nolikums   \r\n1. Pirmais\x00 punkts.\t \r\notrā rinda\r2.\x07 Otrais punkts.\r\n"
    assert split_sections(source) == [
        SectionDraft("", "", "Nolikums"),
        SectionDraft("1.", "", "Pirmais punkts.\notrā rinda"),
        SectionDraft("2.", "", "Otrais punkts."),
    ]


@pytest.mark.parametrize("source", ["", "   \n\t\n\r\n", "\x00\x01"])
def test_blank_input_gives_no_sections(source):
    assert split_sections(source) == []


def test_text_without_any_point_is_one_section():
    assert split_sections("  Tikai viens teikums bez punktiem.\n") == [
        SectionDraft("", "", "Tikai viens teikums bez punktiem.")
    ]


def test_deep_points_count_but_years_references_and_enumerations_do_not():
    source = (
        "5.1.2.4. Četru līmeņu apakšpunkts\n"
        "2026. gads\n"
        "15. janvārī\n"
        "12. punktā minētais\n"
        "1.1 bez noslēdzošā punkta\n"
        "1.2.3.4.5. pieci līmeņi\n"
        "a) burts\n"
        "1) cipars\n"
        "12. Divciparu punkts\n"
        "123.\n"
        "punkts bez teksta tā rindā"
    )
    assert split_sections(source) == [
        SectionDraft("5.1.2.4.", "", "Četru līmeņu apakšpunkts\n2026. gads\n15. janvārī\n12. punktā minētais\n"
                                     "1.1 bez noslēdzošā punkta\n1.2.3.4.5. pieci līmeņi\na) burts\n1) cipars"),
        SectionDraft("12.", "", "Divciparu punkts"),
        SectionDraft("123.", "", "punkts bez teksta tā rindā"),
    ]


def test_annex_lines_are_headings_not_points():
    sections = split_sections("1. Punkts.\nPielikums\nTabula\n2.pielikums\n1. Pielikuma punkts.")
    assert [(s.number, s.heading, s.text) for s in sections] == [
        ("1.", "", "Punkts."),
        ("", "Pielikums", "Tabula"),
        ("", "2.pielikums", ""),
        ("1.", "", "Pielikuma punkts."),
    ]


def test_section_draft_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        REGULATION_SECTIONS[0].text = "cits"


def test_join_sections_reads_like_a_draft():
    assert join_sections(split_sections(MARKDOWN)) == (
        "# Grozījumi nolikumā\nIevads par grozījumu mērķi.\n\n# Vispārīgie noteikumi\n\n"
        "1. Pirmais punkts.\n\n2. Otrais punkts\nturpinās nākamajā rindā.\n\n# Pielikumi"
    )


@pytest.mark.parametrize("source", [
    REGULATION,
    MARKDOWN,
    "# 1. Ievads\nHeading that looks like a point.\n\n4.\n\nTeksts nākamajā rindā.",
])
def test_join_then_split_gives_back_the_same_sections(source):
    sections = split_sections(source)
    assert split_sections(join_sections(sections)) == sections


def test_unchanged_text_is_only_escaped():
    assert word_diff("Maksa ir 5 eiro.", "Maksa ir 5 eiro.") == Markup("Maksa ir 5 eiro.")


def test_changed_word():
    assert word_diff("Maksa ir 5 eiro mēnesī.", "Maksa ir 7 eiro mēnesī.") == Markup(
        "Maksa ir <del>5</del><ins>7</ins> eiro mēnesī."
    )


def test_neighbouring_changed_words_read_as_one_change():
    assert word_diff("uztur pašvaldības ceļus;", "uztur valsts autoceļus;") == Markup(
        "uztur <del>pašvaldības ceļus</del><ins>valsts autoceļus</ins>;"
    )


def test_added_sentence():
    assert word_diff("Stājas spēkā.", "Stājas spēkā. Piemēro no 2027. gada.") == Markup(
        "Stājas spēkā.<ins> Piemēro no 2027. gada.</ins>"
    )


def test_removed_word():
    assert word_diff("fiziskām un juridiskām personām", "fiziskām personām") == Markup(
        "fiziskām <del>un juridiskām </del>personām"
    )


def test_only_the_punctuation_changes():
    assert word_diff("2026. gadā, ja", "2026. gadā; ja") == Markup("2026. gadā<del>,</del><ins>;</ins> ja")


def test_html_special_characters_are_escaped():
    assert word_diff("A & B", "A & <script>alert(1)</script>") == Markup(
        "A &amp; <del>B</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>"
    )
    assert word_diff("<b>", "<b>") == Markup("&lt;b&gt;")


def test_newlines_become_line_breaks():
    assert word_diff("1) ceļi;\n2) ielas.", "1) ceļi;\n2) ielas;\n3) laukumi.") == Markup(
        "1) ceļi;<br>2) ielas<ins>;<br>3) laukumi</ins>."
    )
    assert word_diff("a\r\nb", "a\nb") == Markup("a<br>b")


def test_one_changed_word_in_a_long_section_is_one_change():
    old = " ".join(f"Teikums numur {n} un tā turpinājums." for n in range(100))
    html = word_diff(old, old.replace("numur 50 ", "numurs 50 "))
    assert html.count("<del>") == html.count("<ins>") == 1
    assert "numur 49 " in html and "<del>numur</del><ins>numurs</ins> 50 un" in html


def test_has_changes_ignores_whitespace_only():
    assert not has_changes("Maksa ir\n5 eiro. ", "Maksa  ir 5\teiro.")
    assert has_changes("Maksa ir 5 eiro.", "Maksa ir 5 eiro;")
    assert has_changes("", "Jauns punkts.")
    assert not has_changes("", "  \n")


@pytest.mark.parametrize("signature", [
    "Domes priekšsēdētājs J. Bērziņš",
    "Ministrs Jānis Bērziņš",
    "Priekšsēdētāja I. Kalniņa-Ozola",
    "Ministrs\nJ. Bērziņš",
    "Rēzeknes novada domes priekšsēdētājs\nMonvīds Švarcs",
])
def test_a_signature_after_the_last_point_is_not_part_of_it(signature):
    sections = split_sections(f"1. Noteikumi nosaka kārtību.\n2. Noteikumi stājas spēkā nākamajā dienā.\n\n{signature}\n")
    assert [(s.number, s.text) for s in sections] == [
        ("1.", "Noteikumi nosaka kārtību."), ("2.", "Noteikumi stājas spēkā nākamajā dienā."), ("", signature)]


def test_a_signature_before_an_annex_is_kept_out_of_the_point_and_the_annex_follows():
    sections = split_sections("1. Punkts.\n\nDomes priekšsēdētājs J. Bērziņš\n\n1. pielikums\nTabula")
    assert [(s.number, s.heading, s.text) for s in sections] == [
        ("1.", "", "Punkts."), ("", "", "Domes priekšsēdētājs J. Bērziņš"), ("", "1. pielikums", "Tabula")]


@pytest.mark.parametrize("line", [
    "Ministru kabinets nosaka cenu",  # a sentence of the point that starts with an office's word
    "Valsts sekretāra vietnieks",  # an office with no name after it
    "Ministrs nosaka kārtību.",
])
def test_a_point_that_names_an_office_keeps_its_lines(line):
    sections = split_sections(f"1. Punkts nosaka,\n{line}\nun termiņus.")
    assert len(sections) == 1 and line in sections[0].text


def test_a_label_made_from_text_is_cut_at_a_word_boundary_with_an_ellipsis():
    from participation.consultations.models import section_choice_label, section_label, shorten

    text = "Pagasta pārvalde pieņem apmeklētājus darba dienās no deviņiem rītā līdz pieciem vakarā"
    assert shorten(text, 40) == "Pagasta pārvalde pieņem apmeklētājus…"
    assert section_label("", "", text).endswith("…") and text.startswith(section_label("", "", text)[:-1])
    assert section_label("", "", "Īss teksts.") == "Īss teksts."
    assert section_choice_label("2.", "", text).startswith("2. Pagasta pārvalde") and section_choice_label("2.", "", text) != "2."
    assert section_choice_label("", "II. Maksas", "x") == "II. Maksas"
