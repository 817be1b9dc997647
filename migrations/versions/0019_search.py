"""One search (issue 19): FTS5 on SQLite; full text, unaccent and pg_trgm on PostgreSQL.

search_documents holds one row per searchable thing (participation/search/models.py), kept in step by the app after
every flush. On SQLite an external-content FTS5 table (diacritics removed by its tokenizer) follows it through three
triggers. On PostgreSQL: the unaccent and pg_trgm extensions (both trusted: a database owner may create them), an
IMMUTABLE wrapper `search_unaccent(text)` (unaccent itself is only STABLE, so it cannot stand in an index), a Latvian
stemmer `search_stems(text)` (the same rule as participation/search/words.py), and two GIN
indexes: full text over a generated tsvector column `terms` ('simple' configuration over the folded text's stems, for
words in any form and prefixes; not on the model, PostgreSQL alone has it) and trigrams over the folded text (for inflected forms and
typos). The index is filled from the rows already there.

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

FOLDED = "search_unaccent(lower(title || ' ' || body))"
# A rough Latvian stem of every word (as participation/search/words.py: folded, the ending taken off, at least three
# letters kept), so one inflection finds the others by an exact lookup in the index (a prefix lookup walks every word
# with that prefix, several times slower on a common word). String functions, not a regular expression with the
# endings: PostgreSQL's regular expressions made it twice as slow.
STEMS = """CREATE OR REPLACE FUNCTION search_stems(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(string_agg(CASE
      WHEN length(w) >= 7 AND right(w, 4) IN ('ajam', 'ajai', 'ajos', 'ajas') THEN left(w, -4)
      WHEN length(w) >= 6 AND right(w, 3) IN ('iem', 'ama') THEN left(w, -3)
      WHEN length(w) >= 5 AND right(w, 2) IN ('am', 'em', 'im', 'um', 'os', 'as', 'es', 'is', 'us', 'ai', 'ei', 'ie')
        THEN left(w, -2)
      WHEN length(w) >= 4 AND right(w, 1) IN ('a', 'e', 'i', 'u', 's', 'o') THEN left(w, -1)
      ELSE w END, ' '), '')
  FROM string_to_table(regexp_replace(lower(public.search_unaccent($1)), '[^[:alnum:]]+', ' ', 'g'), ' ') AS w WHERE w <> ''
$$"""
# The stems of the title weigh more in the rank (A) than the text's (D).
VECTOR = ("setweight(to_tsvector('simple'::regconfig, search_stems(title)), 'A') || "
          "to_tsvector('simple'::regconfig, search_stems(body))")


def upgrade():
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("happened_at", sa.DateTime(), nullable=True),
        sa.Column("open_from", sa.DateTime(), nullable=True),
        sa.Column("open_until", sa.DateTime(), nullable=True),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
    )
    with op.batch_alter_table("search_documents") as batch:
        batch.create_index("ix_search_documents_kind_item", ["kind", "item_id"], unique=True)
        batch.create_index("ix_search_documents_kind_parent", ["kind", "parent_id"])
        batch.create_index(op.f("ix_search_documents_institution_id"), ["institution_id"])
        batch.create_index(op.f("ix_search_documents_happened_at"), ["happened_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE OR REPLACE FUNCTION search_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
                   "STRICT AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$")
        op.execute(STEMS)
        # The words stored once (a generated column): the index's recheck and the rank read them instead of folding
        # every candidate's text again.
        op.execute(f"ALTER TABLE search_documents ADD COLUMN terms tsvector GENERATED ALWAYS AS ({VECTOR}) STORED")
        op.execute("CREATE INDEX ix_search_documents_fts ON search_documents USING gin (terms)")
        op.execute(f"CREATE INDEX ix_search_documents_trgm ON search_documents USING gin ({FOLDED} gin_trgm_ops)")
    else:
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_documents', content_rowid='id', "
                   "tokenize='unicode61 remove_diacritics 2')")
        op.execute("CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')")  # words, for typos
        op.execute("CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
                   "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END")
        op.execute("CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
                   "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END")
        op.execute("CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
                   "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
                   "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END")
    # The rows already there (the kinds' statements of this day: the columns they read exist from 0018 on).
    from participation.search import indexing, kinds

    kinds.register_all()
    indexing.rebuild(op.get_bind())


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_documents_trgm")
        op.execute("DROP INDEX IF EXISTS ix_search_documents_fts")
        op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS terms")
    else:
        for trigger in ("search_documents_ai", "search_documents_ad", "search_documents_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts_vocab")
        op.execute("DROP TABLE IF EXISTS search_fts")
    with op.batch_alter_table("search_documents") as batch:
        batch.drop_index(op.f("ix_search_documents_happened_at"))
        batch.drop_index(op.f("ix_search_documents_institution_id"))
        batch.drop_index("ix_search_documents_kind_parent")
        batch.drop_index("ix_search_documents_kind_item")
    op.drop_table("search_documents")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS search_stems(text)")
        op.execute("DROP FUNCTION IF EXISTS search_unaccent(text)")
