"""Account and privacy (issue 18): consent versions, e-mail change, deleted accounts, the audit log.

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        # Accounts that existed before: no version recorded, so the terms are shown at their next log-in.
        batch.add_column(sa.Column("terms_version", sa.String(20), nullable=False, server_default=""))
        batch.add_column(sa.Column("privacy_version", sa.String(20), nullable=False, server_default=""))
        batch.add_column(sa.Column("consented_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_users_deleted_at", ["deleted_at"])

    op.create_table(
        "security_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email_hash", sa.String(40), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("endpoint", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_security_events_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_security_events"),
    )
    with op.batch_alter_table("security_events") as batch:
        batch.create_index("ix_security_events_kind", ["kind"])
        batch.create_index("ix_security_events_user_id", ["user_id"])
        batch.create_index("ix_security_events_created_at", ["created_at"])

    op.create_table(
        "personal_data_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("admin_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("query", sa.String(200), nullable=False),
        sa.Column("subject_ids", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["admin_id"], ["users.id"], name="fk_personal_data_access_admin_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_personal_data_access"),
    )
    with op.batch_alter_table("personal_data_access") as batch:
        batch.create_index("ix_personal_data_access_admin_id", ["admin_id"])
        batch.create_index("ix_personal_data_access_created_at", ["created_at"])


def downgrade():
    op.drop_table("personal_data_access")
    op.drop_table("security_events")
    # Plain DROP COLUMN (SQLite 3.35+ has it): a batch copy of users would be refused by the foreign keys pointing at it.
    op.drop_index("ix_users_deleted_at", table_name="users")
    for column in ("deleted_at", "consented_at", "privacy_version", "terms_version"):
        op.execute(f"ALTER TABLE users DROP COLUMN {column}")
