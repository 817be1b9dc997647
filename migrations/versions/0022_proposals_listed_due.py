"""The proposal list's "nearest deadline first" in one direction (issue 17): its pages are read from where the page
before ended (keyed pages, participation/pages.py), which needs the order's keys all ascending, so the index on
(case_awaiting DESC, case_due_on, id) is replaced by one on (NOT case_awaiting, case_due_on, id), the same order.

Revision ID: 0022
Revises: 0021
"""
import sqlalchemy as sa

from participation.ops.schema_changes import create_index_concurrently, drop_index_concurrently

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

LISTED = "status = 'submitted' AND moderation = 'approved' AND merged_into_id IS NULL"


def upgrade():
    create_index_concurrently("ix_proposals_listed_due", "proposals", [sa.text("(NOT case_awaiting)"), "case_due_on", "id"],
                              where=LISTED)
    drop_index_concurrently("ix_proposals_listed_deadline", "proposals")


def downgrade():
    create_index_concurrently("ix_proposals_listed_deadline", "proposals", [sa.text("case_awaiting DESC"), "case_due_on", "id"],
                              where=LISTED)
    drop_index_concurrently("ix_proposals_listed_due", "proposals")
