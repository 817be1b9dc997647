"""A consultation's counter of top-level comments still waiting for a position: the summary table reads it instead
of counting its comments and their cases on every request. Filled from the rows already there.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    from participation.ops.schema_changes import backfill

    with op.batch_alter_table('consultations') as batch:
        batch.add_column(sa.Column('positions_waiting', sa.Integer(), server_default='0', nullable=False))
    # Counted first, then only consultations with comments waiting are written, a batch at a time.
    backfill("consultations", """
        UPDATE consultations SET positions_waiting = x.n FROM (
            SELECT comments.consultation_id, count(*) AS n FROM comments LEFT JOIN cases ON cases.id = comments.case_id
            WHERE comments.consultation_id BETWEEN :low AND :high AND comments.parent_id IS NULL
              AND comments.moderation = 'approved'
              AND (comments.case_id IS NULL OR (cases.position IS NULL AND cases.state <> 'not_examined'))
            GROUP BY comments.consultation_id) AS x
        WHERE consultations.id = x.consultation_id""")


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+ has it): a batch copy of the table would be refused by the foreign keys of
    # the rows that point at consultations.
    op.execute("ALTER TABLE consultations DROP COLUMN positions_waiting")
