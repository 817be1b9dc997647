"""Follows, notification preferences and digests (issue 18).

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

EVENTS = ("answer", "opening", "closing", "version", "threshold", "stage", "cases_due")
FREQUENCIES = ("immediately", "daily", "weekly", "never")


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=False, length=20)


def upgrade():
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("reason", _enum(("followed", "commented", "submitted", "supported"), "followreason"), nullable=False),
        sa.Column("stopped_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("user_id", "subject_kind", "subject_id", name=op.f("uq_follows_user_id")),
    )
    op.create_index(op.f("ix_follows_user_id"), "follows", ["user_id"])
    op.create_index("ix_follows_subject", "follows", ["subject_kind", "subject_id"])
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event", _enum(EVENTS, "event"), nullable=False),
        sa.Column("frequency", _enum(FREQUENCIES, "frequency"), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notification_preferences_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", "event", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "pending_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("follow_id", sa.Integer(), nullable=True),
        sa.Column("event", _enum(EVENTS, "event"), nullable=False),
        sa.Column("frequency", _enum(FREQUENCIES, "frequency"), nullable=False),
        sa.Column("subject_kind", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["follow_id"], ["follows.id"], name=op.f("fk_pending_notifications_follow_id_follows"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_pending_notifications_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_notifications")),
    )
    op.create_index(op.f("ix_pending_notifications_user_id"), "pending_notifications", ["user_id"])
    op.create_index(op.f("ix_pending_notifications_follow_id"), "pending_notifications", ["follow_id"])
    op.create_index("ix_pending_notifications_due", "pending_notifications", ["frequency", "sent_at", "user_id", "id"])
    op.create_table(
        "notification_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_events")),
        sa.UniqueConstraint("key", name=op.f("uq_notification_events_key")),
    )
    # Who commented before this release follows those consultations, as a comment does from now on (they hear of a
    # new version as they choose, and can stop). The new tables' foreign keys to users are committed first; then the
    # follows are written a few consultations at a time, each batch committed, so no resident's row is held for long
    # (bench/migration_locks.py).
    from participation.ops.schema_changes import backfill, commit_step

    commit_step()
    now = "(now() AT TIME ZONE 'utc')" if op.get_bind().dialect.name == "postgresql" else "CURRENT_TIMESTAMP"
    backfill("consultations", "INSERT INTO follows (user_id, subject_kind, subject_id, reason, created_at) "
                              f"SELECT DISTINCT author_id, 'consultation', consultation_id, 'commented', {now} FROM comments "
                              "WHERE consultation_id BETWEEN :low AND :high", batch_rows=20)


def downgrade():
    op.drop_table("notification_events")
    op.drop_index("ix_pending_notifications_due", table_name="pending_notifications")
    op.drop_index(op.f("ix_pending_notifications_follow_id"), table_name="pending_notifications")
    op.drop_index(op.f("ix_pending_notifications_user_id"), table_name="pending_notifications")
    op.drop_table("pending_notifications")
    op.drop_table("notification_preferences")
    op.drop_index("ix_follows_subject", table_name="follows")
    op.drop_index(op.f("ix_follows_user_id"), table_name="follows")
    op.drop_table("follows")
