"""An institution's accountability figures and monthly charts are counted from one index of its cases (issue 17): on
PostgreSQL the index carries every column they count (INCLUDE), so PostgreSQL can answer them without reading the
cases' rows; a column added to those queries but not to the index would make every cold institution page visit each
of its cases again. SQLite has the same index without the carried columns."""
import re

import sqlalchemy as sa

from participation.extensions import db
from participation.institutions import charts
from participation.institutions.figures import _compute_figures


def _statements(work) -> list[tuple[str, object]]:
    seen = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if "FROM cases" in statement and "count(" in statement:
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", listen)
    try:
        work()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listen)
    return seen


def test_the_figures_and_monthly_charts_are_counted_from_the_index_alone(app, session, make_case):
    case = make_case()
    db.session.commit()
    institution_id = case.institution_id
    counted = _statements(lambda: (_compute_figures(institution_id), charts._compute((institution_id,), case.due_on, 12)))
    assert len(counted) == 3  # the figures, the answers by month, the overdue by month
    used = {column for statement, _ in counted for column in re.findall(r"\bcases\.(\w+)", statement)}
    assert {"institution_id", "answered_at", "working_days_to_answer", "due_on", "state"} <= used
    index = {i["name"]: i for i in sa.inspect(db.session.connection()).get_indexes("cases")}["ix_cases_institution_figures"]
    assert index["column_names"] == ["institution_id"]
    if app.config["DB_BACKEND"] == "postgresql":
        # Every column the three statements read is in the index: PostgreSQL can answer them from it alone (an
        # index-only scan), whatever it chooses for a table this small.
        carried = set(index["column_names"]) | set(index["dialect_options"].get("postgresql_include", []))
        assert used <= carried, used - carried
