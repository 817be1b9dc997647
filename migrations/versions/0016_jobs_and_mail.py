"""The kept job queue and e-mail (issue 18): what the outbox needs for retries and multipart mail, and the record of
periodic runs (one row per task and minute: the claim that makes a run happen once across several consumers).

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # New nullable columns only: no rewrite of the table, no long lock (issue 20).
    with op.batch_alter_table("outbox_messages") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("unsubscribe_url", sa.String(length=1000), nullable=True))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("failed_at", sa.DateTime(), nullable=True))
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=200), nullable=False),
        sa.Column("slot", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("task", "slot", name="uq_job_runs_task_slot"),
    )
    with op.batch_alter_table("job_runs") as batch:
        batch.create_index(batch.f("ix_job_runs_slot"), ["slot"], unique=False)


def downgrade():
    op.drop_table("job_runs")
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_column("failed_at")
        batch.drop_column("next_attempt_at")
        batch.drop_column("unsubscribe_url")
        batch.drop_column("locale")
