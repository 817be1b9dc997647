"""The baseline: a bare Flask app that renders a 50-row SQLAlchemy query through a Jinja template, served by the same
gunicorn settings and loaded by the same generator as the platform, so each page's throughput is read as a share of
what Flask, SQLAlchemy and Jinja cost on this machine in the same run.

    BENCH_BASELINE_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/lidzdaliba_bench gunicorn bench.baseline:app
"""
import gc
import os
from datetime import datetime

from flask import Flask, render_template_string
from sqlalchemy import String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

TEMPLATE = """<!doctype html>
<html lang="lv"><head><meta charset="utf-8"><title>Baseline</title></head>
<body><main><h1>Proposals</h1>
<table><thead><tr><th>No.</th><th>Title</th><th>Submitted</th></tr></thead><tbody>
{% for p in rows %}<tr><td>{{ p.id }}</td><td><a href="/proposals/{{ p.id }}">{{ p.title }}</a></td><td>{{ p.submitted_at }}</td></tr>
{% endfor %}</tbody></table></main></body></html>"""


class Base(DeclarativeBase):
    pass


class Proposal(Base):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime | None]


def create_baseline_app(database_url: str) -> Flask:
    app = Flask(__name__)
    engine = create_engine(database_url)

    @app.route("/")
    def page():
        with Session(engine) as session:
            rows = session.scalars(select(Proposal).order_by(Proposal.id).limit(50)).all()
            return render_template_string(TEMPLATE, rows=rows)

    return app


app = create_baseline_app(os.environ.get("BENCH_BASELINE_DATABASE_URL", "sqlite://")) if __name__ != "__main__" else None
gc.freeze()  # as wsgi.py does for the platform: the same treatment on both sides
