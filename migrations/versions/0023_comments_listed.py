"""The comments page's order in one direction (issue 17): its pages are read from where the page before ended (keyed
pages, participation/pages.py), which needs the order's keys all ascending, so the indexes on (…, highlighted DESC,
off_topic, id) are replaced by ones on (…, NOT highlighted, off_topic, id), the same order (written as SQLAlchemy writes
it for each database, so the queries use them: NOT x on PostgreSQL, x = 0 on SQLite).

Revision ID: 0023
Revises: 0022
"""
import sqlalchemy as sa
from alembic import op

from participation.ops.schema_changes import create_index_concurrently, drop_index_concurrently

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

TOP_LEVEL = "parent_id IS NULL"
NEW = {"ix_comments_listed": "consultation_id", "ix_comments_section_listed": "section_id"}
OLD = {"ix_comments_listing_order": "consultation_id", "ix_comments_section_listing_order": "section_id"}


def upgrade():
    highlighted_first = "(NOT highlighted)" if op.get_bind().dialect.name == "postgresql" else "(highlighted = 0)"
    for name, parent in NEW.items():
        create_index_concurrently(name, "comments", [parent, sa.text(highlighted_first), "off_topic", "id"], where=TOP_LEVEL)
    for name in OLD:
        drop_index_concurrently(name, "comments")


def downgrade():
    for name, parent in OLD.items():
        create_index_concurrently(name, "comments", [parent, sa.text("highlighted DESC"), "off_topic", "id"], where=TOP_LEVEL)
    for name in NEW:
        drop_index_concurrently(name, "comments")
