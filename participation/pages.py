"""A page of a list that is not one ORM query (the attributes of Flask-SQLAlchemy's pagination)."""
from dataclasses import dataclass


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
