"""Speed for real traffic (issue 17): user text sanitised once at write time, counters, keyset orders.

- Beside each user text that pages list, its HTML as the sanitiser made it when it was written and the sanitiser's
  policy version (participation/text.py): comments, responses, proposals (problem, solution, benefit), feedback.
  Existing rows keep NULL and are sanitised when shown until `flask rerender-html` renders them.
- `counters`: list totals kept in the same transaction as the rows (participation/counters.py), filled here.
- The public proposal list's three orders as partial indexes over the listed proposals; for the nearest deadline
  first, each proposal holds a copy of its case's deadline (`case_awaiting`, `case_due_on`), filled here.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

KEPT = {"comments": ("text",), "responses": ("text",), "proposals": ("problem", "solution", "benefit"), "feedback": ("text",)}
LISTED_SQL = "status = 'submitted' AND moderation = 'approved' AND merged_into_id IS NULL"
# The public response log's lines (participation/counters.py LogLine): each response of a public case, for the
# institution that gave it and the one it was forwarded to.
LOG_LINES_SQL = (
    "INSERT INTO log_lines (institution_id, response_id, created_at) "
    "SELECT r.institution_id, r.id, r.created_at FROM responses r JOIN cases c ON c.id = r.case_id WHERE NOT c.is_private "
    "UNION ALL SELECT r.target_institution_id, r.id, r.created_at FROM responses r JOIN cases c ON c.id = r.case_id "
    "WHERE NOT c.is_private AND r.target_institution_id IS NOT NULL AND r.target_institution_id <> r.institution_id"
)
RECOUNT_SQL = (
    "INSERT INTO counters (name, value) SELECT 'proposals:listed', count(*) FROM proposals "
    "WHERE status = 'submitted' AND moderation = 'approved' AND merged_into_id IS NULL",
    "INSERT INTO counters (name, value) SELECT 'log:' || CAST(owner AS VARCHAR), count(*) FROM ("
    " SELECT r.institution_id AS owner FROM responses r JOIN cases c ON c.id = r.case_id WHERE NOT c.is_private"
    " UNION ALL SELECT r.target_institution_id FROM responses r JOIN cases c ON c.id = r.case_id"
    " WHERE NOT c.is_private AND r.target_institution_id IS NOT NULL) x GROUP BY owner",
)


# A response stays append-only, except that its stored HTML may be rendered again (`flask rerender-html`).
RESPONSE_COLUMNS = ("id", "case_id", "institution_id", "author_id", "kind", "position", "text", "supersedes_id",
                    "target_institution_id", "effective_on", "created_at")
APPEND_ONLY_SQLITE = (
    "DROP TRIGGER responses_no_update",
    "CREATE TRIGGER responses_no_update BEFORE UPDATE ON responses WHEN "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in RESPONSE_COLUMNS)
    + " BEGIN SELECT RAISE(ABORT, 'responses are append-only'); END",
)
APPEND_ONLY_POSTGRESQL = (
    """CREATE OR REPLACE FUNCTION responses_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'text_html' - 'html_policy') = (to_jsonb(OLD) - 'text_html' - 'html_policy')
         THEN RETURN NEW; END IF;
         RAISE EXCEPTION 'responses are append-only';
       END $$""",
)
APPEND_ONLY_BEFORE_SQLITE = (
    "DROP TRIGGER responses_no_update",
    "CREATE TRIGGER responses_no_update BEFORE UPDATE ON responses BEGIN SELECT RAISE(ABORT, 'responses are append-only'); END",
)
APPEND_ONLY_BEFORE_POSTGRESQL = (
    """CREATE OR REPLACE FUNCTION responses_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'responses are append-only'; END $$""",
)


def upgrade():
    # Large tables: columns only (metadata on PostgreSQL 11+), each committed on its own; the proposals' copy of their
    # case's deadline filled in committed batches; the list indexes built concurrently (bench/migration_locks.py).
    # Between this migration and the new release, the old code does not keep the copies and counters: run
    # `flask recount-counters` once the new release serves.
    from participation.ops.schema_changes import backfill, commit_step, create_index_concurrently

    for table, fields in KEPT.items():
        with op.batch_alter_table(table) as batch:
            for field in fields:
                batch.add_column(sa.Column(f"{field}_html", sa.Text(), nullable=True))
            batch.add_column(sa.Column("html_policy", sa.SmallInteger(), nullable=True))
        commit_step()
    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counters")),
    )
    with op.batch_alter_table("proposals") as batch:
        batch.add_column(sa.Column("case_awaiting", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("case_due_on", sa.Date(), nullable=True))
    commit_step()
    backfill("proposals", "UPDATE proposals SET case_awaiting = COALESCE((SELECT cases.state IN ('open', 'extended', "
                          "'forwarded') FROM cases WHERE cases.id = proposals.case_id), false), "
                          "case_due_on = (SELECT cases.due_on FROM cases WHERE cases.id = proposals.case_id) "
                          "WHERE proposals.id BETWEEN :low AND :high AND proposals.case_id IS NOT NULL")
    create_index_concurrently("ix_proposals_listed_deadline", "proposals", [sa.text("case_awaiting DESC"), "case_due_on", "id"],
                              where=LISTED_SQL)
    create_index_concurrently("ix_proposals_listed_supported", "proposals", ["support_count", "submitted_at", "id"],
                              where=LISTED_SQL)
    create_index_concurrently("ix_proposals_listed_newest", "proposals", ["submitted_at", "id"], where=LISTED_SQL)
    for statement in RECOUNT_SQL:
        op.execute(statement)
    op.create_table(
        "log_lines",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name=op.f("fk_log_lines_institution_id_institutions")),
        sa.ForeignKeyConstraint(["response_id"], ["responses.id"], name=op.f("fk_log_lines_response_id_responses")),
        sa.PrimaryKeyConstraint("institution_id", "response_id", name=op.f("pk_log_lines")),
    )
    op.create_index("ix_log_lines_order", "log_lines", ["institution_id", "created_at", "response_id"], unique=False)
    commit_step()  # the new table's foreign keys to responses and institutions; then its lines in committed batches
    backfill("responses", LOG_LINES_SQL.replace("WHERE NOT c.is_private", "WHERE r.id BETWEEN :low AND :high AND NOT c.is_private"))
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in APPEND_ONLY_POSTGRESQL if postgresql else APPEND_ONLY_SQLITE:
        op.execute(statement)


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+ has it): a batch copy of these tables would be refused by the foreign keys
    # pointing at them.
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in APPEND_ONLY_BEFORE_POSTGRESQL if postgresql else APPEND_ONLY_BEFORE_SQLITE:
        op.execute(statement)
    for index in ("ix_proposals_listed_deadline", "ix_proposals_listed_newest", "ix_proposals_listed_supported"):
        op.drop_index(index, table_name="proposals")
    op.execute("ALTER TABLE proposals DROP COLUMN case_due_on")
    op.execute("ALTER TABLE proposals DROP COLUMN case_awaiting")
    op.drop_index("ix_log_lines_order", table_name="log_lines")
    op.drop_table("log_lines")
    op.drop_table("counters")
    for table, fields in KEPT.items():
        for column in ("html_policy", *(f"{field}_html" for field in fields)):
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
