"""The pager under every long list: GOV.UK's pagination (previous and next, the first and last pages and the ones
beside the current) built in Python, once per page, for the `govukPagination` macro (templates/macros/pagination.html).

A keyed page (participation/pages.py `page_by_keys`) links its neighbours by where they start (`after`, `before`), so
following them never costs an OFFSET and never depends on the list's total; its first and last pages' own links are
plain page numbers (each read from its own end)."""
from flask import url_for
from participation.i18n import gettext as _


def pager_params(page, endpoint: str, args: dict) -> dict | None:
    """`govukPagination`'s parameters for `page` (a Page or Flask-SQLAlchemy pagination) of the list at `endpoint`
    with its query `args` (None values are left out of the links); None when there is one page only."""
    if page.pages <= 1:
        return None
    keyed = getattr(page, "keyed", False)

    def href(number: int) -> str:
        if keyed and 1 < number == page.page - 1 and page.prev_before:
            return url_for(endpoint, **args, page=number, before=page.prev_before)
        if keyed and number == page.page + 1 and page.next_after:  # the last page too: its place, not the total
            return url_for(endpoint, **args, page=number, after=page.next_after)
        return url_for(endpoint, **args, page=number)

    items, last = [], 0
    for number in sorted({n for n in (1, page.page - 1, page.page, page.page + 1, page.pages) if 1 <= n <= page.pages}):
        if number > last + 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.page,
                      "visuallyHiddenText": _("Page %(page)s", page=number)})
        last = number
    params = {"landmarkLabel": _("Pages"), "items": items}
    if page.has_prev:
        params["previous"] = {"text": _("Previous page"), "href": href(page.page - 1)}
    if page.has_next:
        params["next"] = {"text": _("Next page"), "href": href(page.page + 1)}
    return params
