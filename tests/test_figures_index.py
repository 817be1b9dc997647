"""An institution's accountability figures and monthly charts are counted from one index of its cases (issue 17): on
PostgreSQL the index carries every column they count (INCLUDE), so PostgreSQL can answer them without reading the
cases' rows; a column added to those queries but not to the index would make every cold institution page visit each
of its cases again. SQLite has the same index without the carried columns."""
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
    connection = db.session.connection()
    if app.config["DB_BACKEND"] == "postgresql":
        # Whatever a tiny table's statistics would choose, forbid reading rows: the plan must still be the index alone.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        connection.exec_driver_sql("SET LOCAL enable_indexscan = off")
        for statement, parameters in counted:
            plan = "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters))
            assert "Index Only Scan using ix_cases_institution_figures" in plan or \
                "Index Only Scan using ix_cases_awaiting_order" in plan, plan
    else:
        indexes = {index["name"]: index["column_names"] for index in sa.inspect(connection).get_indexes("cases")}
        assert indexes["ix_cases_institution_figures"] == ["institution_id"]
