"""The response log's times in one text form on SQLite (issue 17): log lines written by an earlier release stored a time
whose microseconds were 0 without them ("10:00:00"), the ORM writes "10:00:00.000000", and the log's keyed pages compare
those texts. Each line takes its response's time again. PostgreSQL stores times as times: nothing to do.

Revision ID: 0025
Revises: 0024
"""
import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text("UPDATE log_lines SET created_at = "
                           "(SELECT responses.created_at FROM responses WHERE responses.id = log_lines.response_id)"))


def downgrade():
    pass  # the same times, in the form the ORM writes
