"""One search over everything: the match (FTS5 on SQLite; full text over unaccented Latvian stems on PostgreSQL), what
the reader may find (permissions.can_find), the filters, the rank, and a fallback for typos and odd inflections when the
words themselves find nothing (the index's own vocabulary: pg_trgm over its words on PostgreSQL, FTS5's on SQLite).

A search runs a fixed number of statements whatever the data: one for the page (the matches are capped at CAP
candidates, ranked and counted in the same statement; on PostgreSQL two more before it: a setting and the date of the
newest documents, _candidates); when nothing matched, PostgreSQL tries the words as prefixes, then both dialects read the
index's vocabulary for words a typo away and search again with them. At national scale a common word matches a hundred
thousand rows; ranking them all would take seconds, so the rank orders at most CAP matches, the newest first
(_candidates), and the page says "more than" and how to reach the others (more words, the date filters)."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from markupsafe import Markup
from sqlalchemy import Integer, Text, and_, bindparam, cast, column, func, literal_column, or_, select, table, union_all

from participation import cache
from participation.clock import riga_to_utc, utcnow
from participation.extensions import db
from participation.i18n import lazy_gettext as _l
from participation.institutions.models import Institution
from participation.pages import Page
from participation.search import registry, snippets, words
from participation.search.models import SearchDocument as D
from participation.search.permissions import PUBLIC, can_find, can_find_as, finder

PER_PAGE = 20
# Matches ranked at most (the page says "more than" beyond): 300 is fifteen pages. With 1,000, a query of two common
# words (one document in ten) found fewer than CAP among the newest RECENT documents and read the full-text index for
# the rest: 25-30 ms at national scale, where 300 are found among the newest and the statement takes 1-2 ms.
CAP = 300
SIMILARITY = 0.2  # pg_trgm's threshold for the words a typo might be (words.near decides)
RECENT = 10000  # the newest documents whose matches are ranked first (PostgreSQL)
MAX_PAGE = CAP // PER_PAGE
STATES = {"open": _l("Open or awaiting an answer"), "answered": _l("Answered"),
          "closed": _l("Consultation closed")}

_fts = table("search_fts", column("rowid"))
_FTS = literal_column("search_fts")
_SPACE = literal_column("' '")


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _vector():
    """PostgreSQL's stored words of a document (the generated column `terms` of migration 0019, GIN indexed)."""
    return literal_column("search_documents.terms")


def _tsquery_text(groups: list[list[str]]) -> str:
    """Every group must match; a group is alternatives (a word and its corrections), each matched as a prefix."""
    return " & ".join("(" + " | ".join(f"{t}:*" for t in group) + ")" for group in groups)


def _fts5_query(groups: list[list[str]]) -> str:
    return " AND ".join("(" + " OR ".join(f'"{t}"*' for t in group) + ")" for group in groups)


# How the words are matched: PostgreSQL's stems of the query looked up exactly, or terms as prefixes (to_tsquery);
# SQLite's FTS5 query. Each takes the words as one bound parameter.
STEMS, PREFIXES, FTS5 = "stems", "prefixes", "fts5"


def _matching(how: str, words_value, indexed: bool = True):
    """A SELECT of (id, rank: lower is better, happened_at) of the documents that match `words_value` (a value or a
    bound parameter) read `how`; the caller adds its conditions on the documents (D). `indexed=False` (PostgreSQL):
    the same match as a function, which the full-text index cannot answer, so the planner reads the rows the caller's
    other conditions choose (the newest documents through the date index) and tests each."""
    if how == FTS5:
        return (select(D.id.label("id"), func.bm25(_FTS, 4.0, 1.0).label("rank"),  # a word in the title counts more
                       D.happened_at.label("happened_at"))
                .select_from(_fts.join(D, D.id == _fts.c.rowid))
                .where(_FTS.op("MATCH")(words_value)))
    simple = literal_column("'simple'::regconfig")
    if how == STEMS:  # the database stems them as it stemmed the documents (search_stems)
        tsquery = func.plainto_tsquery(simple, func.search_stems(words_value))
    else:
        tsquery = func.to_tsquery(simple, words_value)
    match = _vector().op("@@")(tsquery) if indexed else func.ts_match_vq(_vector(), tsquery)
    return select(D.id.label("id"), (-func.ts_rank_cd(_vector(), tsquery)).label("rank"),
                  D.happened_at.label("happened_at")).where(match)


def _words(groups: list[list[str]], query: str | None) -> tuple[str, str]:
    """How the dialect in use matches, and the words as that match reads them. PostgreSQL with `query`: the query's
    stems, looked up exactly; otherwise each term of `groups` as a prefix (SQLite's FTS5 always)."""
    if _dialect() == "postgresql":
        return (STEMS, query) if query is not None else (PREFIXES, _tsquery_text(groups))
    return FTS5, _fts5_query(groups)


def candidates(groups: list[list[str]], query: str | None = None, indexed: bool = True):
    """`_matching` for the dialect in use, with the words as values (see _words)."""
    how, value = _words(groups, query)
    return _matching(how, bindparam("words", value), indexed)


def matching_items(kind: str, query: str, viewer):
    """The ids of a kind's items the query finds and the viewer may find: a list's search box (consultations, proposals,
    institutions) uses this instead of matching substrings itself. Nothing to look for finds nothing."""
    terms = words.terms(query)
    if not terms:
        return select(D.item_id).where(False)
    found = candidates([[t] for t in terms]).where(D.kind == kind, can_find(viewer)).subquery()
    return select(D.item_id).join(found, found.c.id == D.id)


@dataclass
class Filters:
    kinds: tuple[str, ...] = ()
    institution_id: int | None = None
    state: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def shape(self) -> tuple:
        """Which conditions apply (the statement built for them is kept: _page_statement); `values` fills them."""
        return bool(self.kinds), bool(self.institution_id), self.state, bool(self.date_from), bool(self.date_to)

    def values(self) -> dict:
        """The conditions' bound parameters."""
        found = {}
        if self.kinds:
            found["kinds"] = list(self.kinds)
        if self.institution_id:
            found["institution_id"] = self.institution_id
        if self.state in ("open", "closed"):
            found["now"] = utcnow()
        if self.date_from:
            found["date_from"] = riga_to_utc(datetime.combine(self.date_from, time()))
        if self.date_to:
            found["date_to"] = riga_to_utc(datetime.combine(self.date_to + timedelta(days=1), time()))
        return found

    @staticmethod
    def conditions(shape: tuple) -> list:
        """The conditions of a `shape`, over bound parameters named as in `values`."""
        kinds, institution, state, date_from, date_to = shape
        moment = D.happened_at.type
        where = []
        if kinds:
            where.append(D.kind.in_(bindparam("kinds", expanding=True)))
        if institution:
            where.append(D.institution_id == bindparam("institution_id", type_=D.institution_id.type))
        now = bindparam("now", type_=moment)
        if state == "open":
            where.append(or_(D.state == "awaiting", and_(D.open_from <= now, D.open_until >= now)))
        elif state == "answered":
            where.append(D.state == "answered")
        elif state == "closed":
            where.append(D.open_until < now)
        if date_from:
            where.append(D.happened_at >= bindparam("date_from", type_=moment))
        if date_to:
            where.append(D.happened_at < bindparam("date_to", type_=moment))
        return where


@dataclass
class Result:
    document: D
    kind: registry.Kind
    institution: str
    url: str
    title: Markup
    snippet: Markup


@dataclass
class Results(Page):
    """A page of results (the pagination attributes of participation.pages.Page)."""

    query: str = ""
    capped: bool = False  # more than CAP matched: `total` is CAP
    corrected: bool = False  # found through the fallback for typos and inflections


def _recent_cutoff():
    """PostgreSQL: the date after which a document is among the newest RECENT (None while there are fewer). Asked on
    its own, so that the page's statement is planned with it as a value (an index range of RECENT rows); one value for
    every search, so it is kept for COUNT_CACHE_SECONDS (participation/cache.py): the documents written meanwhile are
    recent too."""
    def newest():
        return db.session.scalar(select(D.happened_at).where(D.happened_at.is_not(None))
                                 .order_by(D.happened_at.desc()).offset(RECENT).limit(1))

    return cache.cached(("search-recent-cutoff", RECENT), newest)


def _candidates(shape: "_Shape", cap: int):
    """At most `cap` + 1 (CAP) of the matches the viewer may find, as a subquery of (id, rank). Without `newest`: the
    first the index yields. With it, the newest matches come first:

    - SQLite: the newest CAP + 1 matches (FTS5 yields every match, about 90 ms to sort 40,000).
    - PostgreSQL: the matches among the newest RECENT documents, newest first, read through the date index and tested
      one by one (at most RECENT rows, about 10 ms); only when they are fewer than CAP + 1, then as many older ones as
      the full-text index yields first. So a common word (one document in ten or more) ranks exactly its newest
      matches, a new comment on any word is ranked, and neither part costs more than RECENT rows or CAP + 1 index
      matches whatever the word and however its matches lie in time. (Ordering all the matches by date, the planner
      walked the date index backwards through 680,000 documents for a word in 32,000 old ones: 300 ms; sorting them
      after the full-text index costs a heap read per match.)"""
    words_value = bindparam("words", type_=Text)

    def found(indexed: bool):
        return _matching(shape.how, words_value, indexed).where(
            can_find_as(shape.finder, bindparam("viewer_id", type_=D.author_id.type)),
            *Filters.conditions(shape.filters))

    if not shape.newest:
        return found(True).limit(cap + 1).subquery()
    newest_first = (D.happened_at.desc(), D.id.desc())
    if shape.how == FTS5:
        return found(True).order_by(*newest_first).limit(cap + 1).subquery()
    if not shape.cutoff:  # fewer than RECENT documents: all of them are recent
        return found(False).order_by(*newest_first).limit(cap + 1).subquery()
    cutoff = bindparam("cutoff", type_=D.happened_at.type)
    recent = found(False).where(D.happened_at > cutoff).order_by(*newest_first).limit(cap + 1)
    older = found(True).where(or_(D.happened_at <= cutoff, D.happened_at.is_(None))).limit(cap + 1)
    both = union_all(recent.subquery().select(), older.subquery().select()).subquery()
    # An Append runs its parts in order and stops at the LIMIT: the older part runs only when the recent one found
    # fewer (PostgreSQL never makes a LIMITed part parallel). The two parts are disjoint (> cutoff, <= cutoff or none).
    return select(both.c.id, both.c.rank, both.c.happened_at).limit(cap + 1).subquery()


@dataclass(frozen=True)
class _Shape:
    """What a page's statement is built for; its values come as bound parameters, so each shape is built once per
    worker (_page_statement). Building the statement (its subqueries, unions and column collections) and SQLAlchemy's
    cache key for it cost about 1.8 ms of CPU, twice what running it costs."""

    how: str  # STEMS, PREFIXES or FTS5
    finder: str  # permissions.finder
    filters: tuple  # Filters.shape
    newest: bool
    cutoff: bool  # PostgreSQL with `newest`: whether there are more than RECENT documents


@lru_cache(maxsize=256)
def _page_statement(shape: _Shape, cap: int, per_page: int):
    capped = _candidates(shape, cap)
    # The candidates are ranked and counted on their own (id, rank, date); only the page's documents are then read.
    order = (capped.c.rank, capped.c.happened_at.desc(), capped.c.id.desc())
    top = (select(capped.c.id, capped.c.rank, capped.c.happened_at, func.count().over().label("total"))
           .order_by(*order).limit(per_page).offset(bindparam("skip", type_=Integer)).subquery())
    return (select(D, Institution.name, top.c.total)
            .join(top, top.c.id == D.id)
            .outerjoin(Institution, Institution.id == D.institution_id)
            .order_by(top.c.rank, top.c.happened_at.desc(), top.c.id.desc()))


def _page(how: str, words_value: str, filters: Filters, viewer, page: int, newest: bool = True):
    """The page's documents with their institution's name and the number of candidates (_candidates), in one statement
    (on PostgreSQL with `newest`, the recent documents' cutoff before it, unless cached). PostgreSQL's prefix fallback
    leaves `newest` out: it runs only when the exact stems found nothing, so it rarely reaches CAP."""
    role = finder(viewer)
    values = {"words": words_value, "skip": (page - 1) * PER_PAGE, **filters.values()}
    if role != PUBLIC:
        values["viewer_id"] = viewer.id
    cutoff = _recent_cutoff() if newest and how != FTS5 else None
    if cutoff is not None:
        values["cutoff"] = cutoff
    shape = _Shape(how, role, filters.shape(), newest, cutoff is not None)
    return db.session.execute(_page_statement(shape, CAP, PER_PAGE), values).all()


def _vocabulary(terms: list[str]) -> list[str]:
    """The index's words that might be a typed term with a typo, read once for every term: SQLite's FTS5 vocabulary
    (the words sharing a term's first two letters), PostgreSQL's table of stems (migration 0020) through its trigram
    index (pg_trgm's similarity: milliseconds, where matching trigrams in the documents' text took a second)."""
    long_enough = [t for t in terms if len(t) >= 4]
    if not long_enough:
        return []
    if _dialect() == "postgresql":
        vocabulary = table("search_words", column("word"))
        typed = [cast(bindparam(f"typed_{n}", t), Text) for n, t in enumerate(long_enough)]
        return list(dict.fromkeys(db.session.scalars(  # the table may hold a word twice (migration 0020)
            select(vocabulary.c.word).where(or_(*[vocabulary.c.word.op("%")(t) for t in typed])).limit(20000))))
    vocabulary = table("search_fts_vocab", column("term"))
    return db.session.scalars(select(vocabulary.c.term).where(
        or_(*[vocabulary.c.term.between(t[:2], t[:2] + "\uffff") for t in long_enough])).limit(20000)).all()


def _corrections(terms: list[str]) -> list[list[str]] | None:
    """Each term with the index's words a typo or two away (words.near), or None when no term has any."""
    found = _vocabulary(terms)
    groups = []
    for term in terms:
        near = [w for w in found if w != term and w.startswith(term[:2]) and words.near(term, w)][:20]
        groups.append([term, *near])
    return groups if any(len(g) > 1 for g in groups) else None


def search(query: str, viewer, filters: Filters | None = None, page: int = 1) -> Results:
    """A page of what the query finds that the viewer may see, best first."""
    filters = filters or Filters()
    terms = words.terms(query)
    page = min(max(1, page), MAX_PAGE)
    if not terms:
        return Results([], page, PER_PAGE, 0, query=query)
    groups = [[t] for t in terms]
    postgresql = _dialect() == "postgresql"
    if postgresql:
        # For this transaction (a SELECT, so the request still counts as read-only: participation/transactions.py):
        # plans made for this search's words and dates every time (a statement the driver has prepared, after five
        # runs, may otherwise get a generic plan, which cannot tell a common word from a rare one: 200 ms instead of
        # 10), and pg_trgm's similarity low enough for a typo in a short stem ("skila": 0.25 to "skol").
        db.session.execute(select(func.set_config("plan_cache_mode", "force_custom_plan", True),
                                  func.set_config("pg_trgm.similarity_threshold", str(SIMILARITY), True)))
    # PostgreSQL: the stems exactly first (an exact lookup stays fast on a word in every tenth comment), then as
    # prefixes ("simtgad" finds "simtgadīgi"); SQLite's FTS5 matches prefixes at once.
    rows = _page(*_words(groups, query[:200] if postgresql else None), filters, viewer, page)
    if not rows and postgresql:
        rows = _page(*_words(groups, None), filters, viewer, page, newest=False)
    corrected = False
    if not rows and (groups := _corrections(terms)) is not None:
        rows = _page(*_words(groups, None), filters, viewer, page)
        corrected = bool(rows)
    total = rows[0][2] if rows else 0
    items = []
    for document, institution, _total in rows:
        kind = registry.kind(document.kind)
        if kind is None:
            continue
        items.append(Result(document, kind, institution or "", kind.url(document),
                            snippets.title(document.title, terms, corrected),
                            snippets.snippet(kind.shown_text(document.body), terms, corrected)))
    return Results(items, page, PER_PAGE, min(total, CAP), query=query, capped=total > CAP, corrected=corrected)
