"""Draft-document attachments: the type is decided by content, the file is stored under a random name."""
import io
import re
import secrets
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # read no more than this of [Content_Types].xml (zip bombs)
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


def sniff_kind(head: bytes, stream) -> str | None:
    """The attachment kind ("pdf", "docx", "odt") judged by the bytes alone, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    if entry.read(len(ODT_MIMETYPE) + 1) == ODT_MIMETYPE:
                        return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                with archive.open("[Content_Types].xml") as entry:
                    if DOCX_MAIN_PART in entry.read(MAX_CONTENT_TYPES_BYTES):
                        return "docx"
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, RuntimeError, ValueError):
        # broken, truncated, encrypted or oddly compressed archives are simply not documents we accept
        return None
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


def store_attachment(stream, original_name: str, upload_dir: Path, max_bytes: int) -> StoredFile:
    """Check an upload (size, type by content) and write it under a random name in upload_dir."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise AttachmentRefused(_l("The file is too large. The limit is %(mb)s MB.", mb=_megabytes(max_bytes)))
    if not data:
        raise AttachmentRefused(_l("The file is empty."))
    kind = sniff_kind(data[:8], io.BytesIO(data))
    if kind is None:
        raise AttachmentRefused(_l("This type of file cannot be attached. Please upload a PDF, DOCX or ODT document."))
    upload_dir = Path(upload_dir)
    upload_dir.mkdir(parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.{kind}"
    with open(upload_dir / stored_name, "xb") as target:
        target.write(data)
    return StoredFile(stored_name, clean_display_name(original_name, kind), kind, ALLOWED[kind], len(data))


def open_attachment(upload_dir: Path, stored_name: str) -> Path:
    """The path of a stored attachment; anything but a name we generated is refused."""
    if not isinstance(stored_name, str) or not STORED_NAME.fullmatch(stored_name):
        raise AttachmentRefused(_l("No such attachment."))
    return Path(upload_dir) / stored_name
