"""The job consumer (`flask worker`): Huey's consumer over the app's kept queue (participation/jobs).

It imports every `participation.<package>.tasks` module, runs the jobs put on the queue (e-mail delivery right after
a change that wrote e-mail, digests, ...) in worker threads, and schedules the periodic tasks (the consultation
closing step and e-mail delivery every minute, and what the other packages add). Several consumers may run, one per
server: each periodic run is claimed once per minute in the `job_runs` table (participation/jobs/runs.py), e-mail
rows are claimed with SKIP LOCKED, so nothing is done twice. It stops on Ctrl-C or SIGTERM after the running jobs.
"""
import logging

from flask import Flask

from participation.jobs import huey, load_tasks

log = logging.getLogger("participation.worker")


def run_consumer(app: Flask, workers: int | None = None, periodic: bool = True) -> None:
    """Run the consumer in this process until it is stopped (a signal)."""
    with app.app_context():
        if huey.immediate:
            raise RuntimeError("JOBS_QUEUE=immediate has no queue to consume: set REDIS_URL or JOBS_QUEUE")
        queue = app.extensions["jobs"]["queue"]
    modules = load_tasks()
    log.info("job consumer: queue %s, tasks from %s", queue.split("@")[-1], ", ".join(modules))
    consumer = huey.create_consumer(workers=workers or app.config["JOBS_WORKERS"], worker_type="thread",
                                    periodic=periodic, check_worker_health=True)
    consumer.run()
