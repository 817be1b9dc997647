"""Attachments in object storage (issue 20): with STORAGE=s3 the app keeps uploads in a bucket of an S3-compatible
store and streams them back with the same headers as from the server's folder. The store is a real S3 API server
(moto in server mode, a separate process speaking HTTP), not a mock inside this process."""
import io
import socket
import subprocess
import sys
import time

import boto3
import pytest
from sqlalchemy import select

from participation.consultations.models import Attachment
from participation.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BUCKET = "lidzdaliba-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 API server on a free port, for this module."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("the S3 API server (moto) did not start")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, app, monkeypatch, tmp_path):
    """A fresh, empty bucket in the S3 server, and the app configured to keep its uploads there."""
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "eu-north-1"}.items():
        monkeypatch.setenv(name, value)
    store = boto3.client("s3", endpoint_url=s3_server, region_name="eu-north-1")
    store.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    for key, value in {"STORAGE": "s3", "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_server, "S3_REGION": "eu-north-1",
                       "S3_PREFIX": "uploads/", "UPLOAD_FOLDER": str(tmp_path / "local")}.items():
        monkeypatch.setitem(app.config, key, value)
    yield store
    for item in store.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        store.delete_object(Bucket=BUCKET, Key=item["Key"])
    store.delete_bucket(Bucket=BUCKET)


def _keys(store) -> list[str]:
    return [item["Key"] for item in store.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _upload(client, consultation, content, name):
    return client.post(f"/consultations/{consultation.id}/attachments", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_an_upload_is_kept_in_the_bucket_and_downloaded_with_the_same_headers(
        bucket, app, client, login, open_consultation, editor_and_institution, tmp_path, fixed_now):
    editor, _ = editor_and_institution
    login(editor)
    assert _upload(client, open_consultation, PDF, "Noteikumu projekts.pdf").status_code == 302

    attachment = db.session.scalars(select(Attachment)).one()
    assert _keys(bucket) == [f"uploads/{attachment.stored_name}"]
    stored = bucket.get_object(Bucket=BUCKET, Key=f"uploads/{attachment.stored_name}")
    assert stored["Body"].read() == PDF and stored["ContentType"] == "application/pdf"
    assert not (tmp_path / "local").exists()  # nothing on this server's disk

    client.post("/account/logout")
    download = client.get(f"/consultations/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Noteikumu" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert download.headers["Content-Length"] == str(len(PDF))


def test_a_refused_upload_leaves_nothing_in_the_bucket(bucket, client, login, open_consultation, editor_and_institution, fixed_now):
    editor, _ = editor_and_institution
    login(editor)
    assert _upload(client, open_consultation, b"MZ\x90\x00 not a document", "lemums.pdf").status_code == 302
    assert _keys(bucket) == []
    assert db.session.scalars(select(Attachment)).all() == []


def test_a_file_missing_from_the_bucket_is_not_found_not_an_error(bucket, client, login, open_consultation, editor_and_institution, fixed_now):
    editor, _ = editor_and_institution
    login(editor)
    _upload(client, open_consultation, PDF, "x.pdf")
    attachment = db.session.scalars(select(Attachment)).one()
    bucket.delete_object(Bucket=BUCKET, Key=f"uploads/{attachment.stored_name}")
    assert client.get(f"/consultations/attachments/{attachment.id}").status_code == 404


def test_two_app_servers_share_the_files(bucket, app, client, login, open_consultation, editor_and_institution, fixed_now):
    """What one server stored, another (a second app object with the same configuration) serves."""
    from participation import create_app

    editor, _ = editor_and_institution
    login(editor)
    _upload(client, open_consultation, PDF, "kopīgs.pdf")
    attachment = db.session.scalars(select(Attachment)).one()
    other = create_app("testing", **{key: app.config[key] for key in
                                     ("SQLALCHEMY_DATABASE_URI", "STORAGE", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_PREFIX")})
    with other.app_context():
        from participation.consultations.attachments import open_attachment
        from participation.storage import file_storage

        with open_attachment(file_storage(), attachment.stored_name) as stream:
            assert stream.read() == PDF


def test_a_misconfigured_store_is_named_at_once(app, monkeypatch):
    from participation.storage import file_storage

    monkeypatch.setitem(app.config, "STORAGE", "s3")
    monkeypatch.setitem(app.config, "S3_BUCKET", "")
    with app.app_context(), pytest.raises(RuntimeError, match="S3_BUCKET"):
        file_storage()
    monkeypatch.setitem(app.config, "STORAGE", "ftp")
    with app.app_context(), pytest.raises(RuntimeError, match="local"):
        file_storage()
