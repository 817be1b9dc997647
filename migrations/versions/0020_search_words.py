"""Search's words (issue 19): PostgreSQL's fallback for typos looks a typed word up in the index's vocabulary, not in
every document's text.

Migration 0019 forgave typos with a trigram index over every document's folded text: a word that finds nothing had
pg_trgm test each of the tens of thousands of documents sharing its trigrams (0.8 s at national scale). This adds
`search_words`, the stems of the public documents (the words of the generated `terms` column), with a trigram GIN index:
a typo is matched against the vocabulary (milliseconds), and the words found near it are searched in the full-text
index, as SQLite does with FTS5's vocabulary (participation/search/services.py).

A statement-level trigger adds the new stems of every insert of public documents into search_documents (the index
writes by delete and insert). The table has no unique key on purpose: a writer adding a new stem never waits for, nor
deadlocks with, another transaction adding the same one (a rare duplicate is harmless and goes at the nightly refresh).
Stems of documents hidden, deleted or erased since stay until that refresh (`search.indexing.refresh_words`, a
periodic job, and `flask search-reindex`); they only ever widen a correction, whose results are found with the reader's
own visibility.

The trigram index over the documents' text (0019) is no longer read; it is dropped by a later release's migration,
so that the release before this one keeps its typo search fast while both run (docs/deploy.md: expand, then
contract). SQLite: nothing (FTS5's vocabulary table already serves).

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
  INSERT INTO search_words (word)
    SELECT DISTINCT found.word
    FROM (SELECT unnest(tsvector_to_array(terms)) AS word FROM new_documents WHERE visibility = 'public') AS found
    WHERE NOT EXISTS (SELECT 1 FROM search_words AS known WHERE known.word = found.word);
  RETURN NULL;
END $$"""
FILL = ("INSERT INTO search_words (word) SELECT found.word "
        "FROM ts_stat('SELECT terms FROM search_documents WHERE visibility = ''public''') AS found "
        "WHERE NOT EXISTS (SELECT 1 FROM search_words AS known WHERE known.word = found.word)")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # Filled and indexed before the trigger exists (only this migration writes to it meanwhile), then the trigger,
    # then the words written in between; no resident's write waits on any of it (no unique key to wait on).
    op.execute("CREATE TABLE search_words (word text NOT NULL)")
    op.execute(ADD_WORDS)
    op.execute(FILL)
    op.execute("CREATE INDEX ix_search_words_word ON search_words (word)")
    op.execute("CREATE INDEX ix_search_words_trgm ON search_words USING gin (word gin_trgm_ops)")
    commit_step()
    op.execute("CREATE TRIGGER search_words_ai AFTER INSERT ON search_documents REFERENCING NEW TABLE AS new_documents "
               "FOR EACH STATEMENT EXECUTE FUNCTION search_words_add()")
    commit_step()  # the trigger's lock on search_documents ends here; the pass below only reads it
    op.execute(FILL)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS search_words_ai ON search_documents")
    op.execute("DROP FUNCTION IF EXISTS search_words_add()")
    op.execute("DROP TABLE IF EXISTS search_words")
