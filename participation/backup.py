"""Backups: the database with PostgreSQL's own tools (pg_dump in its custom format, pg_restore) and the uploaded files
as a tar archive, side by side in one folder; `flask backup` and `flask restore` call these.

A backup folder holds ``database.dump`` (PostgreSQL) or ``database.sqlite`` (the embedded default, copied with
SQLite's online backup) and ``uploads.tar.gz``. Restoring replaces the configured database's content and the upload
folder's files with the backup's.
"""
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from sqlalchemy.engine import make_url

DUMP = "database.dump"
SQLITE_COPY = "database.sqlite"
UPLOADS = "uploads.tar.gz"


def _libpq(database_url: str) -> str:
    """The SQLAlchemy URL as a libpq connection string (pg_dump and pg_restore know no driver names)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _sqlite_path(database_url: str) -> Path:
    return Path(make_url(database_url).database)


def backup(database_url: str, upload_folder: str, target: Path) -> Path:
    """Write a backup of the database and the uploads into the folder `target` (made if missing)."""
    target.mkdir(parents=True, exist_ok=True)
    if make_url(database_url).get_backend_name() == "postgresql":
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target / DUMP), _libpq(database_url)],
                       check=True, capture_output=True, text=True)
    else:
        with sqlite3.connect(_sqlite_path(database_url)) as source, sqlite3.connect(target / SQLITE_COPY) as copy:
            source.backup(copy)
    uploads = Path(upload_folder)
    with tarfile.open(target / UPLOADS, "w:gz") as archive:
        if uploads.exists():
            for path in sorted(uploads.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(uploads)))
    return target


def restore(database_url: str, upload_folder: str, source: Path) -> None:
    """Put a backup made by `backup` into the configured database and upload folder."""
    if make_url(database_url).get_backend_name() == "postgresql":
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--dbname", _libpq(database_url), str(source / DUMP)], check=True, capture_output=True, text=True)
    else:
        with sqlite3.connect(source / SQLITE_COPY) as copy, sqlite3.connect(_sqlite_path(database_url)) as target:
            copy.backup(target)
    uploads = Path(upload_folder)
    if uploads.exists():
        shutil.rmtree(uploads)
    uploads.mkdir(parents=True)
    with tarfile.open(source / UPLOADS, "r:gz") as archive:
        archive.extractall(uploads, filter="data")  # the "data" filter refuses absolute paths and links out
