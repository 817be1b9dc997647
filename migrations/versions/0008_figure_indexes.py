"""Indexes for the public figures at national scale: the few private cases (the response log's total subtracts
their responses) and each institution's working days to answer in order (the median is read from the middle).

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    from participation.ops.schema_changes import create_index_concurrently  # cases keep being written meanwhile

    create_index_concurrently('ix_cases_private', 'cases', ['id'], where="is_private")
    create_index_concurrently('ix_cases_working_days', 'cases', ['institution_id', 'working_days_to_answer'],
                              where="working_days_to_answer IS NOT NULL")


def downgrade():
    op.drop_index('ix_cases_working_days', table_name='cases')
    op.drop_index('ix_cases_private', table_name='cases')
