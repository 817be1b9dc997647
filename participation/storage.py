"""Where uploaded files live: a folder on the server (the default) or any S3-compatible object store (Amazon S3,
MinIO, Ceph RGW, Hetzner, ...), chosen by configuration, so that several app servers share one set of files.

    STORAGE=local   UPLOAD_FOLDER=/srv/lidzdaliba/uploads          (default: instance/uploads)
    STORAGE=s3      S3_BUCKET=lidzdaliba  S3_ENDPOINT_URL=https://s3.example.lv  S3_REGION=eu-north-1  S3_PREFIX=uploads/
                    with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (boto3 reads its usual environment and files)

Both keep a file under the name the caller gives (a random name: `consultations.attachments`), never overwrite one,
and give it back as a binary stream that the download view streams to the person with its own headers
(`Content-Disposition: attachment`, `nosniff`, a sandbox policy). A signed redirect to the store is not used: the store
would answer without those headers.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app


class StoredFileMissing(LookupError):
    """No file under that name."""


class Storage(Protocol):
    def save(self, name: str, data: bytes, content_type: str) -> None: ...

    def open(self, name: str) -> BinaryIO: ...

    def delete(self, name: str) -> None: ...


class LocalStorage:
    """Files in one folder of the server's disk (outside the web root)."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def save(self, name: str, data: bytes, content_type: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / name, "xb") as target:  # "x": never overwrite
            target.write(data)

    def open(self, name: str) -> BinaryIO:
        try:
            return open(self.folder / name, "rb")
        except (FileNotFoundError, IsADirectoryError):
            raise StoredFileMissing(name) from None

    def delete(self, name: str) -> None:
        (self.folder / name).unlink(missing_ok=True)


class S3Storage:
    """Objects in one bucket of an S3-compatible store, under an optional key prefix."""

    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def save(self, name: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=data, ContentType=content_type)

    def open(self, name: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                raise StoredFileMissing(name) from None
            raise

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))


def _s3_client(config):
    """One boto3 client per app and store address (creating one costs tens of milliseconds; a client is thread-safe)."""
    import boto3
    from botocore.config import Config as BotoConfig

    key = ("s3-client", config.get("S3_ENDPOINT_URL") or None, config.get("S3_REGION") or None)
    clients = current_app.extensions.setdefault("storage-clients", {})
    if key not in clients:
        clients[key] = boto3.client(
            "s3", endpoint_url=key[1], region_name=key[2],
            config=BotoConfig(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30),
        )
    return clients[key]


def file_storage() -> Storage:
    """The configured storage for uploaded files (read from the app's configuration on each call)."""
    config = current_app.config
    kind = (config.get("STORAGE") or "local").lower()
    if kind == "s3":
        if not config.get("S3_BUCKET"):
            raise RuntimeError("STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for a store other than Amazon S3).")
        return S3Storage(_s3_client(config), config["S3_BUCKET"], config.get("S3_PREFIX") or "")
    if kind != "local":
        raise RuntimeError(f"STORAGE must be 'local' or 's3', not {kind!r}.")
    return LocalStorage(config["UPLOAD_FOLDER"])
