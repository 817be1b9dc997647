"""/search: one search over everything, with filters; rate limited like every search (participation.security)."""
from flask import Blueprint, render_template, request
from flask_login import current_user
from markupsafe import Markup

from participation.cache import fragment
from participation.institutions.services import institution_choices
from participation.search import registry, services
from participation.search.forms import SearchForm
from participation.security import search_rate_limit
from participation.urls import page_number

bp = Blueprint("search", __name__)


@bp.route("/search")
@search_rate_limit
def index():
    institutions = institution_choices()
    form = SearchForm(request.args, institutions=institutions)
    searched = bool(request.args)
    valid = form.validate() if searched else True
    known_kinds = {k.name for k in registry.kinds()}
    kinds = tuple(k for k in (form.kind.data or ()) if k in known_kinds)
    institution = form.institution.data if form.institution.data in {str(i) for i, _name in institutions} else ""
    state = form.state.data if form.state.data in services.STATES else ""
    query = (form.q.data or "").strip()[:200]
    results = None
    if valid and query:
        filters = services.Filters(kinds, int(institution) if institution else None, state, form.date_from.data,
                                   form.date_to.data)
        results = services.search(query, current_user, filters, page_number())
    args = {"q": query or None, "kind": list(kinds) or None, "institution": institution or None, "state": state or None,
            "date_from": form.date_from.data.isoformat() if valid and form.date_from.data else None,
            "date_to": form.date_to.data.isoformat() if valid and form.date_to.data else None}
    status = 400 if not valid else 200
    return render_template("search/index.html", form=form, results=results, query=query,
                           filters_html=_filters_html(form, (tuple(sorted(set(kinds))), institution, state), institutions),
                           args={k: v for k, v in args.items() if v}, cap=services.CAP), status


def _filters_html(form: SearchForm, chosen: tuple, institutions) -> Markup:
    """The filters besides the words: the same for everyone in one language with the same choices made and the same
    institutions to choose from, so kept by each worker (cache.fragment: the GOV.UK macros of its checkboxes, selects
    and dates took a third of a search page's time);
    rendered afresh when a date was typed or anything is wrong (the typed text and the messages are the reader's), or
    when a choice is not one of the form's (unknown values are not kept: a query string could make any number)."""
    def render():
        return render_template("search/_filters.html", filters=form)

    typed = any(value for f in (form.date_from, form.date_to) for value in (f.raw_data or []))  # spaces too
    known = (set(chosen[0]) == set(form.kind.data or ()) and chosen[1] == (form.institution.data or "")
             and chosen[2] == (form.state.data or ""))  # a kind asked for twice is kept once
    if typed or form.errors or not known:
        return Markup(render())
    return fragment("search/_filters.html", chosen, institutions, render)
