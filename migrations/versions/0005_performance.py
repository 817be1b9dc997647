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
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('support_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_proposals_support_order', ['support_count', 'submitted_at', 'id'], unique=False)
        batch_op.create_index('ix_proposals_submitted_order', ['submitted_at', 'id'], unique=False)
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_count', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_count', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('comments', schema=None) as batch_op:
        # A consultation's (or a section's) top-level comments in id order: the comments page and the summary.
        batch_op.create_index('ix_comments_thread_order', ['consultation_id', 'parent_id', 'id'], unique=False)
        batch_op.create_index('ix_comments_section_order', ['section_id', 'parent_id', 'id'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        # The inbox and the institution page: what awaits an answer, nearest due date first, in index order.
        batch_op.create_index('ix_cases_awaiting_order', ['institution_id', 'due_on', 'id'], unique=False,
                              postgresql_where=sa.text(AWAITING), sqlite_where=sa.text(AWAITING))
    with op.batch_alter_table('responses', schema=None) as batch_op:
        # The response log, newest first, of the institution that answered or was forwarded to.
        batch_op.create_index('ix_responses_log_order', ['institution_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_responses_target_log_order', ['target_institution_id', 'created_at', 'id'], unique=False)

    # Counters of what is already there (the services keep them from now on).
    op.execute("UPDATE proposals SET support_count = (SELECT count(*) FROM supports WHERE supports.proposal_id = proposals.id)")
    op.execute(
        "UPDATE consultations SET comment_count = (SELECT count(*) FROM comments "
        "WHERE comments.consultation_id = consultations.id AND comments.parent_id IS NULL)"
    )
    op.execute(
        "UPDATE sections SET comment_count = (SELECT count(*) FROM comments "
        "WHERE comments.section_id = sections.id AND comments.parent_id IS NULL)"
    )


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
