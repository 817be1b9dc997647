"""Issue 14, item 12: an attachment must be a real document without active content, and it is served for download only.

A PDF with an action on opening, JavaScript, a launch, event actions or embedded files is refused (also when the names
are hex-escaped or packed into a compressed object stream); a ZIP passes as ODT or DOCX only with the package structure
of one; a document with macros is refused. The download is an attachment with nosniff and a sandboxed, empty CSP."""
import io
import os
import zlib

import pytest
from sqlalchemy import select

from participation import create_app
from participation.storage import LocalStorage
from participation.consultations.attachments import ActiveContent, AttachmentRefused, sniff_kind, store_attachment
from participation.extensions import db
from tests.test_consultation_files import DOCX_CONTENT_TYPES, DOCX_RELATIONSHIPS, docx_bytes, odt_bytes, zip_bytes

MB = 1024 * 1024


def pdf(catalogue: bytes = b"", extra_objects: bytes = b"", version: bytes = b"1.4") -> bytes:
    """A small PDF whose catalogue (object 1) carries `catalogue` as more entries."""
    return (
        b"%PDF-" + version + b"\n"
        b"1 0 obj <</Type /Catalog /Pages 2 0 R " + catalogue + b">> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
        b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
        + extra_objects +
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )


def object_stream(objects: bytes, filters: bytes = b"/FlateDecode", encode=zlib.compress) -> bytes:
    """Object 9: a compressed object stream (PDF 1.5) holding `objects` (numbered from 10)."""
    body = encode(b"10 0 " + objects)
    return (b"9 0 obj <</Type /ObjStm /N 1 /First 5 /Filter " + filters + b" /Length " + str(len(body)).encode() + b">>\n"
            b"stream\n" + body + b"\nendstream\nendobj\n")


def sniff(content: bytes):
    return sniff_kind(content[:8], io.BytesIO(content))


# --- PDF -----------------------------------------------------------------------------------------------------


ACTIVE_PDFS = {
    "open-action-javascript": pdf(b"/OpenAction <</S /JavaScript /JS (app.alert\\(1\\))>>"),
    "open-action-reference": pdf(b"/OpenAction 4 0 R", b"4 0 obj <</S /JavaScript /JS (app.alert\\(1\\))>> endobj\n"),
    "open-action-uri": pdf(b"/OpenAction <</S /URI /URI (https://evil.example/)>>"),
    "names-javascript": pdf(b"/Names <</JavaScript 4 0 R>>", b"4 0 obj <</Names [(a) 5 0 R]>> endobj\n"),
    "hex-escaped": pdf(b"/Names <</J#61vaScript 4 0 R>>", b"4 0 obj <</Names [(a) 5 0 R]>> endobj\n"),
    "hex-escaped-open-action": pdf(b"/#4FpenAction <</S /Named /N /Print>>"),
    "additional-actions": pdf(b"/AA <</WC 4 0 R>>"),
    "launch": pdf(b"/OpenAction [3 0 R /Fit]", b"4 0 obj <</Type /Annot /Subtype /Link /A <</S /Launch /F (cmd.exe)>> >> endobj\n"),
    "embedded-file": pdf(b"/Names <</EmbeddedFiles 4 0 R>>",
                         b"4 0 obj <</Type /EmbeddedFile /Length 2>>\nstream\nMZ\nendstream\nendobj\n"),
    "in-an-object-stream": pdf(b"", object_stream(b"<</OpenAction <</S /JavaScript /JS (app.alert\\(1\\))>> >>"), b"1.5"),
    "object-stream-not-readable": pdf(b"", object_stream(b"<<>>", b"/ASCIIHexDecode", lambda data: data.hex().encode()), b"1.5"),
    "object-stream-broken": pdf(b"", object_stream(b"<<>>", b"/FlateDecode", lambda data: b"not flate at all"), b"1.5"),
}


@pytest.mark.parametrize("content", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_a_pdf_with_active_content_is_refused(content):
    with pytest.raises(ActiveContent):
        sniff(content)


HARMLESS_PDFS = {
    "plain": pdf(),
    "open-action-destination": pdf(b"/OpenAction [3 0 R /XYZ null null 0]"),  # LibreOffice: open at page 1
    "open-action-destination-no-space": pdf(b"/OpenAction[3 0 R /Fit]"),
    "apple-keys": pdf(b"/AAPL:Keywords [(x)] /JSON (1)"),  # names that only begin like /AA or /JS
    "link": pdf(b"", b"4 0 obj <</Type /Annot /Subtype /Link /A <</S /URI /URI (https://likumi.lv/)>> >> endobj\n"),
    "objects-in-a-stream": pdf(b"", object_stream(b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>"), b"1.5"),
    # a page's compressed drawing or an image may hold any bytes, "/JS" among them: never read as names
    "binary-stream": pdf(b"", b"4 0 obj <</Length 12 /Filter /DCTDecode>>\nstream\n\xff\xd8/JS /AA \xff\xd9\nendstream\nendobj\n"),
}


@pytest.mark.parametrize("content", HARMLESS_PDFS.values(), ids=HARMLESS_PDFS.keys())
def test_a_plain_pdf_is_accepted(content):
    assert sniff(content) == "pdf"


def test_a_large_pdf_with_random_compressed_data_is_accepted(tmp_path):
    noise = os.urandom(3 * MB)  # about 700 chances of "/JS" or "/AA" followed by a delimiter if streams were read
    content = pdf(b"", b"4 0 obj <</Length %d /Filter /FlateDecode>>\nstream\n" % len(noise) + noise + b"\nendstream\nendobj\n")
    assert store_attachment(io.BytesIO(content), "liels.pdf", LocalStorage(tmp_path), 5 * MB).kind == "pdf"


def test_an_object_stream_that_inflates_too_far_is_refused(monkeypatch):
    from participation.consultations import attachments

    monkeypatch.setattr(attachments, "MAX_INFLATED_BYTES", 1000)
    with pytest.raises(ActiveContent):
        sniff(pdf(b"", object_stream(b"<<" + b" " * 5000 + b">>"), b"1.5"))


# --- ODT and DOCX -----------------------------------------------------------------------------------------------


NOT_DOCUMENTS = {
    "odt-mimetype-only": zip_bytes([("mimetype", b"application/vnd.oasis.opendocument.text"), ("payload.html", b"<script>")],
                                   first_stored=True),
    "odt-without-content": odt_bytes(content=False),
    "odt-without-manifest": odt_bytes(manifest=False),
    "odt-manifest-says-spreadsheet": odt_bytes(manifest_media="application/vnd.oasis.opendocument.spreadsheet"),
    "odt-manifest-not-xml": zip_bytes([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>"),
                                       ("META-INF/manifest.xml", b"not xml <")], first_stored=True),
    "odt-manifest-with-entities": zip_bytes([
        ("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>"),
        ("META-INF/manifest.xml", b'<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">]><manifest:manifest '
                                  b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">&a;</manifest:manifest>'),
    ], first_stored=True),
    "docx-without-relationships": zip_bytes([("[Content_Types].xml", DOCX_CONTENT_TYPES),
                                             ("word/document.xml", b"<w:document/>")]),
    "docx-relationship-elsewhere": docx_bytes(relationships=DOCX_RELATIONSHIPS.replace(b"word/document.xml", b"word/other.xml")),
    "docx-without-main-part": docx_bytes(document=False),
    "docx-main-part-undeclared": docx_bytes(content_types=DOCX_CONTENT_TYPES.replace(b"/word/document.xml", b"/word/x.xml")),
}


@pytest.mark.parametrize("content", NOT_DOCUMENTS.values(), ids=NOT_DOCUMENTS.keys())
def test_a_zip_passes_only_with_a_real_documents_structure(content):
    assert sniff(content) is None


def test_real_odt_and_docx_pass():
    assert sniff(odt_bytes()) == "odt"
    assert sniff(docx_bytes()) == "docx"
    absolute = docx_bytes(relationships=DOCX_RELATIONSHIPS.replace(b'Target="word/', b'Target="/word/'))
    assert sniff(absolute) == "docx"


@pytest.mark.parametrize("content", [
    odt_bytes(extra=[("Basic/Standard/Module1.xml", b"<script:module/>")]),
    odt_bytes(extra=[("Scripts/python/run.py", b"import os")]),
    docx_bytes(extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")]),
    docx_bytes(extra=[("word/activeX/activeX1.xml", b"<ax:ocx/>")]),
], ids=["odt-basic-macros", "odt-python-scripts", "docx-vba", "docx-activex"])
def test_a_document_with_macros_is_refused(content):
    with pytest.raises(ActiveContent):
        sniff(content)


def test_the_refusal_says_why_in_plain_words(tmp_path):
    app = create_app("testing")
    with pytest.raises(AttachmentRefused) as refused:
        store_attachment(io.BytesIO(ACTIVE_PDFS["open-action-javascript"]), "x.pdf", LocalStorage(tmp_path), MB)
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("en"):
        assert "active content" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


# --- through the app: the upload is refused, the download is served for download only -------------------------


def test_the_upload_is_refused_and_a_plain_document_downloads_sandboxed(app, client, login, open_consultation,
                                                                       editor_and_institution, tmp_path, monkeypatch):
    from participation.consultations.models import Attachment

    editor, _ = editor_and_institution
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    client.get("/language/en")
    login(editor)
    url = f"/consultations/{open_consultation.id}/attachments"
    refused = client.post(url, data={"file": (io.BytesIO(ACTIVE_PDFS["open-action-javascript"]), "lemums.pdf")},
                          content_type="multipart/form-data", follow_redirects=True)
    assert "active content" in refused.get_data(as_text=True)
    assert not (tmp_path / "uploads").exists() or list((tmp_path / "uploads").iterdir()) == []
    assert db.session.scalars(select(Attachment).where(Attachment.consultation_id == open_consultation.id)).all() == []
    fake_odt = NOT_DOCUMENTS["odt-mimetype-only"]
    client.post(url, data={"file": (io.BytesIO(fake_odt), "projekts.odt")}, content_type="multipart/form-data")
    assert db.session.scalars(select(Attachment).where(Attachment.consultation_id == open_consultation.id)).all() == []

    real_odt = odt_bytes()
    assert client.post(url, data={"file": (io.BytesIO(real_odt), "projekts.odt")},
                       content_type="multipart/form-data").status_code == 302
    attachment = db.session.scalars(select(Attachment).where(Attachment.consultation_id == open_consultation.id)).one()
    client.post("/account/logout")
    download = client.get(f"/consultations/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == real_odt
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert download.mimetype == "application/vnd.oasis.opendocument.text"
