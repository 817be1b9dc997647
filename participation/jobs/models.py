"""The record of periodic task runs: one row per task and scheduled minute, claimed by the consumer that runs it."""
from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from participation.clock import utcnow
from participation.extensions import db


class JobRun(db.Model):
    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("task", "slot", name="uq_job_runs_task_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(200))
    slot: Mapped[datetime] = mapped_column(index=True)  # the scheduled minute (UTC) this run is for
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    claims: Mapped[int] = mapped_column(default=1)  # how many consumers tried to run it (only the first did)
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
