"""Once across several consumers: a periodic run first claims its (task, minute) row; whoever loses skips the run."""
import logging

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from participation.clock import utcnow
from participation.extensions import db
from participation.jobs.models import JobRun

log = logging.getLogger("participation.jobs")


def claim(task: str) -> JobRun | None:
    """The claimed run of `task` for the current minute, or None when another consumer has it already."""
    slot = utcnow().replace(second=0, microsecond=0)
    run = JobRun(task=task, slot=slot, started_at=utcnow(), claims=1)
    db.session.add(run)
    try:
        db.session.commit()  # on PostgreSQL a concurrent claim waits here for ours, then fails on the unique key
    except IntegrityError:
        db.session.rollback()
        # Counted, so the record shows how many consumers tried (a check that several are running, and the test's).
        db.session.execute(update(JobRun).where(JobRun.task == task, JobRun.slot == slot)
                           .values(claims=JobRun.claims + 1))
        db.session.commit()
        return None
    return run


def run_once(task: str, fn, *args, **kwargs):
    """Run `fn` if this consumer claims the current minute of `task`; record when it finished or how it failed."""
    run = claim(task)
    if run is None:
        log.info("%s: this minute's run belongs to another consumer", task)
        return None
    run_id = run.id
    try:
        result = fn(*args, **kwargs)
    except Exception as error:
        db.session.rollback()
        db.session.get(JobRun, run_id).error = f"{type(error).__name__}: {error}"[:2000]
        db.session.commit()
        raise
    done = db.session.get(JobRun, run_id)
    done.finished_at = utcnow()
    db.session.commit()
    return result
