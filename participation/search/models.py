"""The search index: one row per searchable thing, derived from the channels' own rows (never edited by hand).

The full-text side lives beside it: on SQLite an FTS5 table `search_fts` (external content, kept by triggers on this
table); on PostgreSQL a generated tsvector column `terms` (the folded text's stems) with a GIN index, and the table
`search_words` of every stem, with a pg_trgm index, for typos. They are made by migrations 0019 and 0020 only, so they
are not declared here (Alembic does not compare them)."""
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from participation.extensions import db


class Visibility:
    """Who may find a document (participation/search/permissions.py turns it into SQL)."""

    PUBLIC = "public"  # everyone
    PENDING = "pending"  # waiting for a moderator: moderators and the author
    HIDDEN = "hidden"  # hidden by a moderator: moderators and the author
    OWN = "own"  # a draft: its author only
    EDITORS = "editors"  # an unpublished consultation: the institution's editors and administrators
    STAFF = "staff"  # a private case: the institution's staff and who raised it


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_kind_item", "kind", "item_id", unique=True),
        Index("ix_search_documents_kind_parent", "kind", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), doc="A registered kind: consultation, section, comment, ...")
    item_id: Mapped[int] = mapped_column(Integer, doc="The row's id in its own table")
    parent_id: Mapped[int | None] = mapped_column(Integer, doc="e.g. a comment's consultation, a response's case")
    ref: Mapped[str] = mapped_column(String(200), default="", doc="What the link needs besides ids (a slug)")
    institution_id: Mapped[int | None] = mapped_column(Integer, index=True)
    visibility: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int | None] = mapped_column(Integer, doc="Who finds their own pending, hidden or private item")
    state: Mapped[str] = mapped_column(String(20), default="", doc="awaiting, answered or empty")
    happened_at: Mapped[datetime | None] = mapped_column(index=True, doc="UTC: published, submitted, written, answered")
    open_from: Mapped[datetime | None] = mapped_column(doc="UTC: a consultation's comment window")
    open_until: Mapped[datetime | None] = mapped_column()
    context: Mapped[str] = mapped_column(Text, default="", doc="Where it is, e.g. the consultation's title")
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")

    COLUMNS = ("kind", "item_id", "parent_id", "ref", "institution_id", "visibility", "author_id", "state", "happened_at",
               "open_from", "open_until", "context", "title", "body")


def not_full_text_table(name, type_, parent_names) -> bool:
    """For Alembic's comparison (include_name): SQLite's FTS5 tables (search_fts, its shadow tables, the vocabulary),
    PostgreSQL's generated tsvector column, its GIN index and the words table are made by migrations 0019 and 0020 and
    are not declared on the models."""
    if type_ == "table" and name and (name.startswith("search_fts") or name == "search_words"):
        return False
    if type_ == "column" and name == "terms" and parent_names.get("table_name") == "search_documents":
        return False  # PostgreSQL's generated tsvector column
    return not (type_ == "index" and name in FULL_TEXT_INDEXES)


FULL_TEXT_INDEXES = ("ix_search_documents_fts", "ix_search_documents_trgm")
