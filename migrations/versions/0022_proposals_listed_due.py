"""The proposal list's "nearest deadline first" in one direction (issue 17): its pages are read from where the page
before ended (keyed pages, participation/pages.py), which needs the order's keys all ascending, so the index on
(case_awaiting DESC, case_due_on, id) is replaced by one on (NOT case_awaiting, COALESCE(case_due_on, '9999-12-31'), id):
the same order, never NULL (a row comparison with a NULL is no answer). The expressions are written as SQLAlchemy writes
them for each database, so the queries use the index: NOT x on PostgreSQL, x = 0 on SQLite.

Revision ID: 0022
Revises: 0021
"""
import sqlalchemy as sa
from alembic import op

from participation.ops.schema_changes import create_index_concurrently, drop_index_concurrently

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

LISTED = "status = 'submitted' AND moderation = 'approved' AND merged_into_id IS NULL"


def upgrade():
    awaiting_last = "(NOT case_awaiting)" if op.get_bind().dialect.name == "postgresql" else "(case_awaiting = 0)"
    create_index_concurrently("ix_proposals_listed_due", "proposals",
                              [sa.text(awaiting_last), sa.text("coalesce(case_due_on, '9999-12-31')"), "id"], where=LISTED)
    drop_index_concurrently("ix_proposals_listed_deadline", "proposals")


def downgrade():
    create_index_concurrently("ix_proposals_listed_deadline", "proposals", [sa.text("case_awaiting DESC"), "case_due_on", "id"],
                              where=LISTED)
    drop_index_concurrently("ix_proposals_listed_due", "proposals")
