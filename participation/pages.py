"""A page of a list that is not one ORM query (the attributes of Flask-SQLAlchemy's pagination), counting a query's
rows, and keyed pages (`page_by_keys`): a long list read from where the page before ended, so its thousandth page
costs what its first does."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, select, tuple_

from participation.extensions import db


@dataclass
class Page:
    """A page of a list that is not a single ORM query (same attributes as Flask-SQLAlchemy's pagination)."""

    items: list
    page: int
    per_page: int
    total: int
    # A keyed page (`page_by_keys`): the cursor the next page starts after, and the one the previous page ends before.
    next_after: str | None = None
    prev_before: str | None = None
    keyed: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        if self.keyed:
            return self.next_after is not None
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_by_ids(ids_query, page: int, per_page: int, load, total: int | None = None, params: dict | None = None) -> Page:
    """A page whose order is decided over ids alone (narrow rows sort fast and can come from an index), after which
    only that page's rows are read by `load(ids)` (rows with an `id`, in any order). `params` fill the ids query's
    bound parameters; `total` (e.g. a counter) spares counting the rows."""
    page = max(1, page)
    if total is None:
        total = count_rows(ids_query, params)
    ids = list(db.session.scalars(ids_query.limit(per_page).offset((page - 1) * per_page), params))
    return Page(_in_order(load, ids), page, per_page, total)


def _in_order(load, ids: list) -> list:
    """The rows `load(ids)` reads (in any order), in the order of `ids`; a row gone meanwhile is left out."""
    loaded = {row.id: row for row in load(ids)} if ids else {}
    return [loaded[i] for i in ids if i in loaded]


def load_models(model, *options):
    """A `load` for `page_by_ids` and `page_by_keys`: the mapped rows of those ids, with `options` (e.g. their
    relations). Make it once, where the module is loaded, not per page: its statement is then built once, with the ids
    as a parameter, and SQLAlchemy reuses the statement's cache key and its loader options (building them again for
    each page cost a third of the 1.2 ms CPU of reading twenty proposals with four relations)."""
    statement = select(model).where(model.id.in_(bindparam("ids", expanding=True, type_=model.id.type))).options(*options)
    return lambda ids: db.session.scalars(statement, {"ids": ids})


def count_rows(query, params: dict | None = None) -> int:
    """How many rows `query` returns (with `params` for its bound parameters), counted by the database (its order
    left out)."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()), params) or 0


# --- keyed pages --------------------------------------------------------------------------------------------------------

KEY_INT_LIMIT = 2 ** 31


def encode_key(values) -> str:
    """A row's place in its list's order as a URL value: the order's values joined by "_" (ids, dates, times)."""
    return "_".join("1" if v is True else "0" if v is False else v.isoformat() if isinstance(v, (date, datetime)) else str(v)
                    for v in values)


def decode_key(text: str | None, keys) -> tuple | None:
    """The values `encode_key` wrote for an order on `keys`; None for anything else (a hand-edited URL reads the list
    from its page number instead)."""
    if not text or len(text) > 200:
        return None
    parts = text.split("_")
    if len(parts) != len(keys):
        return None
    values = []
    try:
        for part, key in zip(parts, keys):
            kind = key.type.python_type
            if kind is bool:
                if part not in ("0", "1"):
                    return None
                values.append(part == "1")
            elif kind is datetime:
                values.append(datetime.fromisoformat(part))
            elif kind is date:
                values.append(date.fromisoformat(part))
            elif kind is int:
                number = int(part)
                if not -KEY_INT_LIMIT <= number < KEY_INT_LIMIT:  # the columns are 32-bit: no database error
                    return None
                values.append(number)
            else:
                values.append(kind(part))
    except (ValueError, TypeError, NotImplementedError, OverflowError):
        return None
    return tuple(values)


def page_by_keys(ids_query, keys: list, page: int, per_page: int, load, total: int, *, descending: bool,
                 after: str | None = None, before: str | None = None, params: dict | None = None) -> Page:
    """A page of a long list in the order of `keys` (columns or expressions, all ascending or all `descending`, the
    last one the row's unique id), read from an index where `ids_query` (a SELECT of the ids' table with its
    conditions, no order) and the keys match one.

    The pager's links carry the place where the page before ended (`after`) or the page after began (`before`), so
    any page costs one short index range, never an OFFSET over the rows before it. A page number without a place
    (page 1, the last page, a typed address) is read from the nearer end. `total` is the list's length (a counter or
    a cached count); page numbers are shown from it. `params` fill the query's bound parameters."""
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    forward = [k.desc() for k in keys] if descending else list(keys)
    backward = list(keys) if descending else [k.desc() for k in keys]
    query = ids_query.with_only_columns(*keys)

    def beyond(values, later: bool):
        place = tuple_(*[bindparam(None, v, type_=k.type) for k, v in zip(keys, values)])
        return tuple_(*keys) < place if later == descending else tuple_(*keys) > place

    def read(statement):
        return list(db.session.execute(statement, params))

    after_key, before_key = decode_key(after, keys), decode_key(before, keys)
    if after_key is not None and page > 1:
        rows = read(query.where(beyond(after_key, True)).order_by(*forward).limit(per_page + 1))
        more_after, rows = len(rows) > per_page, rows[:per_page]
        more_before = True
    elif before_key is not None and page > 1:
        rows = read(query.where(beyond(before_key, False)).order_by(*backward).limit(per_page + 1))
        more_before, rows = len(rows) > per_page, rows[:per_page][::-1]
        more_after = True
        if not more_before:  # the list changed and this is its start: page 1, full
            page = 1
            rows = read(query.order_by(*forward).limit(per_page + 1))
            more_after, rows = len(rows) > per_page, rows[:per_page]
    elif page > 1 and page - 1 > pages - page:  # nearer the end: read backwards from it
        skip = total - page * per_page
        count = per_page + min(0, skip)
        rows = read(query.order_by(*backward).limit(count).offset(max(0, skip)))[::-1] if count > 0 else []
        more_before, more_after = page > 1, page < pages
    else:
        rows = read(query.order_by(*forward).limit(per_page + 1).offset((page - 1) * per_page))
        more_after, rows = len(rows) > per_page, rows[:per_page]
        more_before = page > 1
    return Page(_in_order(load, [row[-1] for row in rows]), page, per_page, total,
                next_after=encode_key(rows[-1]) if rows and more_after else None,
                prev_before=encode_key(rows[0]) if rows and more_before and page > 1 else None, keyed=True)
