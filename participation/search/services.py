"""One search over everything: the match (FTS5 on SQLite; full text over unaccented Latvian stems on PostgreSQL), what
the reader may find (permissions.can_find), the filters, the rank, and a fallback for typos and odd inflections when the
words themselves find nothing (pg_trgm on PostgreSQL; the index's own vocabulary on SQLite).

A search runs a fixed number of statements whatever the data: one for the page (the matches are capped at CAP
candidates, ranked and counted in the same statement); when nothing matched, PostgreSQL tries the words as prefixes,
then trigrams, SQLite reads the index's vocabulary and searches again (at most three statements either way). At national
scale a common word matches a hundred thousand rows; ranking them all would take seconds, so the rank orders the newest
CAP matches by date (PostgreSQL walks the index on happened_at backwards for a common word: about 20 ms on 400,000
documents where the first CAP the index yielded took 200 ms; SQLite sorts the matches: about 90 ms for 40,000) and the
page says "more than" and how to reach older ones (the date filters)."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import Text, and_, bindparam, cast, column, func, literal_column, or_, select, table

from participation.clock import riga_to_utc, utcnow
from participation.extensions import db
from participation.institutions.models import Institution
from participation.pages import Page
from participation.search import registry, snippets, words
from participation.search.models import SearchDocument as D
from participation.search.permissions import can_find

PER_PAGE = 20
CAP = 1000
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


def _folded():
    """The expression of PostgreSQL's trigram index (migration 0019)."""
    return func.search_unaccent(func.lower(D.title + _SPACE + D.body))


def _tsquery(groups: list[list[str]]):
    """Every group must match; a group is alternatives (a word and its corrections), each matched as a prefix."""
    text = " & ".join("(" + " | ".join(f"{t}:*" for t in group) + ")" for group in groups)
    return func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("tsquery", text))


def _fts5_query(groups: list[list[str]]) -> str:
    return " AND ".join("(" + " OR ".join(f'"{t}"*' for t in group) + ")" for group in groups)


def candidates(groups: list[list[str]], query: str | None = None):
    """A SELECT of (id, rank: lower is better) of the documents that match, for the dialect in use; the caller adds its
    conditions on the documents (D). PostgreSQL with `query`: the query's stems, looked up exactly (the database stems
    them as it stemmed the documents: search_stems); otherwise each term of `groups` as a prefix."""
    if _dialect() == "postgresql":
        if query is not None:
            tsquery = func.plainto_tsquery(literal_column("'simple'::regconfig"), func.search_stems(bindparam("words", query)))
        else:
            tsquery = _tsquery(groups)
        return select(D.id.label("id"), (-func.ts_rank_cd(_vector(), tsquery)).label("rank")).where(_vector().op("@@")(tsquery))
    return (select(D.id.label("id"), func.bm25(_FTS, 4.0, 1.0).label("rank"))  # a word in the title counts more
            .select_from(_fts.join(D, D.id == _fts.c.rowid))
            .where(_FTS.op("MATCH")(bindparam("fts", _fts5_query(groups)))))


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

    def conditions(self) -> list:
        where = []
        if self.kinds:
            where.append(D.kind.in_(self.kinds))
        if self.institution_id:
            where.append(D.institution_id == self.institution_id)
        now = utcnow()
        if self.state == "open":
            where.append(or_(D.state == "awaiting", and_(D.open_from <= now, D.open_until >= now)))
        elif self.state == "answered":
            where.append(D.state == "answered")
        elif self.state == "closed":
            where.append(D.open_until < now)
        if self.date_from:
            where.append(D.happened_at >= riga_to_utc(datetime.combine(self.date_from, time())))
        if self.date_to:
            where.append(D.happened_at < riga_to_utc(datetime.combine(self.date_to + timedelta(days=1), time())))
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


def _page(found, filters: Filters, viewer, page: int, newest: bool = True):
    """The page's documents with their institution's name and the number of candidates, in one statement. With
    `newest`, the candidates are the newest CAP + 1 matches, not the first the index yields (the oldest), so a new
    comment on a common word is ranked. PostgreSQL's fallbacks (prefixes, trigrams) leave it out: they run only when the
    exact stems found nothing, so they rarely reach CAP, and with an order the planner may walk the date index backwards
    through every document for a rare prefix (a second instead of milliseconds on 400,000 documents)."""
    capped = found.where(can_find(viewer), *filters.conditions())
    if newest:
        capped = capped.order_by(D.happened_at.desc(), D.id.desc())
    capped = capped.limit(CAP + 1).subquery()
    statement = (select(D, Institution.name, func.count().over())
                 .join(capped, capped.c.id == D.id)
                 .outerjoin(Institution, Institution.id == D.institution_id)
                 .order_by(capped.c.rank, D.happened_at.desc(), D.id.desc())
                 .limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return db.session.execute(statement).all()


def _trigram(query: str):
    """PostgreSQL: documents that have, for every word typed, a word like it (pg_trgm's word similarity, from the
    trigram index): another inflection or a typo."""
    typed = list(dict.fromkeys(words.WORD.findall(words.fold(query))))[:words.MAX_TERMS]
    similar = [cast(bindparam(f"similar_{n}", word), Text) for n, word in enumerate(typed)]
    rank = -sum((func.word_similarity(word, _folded()) for word in similar), literal_column("0"))
    return select(D.id.label("id"), rank.label("rank")).where(*[_folded().op("%>")(word) for word in similar])


def _corrections(terms: list[str]) -> list[list[str]] | None:
    """SQLite: each term with the indexed words a typo or two away (the FTS5 vocabulary, read once for every term)."""
    vocabulary = table("search_fts_vocab", column("term"))
    starts = [t[:2] for t in terms if len(t) >= 4]
    if not starts:
        return None
    found = db.session.scalars(
        select(vocabulary.c.term).where(or_(*[vocabulary.c.term.between(s, s + "\uffff") for s in starts])).limit(20000)
    ).all()
    groups = []
    for term in terms:
        near = [w for w in found if w.startswith(term[:2]) and words.near(term, w)][:20]
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
    # PostgreSQL: the stems exactly first (an exact lookup stays fast on a word in every tenth comment), then as
    # prefixes ("simtgad" finds "simtgadīgi"); SQLite's FTS5 matches prefixes at once.
    rows = _page(candidates(groups, query[:200] if postgresql else None), filters, viewer, page)
    if not rows and postgresql:
        rows = _page(candidates(groups), filters, viewer, page, newest=False)
    corrected = False
    if not rows:
        if _dialect() == "postgresql":
            rows = _page(_trigram(query), filters, viewer, page, newest=False)
        elif (groups := _corrections(terms)) is not None:
            rows = _page(candidates(groups), filters, viewer, page)
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
