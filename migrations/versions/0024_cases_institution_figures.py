"""An institution's cases with the columns its accountability figures count (issue 17): on PostgreSQL the index on
cases.institution_id is replaced by one that also carries (INCLUDE) the figures' and monthly charts' columns, so an
institution page whose cached figures expired counts them from the index alone instead of visiting every case's row.
It serves every lookup the old index did.

Revision ID: 0024
Revises: 0023
"""
from participation.ops.schema_changes import create_index_concurrently, drop_index_concurrently

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

FIGURES_COLUMNS = ["id", "answered_at", "answered_in_time", "state", "due_on", "working_days_to_answer", "channel", "position"]


def upgrade():
    create_index_concurrently("ix_cases_institution_figures", "cases", ["institution_id"], include=FIGURES_COLUMNS)
    drop_index_concurrently("ix_cases_institution_id", "cases")


def downgrade():
    create_index_concurrently("ix_cases_institution_id", "cases", ["institution_id"])
    drop_index_concurrently("ix_cases_institution_figures", "cases")
