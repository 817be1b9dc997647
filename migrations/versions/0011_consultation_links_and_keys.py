"""Consultations (issue 13): a comment's submission key (the same form sent twice by a double click stores one comment),
counters of hidden comments (public totals leave them out), and relative links in cases.item_url (a case links to its
item on this site, whatever address the site is reached by: scheme and host are stripped from every stored value).

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _relative(url: str) -> str:
    """"https://host/consultations/3#comment-9" → "/consultations/3#comment-9"; a relative value stays."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return url
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def upgrade():
    # Columns first (metadata only on PostgreSQL 11+); the unique index built concurrently and the counters filled in
    # batches, each committed on its own, so residents' comments are never held for long (bench/migration_locks.py).
    from participation.ops.schema_changes import backfill, create_index_concurrently

    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("submission_key", sa.String(length=64), nullable=True))
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("hidden_count", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("sections") as batch:
        batch.add_column(sa.Column("hidden_count", sa.Integer(), server_default="0", nullable=False))
    create_index_concurrently("ix_comments_submission", "comments", ["author_id", "submission_key"], unique=True)

    counted_hidden = ("comments.parent_id IS NULL AND comments.moderation = 'approved' AND comments.hidden_at IS NOT NULL")
    # Counted first, then only the rows with hidden comments are written, a batch at a time.
    backfill("consultations", f"UPDATE consultations SET hidden_count = x.n FROM (SELECT consultation_id, count(*) AS n "
                              f"FROM comments WHERE {counted_hidden} AND consultation_id BETWEEN :low AND :high "
                              f"GROUP BY consultation_id) AS x WHERE consultations.id = x.consultation_id")
    backfill("sections", f"UPDATE sections SET hidden_count = x.n FROM (SELECT section_id, count(*) AS n FROM comments "
                         f"WHERE {counted_hidden} AND section_id BETWEEN :low AND :high GROUP BY section_id) AS x "
                         f"WHERE sections.id = x.section_id")

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # as _relative, set-based, in batches
        relative = "regexp_replace(item_url, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*', '')"
        backfill("cases", f"UPDATE cases SET item_url = CASE WHEN {relative} LIKE '/%' THEN {relative} "
                          f"ELSE '/' || {relative} END WHERE item_url LIKE '%://%' AND id BETWEEN :low AND :high")
        return
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("item_url", sa.String))
    rows = bind.execute(sa.select(cases.c.id, cases.c.item_url).where(cases.c.item_url.like("%://%"))).all()
    for case_id, url in rows:
        bind.execute(cases.update().where(cases.c.id == case_id).values(item_url=_relative(url)))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+ has it): a batch copy would be refused by the foreign keys pointing at these tables.
    op.execute("ALTER TABLE sections DROP COLUMN hidden_count")
    op.execute("ALTER TABLE consultations DROP COLUMN hidden_count")
    op.drop_index("ix_comments_submission", table_name="comments")
    op.execute("ALTER TABLE comments DROP COLUMN submission_key")
