"""performance: counters kept by the services (supports per proposal, top-level comments per consultation and
per section) and the indexes the pages read in order

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

AWAITING = "state IN ('open', 'extended', 'forwarded')"


def upgrade():
    # Columns first (metadata only on PostgreSQL 11+), then the counters filled in batches and the indexes built
    # concurrently, so residents' writes are never held for long (bench/migration_locks.py).
    from participation.ops.schema_changes import backfill, create_index_concurrently

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('support_count', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_count', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_count', sa.Integer(), server_default='0', nullable=False))

    # Counters of what is already there (the services keep them from now on): counted first, then only the rows with
    # something to count are written, a batch at a time (each row is held only while it is written).
    backfill("proposals", "UPDATE proposals SET support_count = x.n FROM (SELECT proposal_id, count(*) AS n FROM supports "
                          "WHERE proposal_id BETWEEN :low AND :high GROUP BY proposal_id) AS x WHERE proposals.id = x.proposal_id")
    backfill("consultations", "UPDATE consultations SET comment_count = x.n FROM (SELECT consultation_id, count(*) AS n "
                              "FROM comments WHERE parent_id IS NULL AND consultation_id BETWEEN :low AND :high "
                              "GROUP BY consultation_id) AS x WHERE consultations.id = x.consultation_id")
    backfill("sections", "UPDATE sections SET comment_count = x.n FROM (SELECT section_id, count(*) AS n FROM comments "
                         "WHERE parent_id IS NULL AND section_id BETWEEN :low AND :high GROUP BY section_id) AS x "
                         "WHERE sections.id = x.section_id")

    create_index_concurrently('ix_proposals_support_order', 'proposals', ['support_count', 'submitted_at', 'id'])
    create_index_concurrently('ix_proposals_submitted_order', 'proposals', ['submitted_at', 'id'])
    # A consultation's (or a section's) top-level comments in id order: the comments page and the summary.
    create_index_concurrently('ix_comments_thread_order', 'comments', ['consultation_id', 'parent_id', 'id'])
    create_index_concurrently('ix_comments_section_order', 'comments', ['section_id', 'parent_id', 'id'])
    # The inbox and the institution page: what awaits an answer, nearest due date first, in index order.
    create_index_concurrently('ix_cases_awaiting_order', 'cases', ['institution_id', 'due_on', 'id'], where=AWAITING)
    # The response log, newest first, of the institution that answered or was forwarded to.
    create_index_concurrently('ix_responses_log_order', 'responses', ['institution_id', 'created_at', 'id'])
    create_index_concurrently('ix_responses_target_log_order', 'responses', ['target_institution_id', 'created_at', 'id'])


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_target_log_order')
        batch_op.drop_index('ix_responses_log_order')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_awaiting_order')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_section_order')
        batch_op.drop_index('ix_comments_thread_order')
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_column('comment_count')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('comment_count')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_submitted_order')
        batch_op.drop_index('ix_proposals_support_order')
        batch_op.drop_column('support_count')
