"""Search's words (issue 19): PostgreSQL's fallback for typos looks a typed word up in the index's vocabulary, not in
every document's text.

Migration 0019 forgave typos with a trigram index over every document's folded text: a word that finds nothing had
pg_trgm test each of the tens of thousands of documents sharing its trigrams (0.8 s at national scale). This adds
`search_words`, every stem the documents hold (the words of the generated `terms` column), with a trigram GIN index:
a typo is matched against the vocabulary (milliseconds), and the words found near it are searched in the full-text
index, as SQLite does with FTS5's vocabulary (participation/search/services.py). A statement-level trigger adds the
new stems of every insert into search_documents (the index writes by delete and insert); a stem whose documents are
all gone stays until `flask search-reindex` (it can only widen a correction, never show a document). The trigram
index over the documents' text is dropped.

SQLite: nothing (FTS5's vocabulary table already serves).

Revision ID: 0020
Revises: 0019
"""
from alembic import op

from participation.ops.schema_changes import commit_step

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

ADD_WORDS = """CREATE OR REPLACE FUNCTION search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- In one order, so that two writers adding the same new words wait for each other instead of deadlocking.
  INSERT INTO search_words (word)
    SELECT DISTINCT unnest(tsvector_to_array(terms)) FROM new_documents ORDER BY 1
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$"""


FILL = ("INSERT INTO search_words (word) SELECT word FROM ts_stat('SELECT terms FROM search_documents') "
        "ON CONFLICT DO NOTHING")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # Filled and indexed before any writer adds to it, then the trigger, then the words written meanwhile: no resident's
    # write waits on the fill (a writer adding a word the fill holds uncommitted would wait for the whole fill).
    op.execute("CREATE TABLE search_words (word text PRIMARY KEY)")
    op.execute(ADD_WORDS)
    op.execute(FILL)
    op.execute("CREATE INDEX ix_search_words_trgm ON search_words USING gin (word gin_trgm_ops)")
    commit_step()
    op.execute("CREATE TRIGGER search_words_ai AFTER INSERT ON search_documents REFERENCING NEW TABLE AS new_documents "
               "FOR EACH STATEMENT EXECUTE FUNCTION search_words_add()")
    commit_step()  # the trigger's lock on search_documents ends here; the pass below only reads it
    op.execute(FILL)
    with op.get_context().autocommit_block():
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_search_documents_trgm")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS search_words_ai ON search_documents")
    op.execute("DROP FUNCTION IF EXISTS search_words_add()")
    op.execute("DROP TABLE IF EXISTS search_words")
    op.execute("CREATE INDEX ix_search_documents_trgm ON search_documents USING gin "
               "(search_unaccent(lower(title || ' ' || body)) gin_trgm_ops)")
