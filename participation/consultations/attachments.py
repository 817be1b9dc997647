"""Draft-document attachments: the type is decided by content, the file is stored under a random name."""
import io
import re
import secrets
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from participation.i18n import lazy_gettext as _l

from participation.storage import Storage, StoredFileMissing

ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN_PART = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
ODF_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_PART_BYTES = 1024 * 1024  # read no more than this of a package's small XML parts (zip bombs)
MAX_INFLATED_BYTES = 64 * 1024 * 1024  # inflate no more than this of a PDF's streams in all (zip bombs)
# Parts that carry macros, scripts or ActiveX controls: a document with any of them is not kept.
ACTIVE_PARTS = re.compile(r"(?i)(?:^|/)(?:vbaProject\.bin|vbaData\.xml|activeX/|Basic/|Scripts/)")
# PDF names that run something or carry another file: JavaScript, actions on opening or on events (/AA), launching
# programs, embedded files and rich media, forms that send data away.
ACTIVE_PDF_NAMES = frozenset({"JavaScript", "JS", "Launch", "AA", "EmbeddedFile", "EmbeddedFiles", "RichMedia",
                              "SubmitForm", "ImportData", "XFA"})
PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
MAX_NAME_LENGTH = 150
NAME_PUNCTUATION = " .-_"
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:%s)" % "|".join(ALLOWED))


class AttachmentRefused(ValueError):
    """An upload we will not keep; the message is plain language for the person uploading."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    """What was kept: our random file name, the cleaned name to show, the kind, its MIME type and the size."""

    stored_name: str
    original_name: str
    kind: str
    mime: str
    size: int


class ActiveContent(Exception):
    """A document that would run something when opened (a script, an action, a macro) or carries another file."""


def _xml(data: bytes):
    """A small XML part parsed without any DTD (no entities to expand), or None when it is not well-formed XML."""
    import xml.etree.ElementTree as ET

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        return None


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A package part's bytes (at most MAX_PART_BYTES), or None when it is missing or larger."""
    try:
        with archive.open(name) as entry:
            data = entry.read(MAX_PART_BYTES + 1)
    except KeyError:
        return None
    return data if len(data) <= MAX_PART_BYTES else None


def _is_odt(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """An OpenDocument text: the `mimetype` entry says so, and so does the manifest, which lists content.xml."""
    if "mimetype" not in names or "content.xml" not in names or "META-INF/manifest.xml" not in names:
        return False
    if _read_part(archive, "mimetype") != ODT_MIMETYPE:
        return False
    manifest = _xml(_read_part(archive, "META-INF/manifest.xml") or b"")
    if manifest is None or manifest.tag != f"{{{ODF_MANIFEST}}}manifest":
        return False
    entries = {entry.get(f"{{{ODF_MANIFEST}}}full-path"): entry.get(f"{{{ODF_MANIFEST}}}media-type")
               for entry in manifest.iter(f"{{{ODF_MANIFEST}}}file-entry")}
    return entries.get("/") == ODT_MIMETYPE.decode() and "content.xml" in entries


def _is_docx(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """A Word document: the package's relationships name its main part, the content types declare that part a
    (macro-free) WordprocessingML document, and the part is there."""
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        return False
    relationships = _xml(_read_part(archive, "_rels/.rels") or b"")
    types = _xml(_read_part(archive, "[Content_Types].xml") or b"")
    if relationships is None or types is None or types.tag != f"{{{CONTENT_TYPES}}}Types":
        return False
    main = [r.get("Target", "") for r in relationships.iter(f"{{{PACKAGE_RELATIONSHIPS}}}Relationship")
            if r.get("Type") == OFFICE_DOCUMENT and r.get("TargetMode") != "External"]
    if len(main) != 1:
        return False
    part = "/" + main[0].lstrip("/")
    declared = {o.get("PartName", "").lower(): o.get("ContentType") for o in types.iter(f"{{{CONTENT_TYPES}}}Override")}
    return declared.get(part.lower()) == DOCX_MAIN_PART and part[1:] in names


def _pdf_name(match) -> str:
    """A PDF name with its #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    return PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1)).decode("latin-1")


def _pdf_names(data: bytes) -> set[str]:
    """Every name (/Like /This) in PDF bytes."""
    return {_pdf_name(match) for match in PDF_NAME.finditer(data)}


def _refuse_active_names(text: bytes) -> None:
    for match in PDF_NAME.finditer(text):
        name = _pdf_name(match)
        if name in ACTIVE_PDF_NAMES:
            raise ActiveContent(name)
        if name == "OpenAction" and text[match.end():].lstrip(b"\x00\t\n\x0c\r ")[:1] != b"[":
            raise ActiveContent(name)  # an action (a dictionary, or one referred to), not a plain destination


def _check_pdf(data: bytes) -> None:
    """Refuse a PDF that runs anything or carries files (ActiveContent). Actions and scripts are entries of
    dictionaries, which are either in the file's own bytes or packed in object streams (/Type /ObjStm): both are read,
    the object streams inflated (Flate, the only filter they use in practice; one we cannot read is refused). Page
    content, images and fonts hold no dictionaries of actions and are not read. An /OpenAction that is only a
    destination (a page and a zoom, as LibreOffice writes) is harmless; any other is refused."""
    budget = MAX_INFLATED_BYTES
    outside, texts, position = [], [], 0
    while (match := PDF_STREAM.search(data, position)) is not None:
        outside.append(data[position: match.start()])
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        chunk, position = data[match.end(): end], end  # a stream's own bytes (images, fonts) are never read as names
        header = data[max(0, data.rfind(b"obj", 0, match.start())): match.start()]
        names = _pdf_names(header)
        if "ObjStm" not in names:
            continue
        if names & {"ASCIIHexDecode", "ASCII85Decode", "LZWDecode", "RunLengthDecode", "Crypt", "DecodeParms"}:
            raise ActiveContent("an object stream that cannot be read")
        try:
            inflater = zlib.decompressobj()
            inflated = inflater.decompress(chunk, budget)
        except zlib.error:
            raise ActiveContent("an object stream that cannot be read") from None
        budget -= len(inflated)
        if budget <= 0 or inflater.unconsumed_tail:
            raise ActiveContent("object streams too large to check")
        texts.append(inflated)
    outside.append(data[position:])
    for text in [b"".join(outside), *texts]:
        _refuse_active_names(text)


def sniff_kind(head: bytes, stream) -> str | None:
    """The attachment kind ("pdf", "docx", "odt") judged by the bytes alone (a real document's structure, not only
    its first bytes), or None. Raises ActiveContent for a document with scripts, actions, macros or embedded files."""
    if head.startswith(b"%PDF-"):
        stream.seek(0)
        _check_pdf(stream.read())
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            kind = "odt" if _is_odt(archive, names) else "docx" if _is_docx(archive, names) else None
            if kind and any(ACTIVE_PARTS.search(name) for name in names):
                raise ActiveContent("macros or controls")
            return kind
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, RuntimeError, ValueError):
        # broken, truncated, encrypted or oddly compressed archives are simply not documents we accept
        return None


def clean_display_name(original_name: str, kind: str) -> str:
    """A safe name to show and offer for download: no folders, letters (ā, č, ž...), digits, " .-_"."""
    name = unicodedata.normalize("NFC", original_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"\s+", " ", name)
    name = "".join(ch for ch in name if ch.isalpha() or (ch.isdigit() and ch.isascii()) or ch in NAME_PUNCTUATION)
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.lower() in ALLOWED:
        name = stem
    name = re.sub(" +", " ", name).strip(" .")
    extension = "." + kind
    name = name[: MAX_NAME_LENGTH - len(extension)].rstrip(" .")
    return (name or "pielikums") + extension


def _megabytes(size: int) -> str:
    """A byte count as megabytes for messages: "10", "2.5"."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def store_attachment(stream, original_name: str, storage: Storage, max_bytes: int) -> StoredFile:
    """Check an upload (size, type by content) and keep it under a random name in the storage."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise AttachmentRefused(_l("The file is too large. The limit is %(mb)s MB.", mb=_megabytes(max_bytes)))
    if not data:
        raise AttachmentRefused(_l("The file is empty."))
    try:
        kind = sniff_kind(data[:8], io.BytesIO(data))
    except ActiveContent:
        raise AttachmentRefused(_l("This document contains active content (a script, an action that runs when it is "
                                   "opened, a macro or an embedded file), so it cannot be attached. Save it again as a "
                                   "plain PDF, DOCX or ODT document and upload that.")) from None
    if kind is None:
        raise AttachmentRefused(_l("This type of file cannot be attached. Please upload a PDF, DOCX or ODT document."))
    stored_name = f"{secrets.token_hex(16)}.{kind}"
    storage.save(stored_name, data, ALLOWED[kind])
    return StoredFile(stored_name, clean_display_name(original_name, kind), kind, ALLOWED[kind], len(data))


def open_attachment(storage: Storage, stored_name: str) -> BinaryIO:
    """A stored attachment's bytes as a stream; anything but a name we generated is refused, and so is a name with no
    file (AttachmentRefused either way)."""
    if not isinstance(stored_name, str) or not STORED_NAME.fullmatch(stored_name):
        raise AttachmentRefused(_l("No such attachment."))
    try:
        return storage.open(stored_name)
    except StoredFileMissing:
        raise AttachmentRefused(_l("No such attachment.")) from None
