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
    with op.batch_alter_table('consultations') as batch:
        batch.add_column(sa.Column('positions_waiting', sa.Integer(), server_default='0', nullable=False))
    op.execute("""
        UPDATE consultations SET positions_waiting = (
            SELECT count(*) FROM comments LEFT JOIN cases ON cases.id = comments.case_id
            WHERE comments.consultation_id = consultations.id AND comments.parent_id IS NULL
              AND comments.moderation = 'approved'
              AND (comments.case_id IS NULL OR (cases.position IS NULL AND cases.state <> 'not_examined')))""")


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+ has it): a batch copy of the table would be refused by the foreign keys of
    # the rows that point at consultations.
    op.execute("ALTER TABLE consultations DROP COLUMN positions_waiting")
