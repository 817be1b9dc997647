"""Prometheus metrics at /metrics: requests and their latency by endpoint, the database pool, e-mail waiting in the
outbox, the job queue's length, and cases overdue per institution. Open only to a scraper that sends `Authorization: Bearer <METRICS_TOKEN>`;
without METRICS_TOKEN the page does not exist.

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR to an empty folder shared by the workers (the
prometheus_client multiprocess mode) so every worker's counts are added up.
"""
import hmac
import os
import time

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("lidzdaliba_requests_total", "Requests answered, by endpoint, method and status.",
                   ["endpoint", "method", "status"], registry=REGISTRY)
LATENCY = Histogram("lidzdaliba_request_seconds", "Time to answer a request, by endpoint.", ["endpoint"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5), registry=REGISTRY)


class DatabaseCollector:
    """Read at each scrape: the connection pool of this process, queued e-mail and overdue cases (two queries)."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        from sqlalchemy import func, select

        from participation.cases.models import AWAITING_STATES, Case
        from participation.clock import riga_today
        from participation.extensions import db
        from participation.institutions.models import Institution
        from participation.outbox.models import OutboxMessage

        with self.app.app_context():
            pool = db.engine.pool
            checked_out = GaugeMetricFamily("lidzdaliba_db_pool_checked_out", "Database connections in use (this process).")
            checked_out.add_metric([], getattr(pool, "checkedout", lambda: 0)())
            yield checked_out
            size = GaugeMetricFamily("lidzdaliba_db_pool_size", "Database connections kept open (this process).")
            size.add_metric([], getattr(pool, "size", lambda: 0)())
            yield size
            queued = GaugeMetricFamily("lidzdaliba_outbox_queued", "E-mail written to the outbox and not sent yet.")
            queued.add_metric([], db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))) or 0)
            yield queued
            from participation.jobs import queue_length

            waiting = queue_length()  # issue 18: jobs not yet taken by a consumer (absent when the queue cannot be read)
            if waiting is not None:
                jobs = GaugeMetricFamily("lidzdaliba_job_queue_length", "Jobs waiting in the job queue for a consumer.")
                jobs.add_metric([], waiting)
                yield jobs
            overdue = GaugeMetricFamily("lidzdaliba_cases_overdue", "Cases past their due date without an answer.",
                                        labels=["institution"])
            rows = db.session.execute(
                select(Institution.slug, func.count(Case.id)).join(Case, Case.institution_id == Institution.id)
                .where(Case.state.in_(AWAITING_STATES), Case.due_on < riga_today()).group_by(Institution.slug)
            ).all()
            for slug, count in rows:
                overdue.add_metric([slug], count)
            yield overdue
            db.session.remove()


def _start():
    g.metrics_started = time.perf_counter()


def _count(response):
    endpoint = request.endpoint or "unmatched"
    if endpoint != "static":
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        started = g.get("metrics_started")
        if started is not None:
            LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    return response


def metrics_view():
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    offered = request.headers.get("Authorization", "")
    if not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        abort(401)
    requests = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    body = generate_latest(requests) + generate_latest(current_app.extensions["metrics_database"])
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    database = CollectorRegistry()  # collected at each scrape, never at registration (no tables yet then)
    database.register(DatabaseCollector(app))
    app.extensions["metrics_database"] = database
    app.before_request(_start)
    app.after_request(_count)
    app.add_url_rule("/metrics", "metrics", metrics_view)
