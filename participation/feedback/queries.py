"""What the feedback pages read: a fixed number of statements whatever the number of feedback rows."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from participation.cache import cached
from participation.extensions import db
from participation.feedback.models import Feedback, FeedbackState, PageFigure, Publication, Site, WeekFigure, WordFigure
from participation.moderation.models import Moderation
from participation.pages import Page, count_rows, load_models, page_by_ids

WEEKS_SHOWN = 12
WORDS_SHOWN = 15


def site_by_key(key: str) -> Site | None:
    return db.session.scalars(select(Site).where(Site.key == key)).first()


def sites_of(institution_id: int) -> list[Site]:
    return list(db.session.scalars(select(Site).where(Site.institution_id == institution_id, Site.removed_at.is_(None))
                                   .order_by(Site.name, Site.id)))


def _seen_by_staff():
    """Pre-moderated feedback reaches the institution once a moderator approved it; a requested publication waits
    for a moderator but the institution still reads it."""
    return (Feedback.moderation == Moderation.APPROVED) | (Feedback.publication != Publication.PRIVATE)


FILTERS = {
    "received": Feedback.state == FeedbackState.RECEIVED,
    "case": Feedback.state == FeedbackState.CASE,
    "noted": Feedback.state == FeedbackState.NOTED,
    "not_helped": Feedback.helped.is_(False),
}


def feedback_list(institution_id: int, page: int, per_page: int, state: str = "", site_id: int | None = None) -> Page:
    """The institution's feedback, newest first, read in index order; only the page's rows are loaded."""
    ids = select(Feedback.id).where(Feedback.institution_id == institution_id, _seen_by_staff())
    if site_id is not None:
        ids = ids.where(Feedback.site_id == site_id)
    if state in FILTERS:
        ids = ids.where(FILTERS[state])
    ids = ids.order_by(Feedback.created_at.desc(), Feedback.id.desc())
    total = cached(("feedback-total", institution_id, site_id, state), lambda: count_rows(ids))
    return page_by_ids(ids, page, per_page, _LOAD_ROWS, total=total)


_LOAD_ROWS = load_models(Feedback, joinedload(Feedback.case), joinedload(Feedback.site))


def site_total(site_id: int) -> PageFigure | None:
    return page_figure(site_id, "")


def page_figures(site_id: int, page: int, per_page: int) -> Page:
    """The site's pages, the lowest share of "helped" first (pages nobody answered yes or no last)."""
    query = (select(PageFigure).where(PageFigure.site_id == site_id, PageFigure.page_url != "")
             .order_by(PageFigure.share, PageFigure.page_url))
    total = cached(("feedback-pages", site_id), lambda: count_rows(query))
    rows = list(db.session.scalars(query.limit(per_page).offset((max(1, page) - 1) * per_page)))
    return Page(rows, max(1, page), per_page, total)


def all_page_figures(site_id: int):
    """Every page's counters, for the CSV export (streamed by the view)."""
    return db.session.scalars(select(PageFigure).where(PageFigure.site_id == site_id, PageFigure.page_url != "")
                              .order_by(PageFigure.share, PageFigure.page_url).execution_options(yield_per=500))


def weeks(site_id: int, page_url: str = "") -> list[WeekFigure]:
    rows = db.session.scalars(select(WeekFigure).where(WeekFigure.site_id == site_id, WeekFigure.page_url == page_url)
                              .order_by(WeekFigure.week_start.desc()).limit(WEEKS_SHOWN))
    return list(reversed(list(rows)))


def top_words(site_id: int, page_url: str = "") -> list[WordFigure]:
    return list(db.session.scalars(select(WordFigure).where(WordFigure.site_id == site_id, WordFigure.page_url == page_url)
                                   .order_by(WordFigure.count.desc(), WordFigure.word).limit(WORDS_SHOWN)))


def page_figure(site_id: int, page_url: str) -> PageFigure | None:
    """Always one statement (not the identity map), so the page's count of queries does not depend on what it read."""
    return db.session.scalars(select(PageFigure).where(PageFigure.site_id == site_id, PageFigure.page_url == page_url)).first()


def feedback_item(feedback_id: int) -> Feedback | None:
    if not 0 < feedback_id <= 2_147_483_647:
        return None
    return db.session.scalars(select(Feedback).where(Feedback.id == feedback_id)
                              .options(joinedload(Feedback.site), joinedload(Feedback.case), joinedload(Feedback.institution))).first()
