"""Indexes in the comments page's order (highlighted first, off-topic last, oldest first), so a page of a
10,000-comment consultation reads 20 rows instead of sorting them all.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Partial (top-level comments only): PostgreSQL reads an index in order only after equality conditions. Built
    # concurrently: comments go on being written meanwhile (bench/migration_locks.py).
    from participation.ops.schema_changes import create_index_concurrently

    create_index_concurrently('ix_comments_listing_order', 'comments',
                              ['consultation_id', sa.text('highlighted DESC'), 'off_topic', 'id'], where="parent_id IS NULL")
    create_index_concurrently('ix_comments_section_listing_order', 'comments',
                              ['section_id', sa.text('highlighted DESC'), 'off_topic', 'id'], where="parent_id IS NULL")


def downgrade():
    op.drop_index('ix_comments_section_listing_order', table_name='comments')
    op.drop_index('ix_comments_listing_order', table_name='comments')
