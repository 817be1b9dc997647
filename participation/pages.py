"""A page of a list that is not one ORM query (the attributes of Flask-SQLAlchemy's pagination), and counting a
query's rows."""
from dataclasses import dataclass

from sqlalchemy import func, select

from participation.extensions import db


@dataclass
class Page:
    """A page of a list that is not a single ORM query (same attributes as Flask-SQLAlchemy's pagination)."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
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
    loaded = {row.id: row for row in load(ids)} if ids else {}
    return Page([loaded[i] for i in ids if i in loaded], page, per_page, total)


def load_models(model, *options):
    """A `load` for `page_by_ids`: the mapped rows of those ids, with `options` (e.g. their relations)."""
    return lambda ids: db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))


def count_rows(query, params: dict | None = None) -> int:
    """How many rows `query` returns (with `params` for its bound parameters), counted by the database (its order
    left out)."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()), params) or 0
