"""Consultation attachments (type by content, random stored names) and the Atom and iCalendar outputs."""
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime
from types import SimpleNamespace

import icalendar
import pytest
from flask_babel import force_locale

from participation import create_app
from participation.clock import RIGA, set_fixed_now
from participation.storage import LocalStorage
from participation.consultations.attachments import (
    ALLOWED,
    AttachmentRefused,
    open_attachment,
    sniff_kind,
    store_attachment,
)
from participation.consultations.feeds import atom_feed, closing_dates_calendar

MB = 1024 * 1024
ATOM = "{http://www.w3.org/2005/Atom}"

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def zip_bytes(entries: list[tuple[str, bytes]], first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(entries):
            method = zipfile.ZIP_STORED if first_stored and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=method)
    return buffer.getvalue()


DOCX_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Override PartName="/word/document.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
DOCX_RELATIONSHIPS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)
DOCX_DOCUMENT = (
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Projekts</w:t></w:r></w:p></w:body></w:document>"
)


def docx_bytes(extra: list[tuple[str, bytes]] = (), relationships: bytes = DOCX_RELATIONSHIPS,
               content_types: bytes = DOCX_CONTENT_TYPES, document: bool = True) -> bytes:
    """A minimal real Word document: content types, the package's relationships naming the main part, the part."""
    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", relationships)]
    if document:
        parts.append(("word/document.xml", DOCX_DOCUMENT))
    return zip_bytes(parts + list(extra))


ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="{media}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def odt_bytes(mimetype: bytes = b"application/vnd.oasis.opendocument.text", manifest_media: str | None = None,
              content: bool = True, manifest: bool = True, extra: list[tuple[str, bytes]] = ()) -> bytes:
    """A minimal real OpenDocument text: the stored `mimetype` first, content.xml, and a manifest naming the type."""
    parts = [("mimetype", mimetype)]
    if content:
        parts.append(("content.xml", b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'))
    if manifest:
        media = manifest_media or mimetype.decode()
        parts.append(("META-INF/manifest.xml", ODT_MANIFEST.format(media=media).encode()))
    return zip_bytes(parts + list(extra), first_stored=True)


@pytest.fixture(scope="module")
def app():
    return create_app("testing")


def refusal(app, **kwargs) -> str:
    """The message store_attachment refuses with, rendered as a request would render it."""
    with pytest.raises(AttachmentRefused) as refused:
        store_attachment(**kwargs)
    with app.test_request_context("/"), force_locale("en"):
        return str(refused.value)


# --- sniffing --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, kind",
    [
        (PDF, "pdf"),
        (docx_bytes(), "docx"),
        (odt_bytes(), "odt"),
        (b"Just text, renamed to x.pdf", None),
        (b"MZ\x90\x00\x03\x00\x00\x00 renamed program", None),
        (zip_bytes([("notes.txt", b"hello")]), None),
        (zip_bytes([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")]), None),
        (odt_bytes(b"application/vnd.oasis.opendocument.spreadsheet"), None),
        (odt_bytes(b"application/vnd.oasis.opendocument.text-template"), None),
        (b"PK\x03\x04 this is not really a zip at all", None),
        (b"", None),
    ],
    ids=["pdf", "docx", "odt", "text", "exe", "zip", "xlsx", "ods", "ott", "broken-zip", "empty"],
)
def test_kind_is_decided_by_content(content, kind):
    assert sniff_kind(content[:8], io.BytesIO(content)) == kind


def test_macro_enabled_word_document_is_not_a_docx():
    docm = docx_bytes(content_types=DOCX_CONTENT_TYPES.replace(  # the parts of a DOCX, but the main part declares macros
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml"))
    assert sniff_kind(docm[:8], io.BytesIO(docm)) is None


# --- storing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("content, kind", [(PDF, "pdf"), (docx_bytes(), "docx"), (odt_bytes(), "odt")])
def test_a_document_is_stored_under_a_random_name_with_its_exact_bytes(tmp_path, content, kind):
    upload_dir = tmp_path / "uploads" / "consultations"  # created on demand
    stored = store_attachment(io.BytesIO(content), f"Projekts.{kind}", LocalStorage(upload_dir), 5 * MB)

    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{kind}", stored.stored_name)
    assert (stored.kind, stored.mime, stored.size) == (kind, ALLOWED[kind], len(content))
    assert stored.original_name == f"Projekts.{kind}"
    assert [path.name for path in upload_dir.iterdir()] == [stored.stored_name]
    assert (upload_dir / stored.stored_name).read_bytes() == content


def test_two_uploads_with_the_same_name_get_different_stored_names(tmp_path):
    first = store_attachment(io.BytesIO(PDF), "a.pdf", LocalStorage(tmp_path), MB)
    second = store_attachment(io.BytesIO(PDF), "a.pdf", LocalStorage(tmp_path), MB)
    assert first.stored_name != second.stored_name


@pytest.mark.parametrize(
    "given, shown",
    [
        ("../../etc/Ārkārtas lēmums.pdf", "Ārkārtas lēmums.pdf"),
        ("C:\\Users\\Jānis\\Ģērbonis ķēķis ļoti ņaša šūžā.pdf", "Ģērbonis ķēķis ļoti ņaša šūžā.pdf"),
        ("A\u0304rka\u0304rtas.pdf", "Ārkārtas.pdf"),  # decomposed letters (macOS) are composed
        ("<script>alert(1)</script>.pdf", "script.pdf"),  # "/" counts as a folder separator
        ("<b>alert(1)<b>.pdf", "balert1b.pdf"),
        ("Projekts;rm -rf *.pdf", "Projektsrm -rf.pdf"),
        ("lēmums.docx", "lēmums.pdf"),  # the name may not claim another type than the content
        ("v1.2 gala", "v1.2 gala.pdf"),
        ("../../", "pielikums.pdf"),
        ("", "pielikums.pdf"),
        ("...pdf", "pielikums.pdf"),
    ],
)
def test_the_original_name_is_cleaned_for_display(tmp_path, given, shown):
    assert store_attachment(io.BytesIO(PDF), given, LocalStorage(tmp_path), MB).original_name == shown


def test_a_long_name_is_shortened_and_keeps_its_extension(tmp_path):
    stored = store_attachment(io.BytesIO(PDF), "ā" * 400 + ".pdf", LocalStorage(tmp_path), MB)
    assert len(stored.original_name) == 150
    assert stored.original_name.endswith("ā.pdf")


def test_a_file_over_the_limit_is_refused_and_not_stored(app, tmp_path):
    content = PDF + b"0" * (2 * MB)
    message = refusal(app, stream=io.BytesIO(content), original_name="big.pdf", storage=LocalStorage(tmp_path), max_bytes=2 * MB)
    assert "2 MB" in message
    assert list(tmp_path.iterdir()) == []


def test_a_file_of_exactly_the_limit_is_accepted(tmp_path):
    content = PDF.ljust(1000, b"\n")
    assert store_attachment(io.BytesIO(content), "x.pdf", LocalStorage(tmp_path), 1000).size == 1000


def test_an_empty_file_is_refused(app, tmp_path):
    message = refusal(app, stream=io.BytesIO(b""), original_name="x.pdf", storage=LocalStorage(tmp_path), max_bytes=MB)
    assert "empty" in message


@pytest.mark.parametrize(
    "content",
    [b"Not a PDF at all", zip_bytes([("a.txt", b"a")]), b"PK\x03\x04garbage" * 10],
    ids=["renamed-text", "plain-zip", "broken-zip"],
)
def test_other_types_are_refused_with_the_accepted_types_named(app, tmp_path, content):
    message = refusal(app, stream=io.BytesIO(content), original_name="x.pdf", storage=LocalStorage(tmp_path), max_bytes=MB)
    assert all(kind in message for kind in ("PDF", "DOCX", "ODT"))
    assert list(tmp_path.iterdir()) == []


def test_open_attachment_returns_the_stored_file(tmp_path):
    stored = store_attachment(io.BytesIO(PDF), "x.pdf", LocalStorage(tmp_path), MB)
    with open_attachment(LocalStorage(tmp_path), stored.stored_name) as stream:
        assert stream.read() == PDF
    with pytest.raises(AttachmentRefused):  # a name we made whose file is gone
        open_attachment(LocalStorage(tmp_path), "0" * 32 + ".pdf")


@pytest.mark.parametrize(
    "name",
    [
        "../x.pdf",
        "../" + "a" * 32 + ".pdf",
        "a" * 32 + ".pdf/../../etc/passwd",
        "/etc/passwd",
        "a" * 31 + ".pdf",
        "a" * 33 + ".pdf",
        "A" * 32 + ".pdf",
        "g" * 32 + ".pdf",
        "a" * 32 + ".exe",
        "a" * 32 + ".pdf\n",
        "a" * 32,
        "",
    ],
)
def test_open_attachment_refuses_names_we_did_not_make(tmp_path, name):
    with pytest.raises(AttachmentRefused):
        open_attachment(LocalStorage(tmp_path), name)


# --- feeds -----------------------------------------------------------------------------------------


def consultation(id, title, published_at, closes_at, institution="Vides aizsardzības un reģionālās attīstības ministrija"):
    return SimpleNamespace(
        id=id,
        title=title,
        summary=f"Kopsavilkums: {title} & <citi> jautājumi",
        url=f"https://lidzdaliba.example.lv/apspriedes/{id}",
        institution_name=institution,
        published_at=published_at,
        closes_at=closes_at,
    )


ENTRIES = [
    consultation(1, "Ziemas projekts", datetime(2026, 1, 2, 8, 0), datetime(2026, 1, 15, 22, 59, 59)),
    consultation(2, "Pavasara projekts", datetime(2026, 3, 1, 10, 30), datetime(2026, 3, 29, 20, 59, 59), "Rīgas valstspilsētas pašvaldība"),
    consultation(3, "Vasaras projekts", datetime(2026, 2, 10, 12, 0), datetime(2026, 7, 1, 20, 59, 59)),
]


@pytest.fixture
def stopped_clock():
    set_fixed_now(datetime(2026, 3, 2, 9, 0))
    yield
    set_fixed_now(None)


def test_atom_feed_lists_consultations_newest_first():
    root = ET.fromstring(atom_feed(
        ENTRIES,
        feed_id="https://lidzdaliba.example.lv/apspriedes/feed.atom",
        title="Apspriedes",
        self_url="https://lidzdaliba.example.lv/apspriedes/feed.atom",
        home_url="https://lidzdaliba.example.lv/apspriedes",
        language="lv",
    ))

    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "lv"
    assert root.findtext(f"{ATOM}title") == "Apspriedes"
    assert datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == datetime.fromisoformat("2026-03-01T10:30:00+00:00")
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Pavasara projekts", "Vasaras projekts", "Ziemas projekts"]

    first = entries[0]
    assert first.findtext(f"{ATOM}id") == "https://lidzdaliba.example.lv/apspriedes/2"
    assert first.find(f"{ATOM}link").get("href") == "https://lidzdaliba.example.lv/apspriedes/2"
    assert first.findtext(f"{ATOM}summary") == "Kopsavilkums: Pavasara projekts & <citi> jautājumi"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Rīgas valstspilsētas pašvaldība"
    for entry in entries:
        for field in ("updated", "published"):
            moment = datetime.fromisoformat(entry.findtext(f"{ATOM}{field}"))
            assert moment.utcoffset() is not None
    assert datetime.fromisoformat(first.findtext(f"{ATOM}updated")) == datetime.fromisoformat("2026-03-01T10:30:00+00:00")


def test_atom_feed_survives_control_characters_and_no_entries(stopped_clock):
    pasted = consultation(4, "Projekts\x0b ar\x00 vadības rakstzīmēm", datetime(2026, 3, 1), datetime(2026, 4, 1))
    root = ET.fromstring(atom_feed([pasted], "urn:x", "Apspriedes", "https://x/feed", "https://x/", "lv"))
    assert root.findtext(f"{ATOM}entry/{ATOM}title") == "Projekts ar vadības rakstzīmēm"

    empty = ET.fromstring(atom_feed([], "urn:x", "Apspriedes", "https://x/feed", "https://x/", "lv"))
    assert empty.findall(f"{ATOM}entry") == []
    assert datetime.fromisoformat(empty.findtext(f"{ATOM}updated")) == datetime.fromisoformat("2026-03-02T09:00:00+00:00")


def test_closing_dates_calendar_gives_riga_wall_clock_times(stopped_clock):
    calendar = icalendar.Calendar.from_ical(closing_dates_calendar(ENTRIES, "Apspriežu termiņi", "lidzdaliba.example.lv"))

    assert str(calendar["PRODID"]) == "-//Lidzdaliba//Consultations//LV"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Apspriežu termiņi"
    assert [timezone["TZID"] for timezone in calendar.walk("VTIMEZONE")] == ["Europe/Riga"]

    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {f"consultation-{n}@lidzdaliba.example.lv" for n in (1, 2, 3)}
    spring = events["consultation-2@lidzdaliba.example.lv"]
    winter = events["consultation-1@lidzdaliba.example.lv"]
    assert str(spring["SUMMARY"]) == "Pavasara projekts"
    assert str(winter["SUMMARY"]) == "Ziemas projekts"
    assert str(spring["URL"]) == "https://lidzdaliba.example.lv/apspriedes/2"
    assert "Rīgas valstspilsētas pašvaldība" in str(spring["DESCRIPTION"])
    assert "https://lidzdaliba.example.lv/apspriedes/2" in str(spring["DESCRIPTION"])

    # 29 March 2026 is the switch to summer time (UTC+3); 15 January is winter (UTC+2).
    assert spring["DTSTART"].params["TZID"] == "Europe/Riga"
    assert spring.start.replace(tzinfo=None) == datetime(2026, 3, 29, 23, 59, 59)
    assert spring.start.utcoffset().total_seconds() == 3 * 3600
    assert winter.start.replace(tzinfo=None) == datetime(2026, 1, 16, 0, 59, 59)
    assert winter.start.utcoffset().total_seconds() == 2 * 3600
    assert winter.start == datetime(2026, 1, 16, 0, 59, 59, tzinfo=RIGA)

    assert "DTEND" not in spring and spring.end == spring.start
    assert spring["DTSTAMP"].dt == datetime.fromisoformat("2026-03-02T09:00:00+00:00")


def test_the_calendar_text_carries_the_riga_time_zone_id():
    text = closing_dates_calendar(ENTRIES[1:2], "Termiņi", "lidzdaliba.example.lv").decode()
    assert "DTSTART;TZID=Europe/Riga:20260329T235959" in text
    assert "BEGIN:VTIMEZONE" in text and text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")


def test_feed_titles_may_be_lazy_translations(app):
    from flask_babel import lazy_gettext

    with app.test_request_context("/"):
        root = ET.fromstring(atom_feed(ENTRIES, "urn:x", lazy_gettext("New consultations"), "https://x/f", "https://x/", "lv"))
        calendar = icalendar.Calendar.from_ical(closing_dates_calendar(ENTRIES, lazy_gettext("Consultation closing dates"), "x"))
    assert root.findtext(f"{ATOM}title")
    assert str(calendar["X-WR-CALNAME"])
