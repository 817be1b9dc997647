"""An index that holds everything the consultation list sorts by, so the order of 2,000 consultations is found
from the index alone (participation.pages.page_by_ids loads only the page's rows afterwards).

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    published = sa.text("published_at IS NOT NULL")
    op.create_index('ix_consultations_listing', 'consultations', ['closes_at', 'opens_at', 'id'], unique=False,
                    postgresql_where=published, sqlite_where=published)


def downgrade():
    op.drop_index('ix_consultations_listing', table_name='consultations')
