"""Follows in a real browser against the live demo (issue 18): follow a group from its page, choose a weekly digest,
stop a follow from the settings page, and stop another from the e-mail's unsubscribe link without being signed in."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from participation.accounts.models import User
from participation.follows.models import Event, Follow, Frequency, NotificationPreference
from participation.follows.services import Unsubscription, unsubscribe_token
from participation.groups.models import Group

pytestmark = pytest.mark.browser

PERSON = "seniors@example.lv"  # commented on consultations and submitted proposals in the demo


def _banner(page):
    return page.locator("main .govuk-notification-banner")


def test_follow_choose_a_digest_and_unfollow(page_as, live_db, tr):
    lv = "lv"
    with live_db() as s:
        group = s.scalars(select(Group).order_by(Group.id)).first()
        slug, name = group.slug, group.name
    page = page_as(PERSON)
    page.goto(f"/groups/{slug}")
    page.locator("main form[action='/follows/follow'] button").click()
    expect(_banner(page)).to_contain_text(tr(lv, "You follow \"%(title)s\". Choose how you hear about it in your notification settings.", title=name))
    expect(page.locator("main form[action='/follows/unfollow'] button")).to_contain_text(tr(lv, "Unfollow"))

    page.get_by_role("link", name=tr(lv, "Notification settings")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lv, "Notifications and follows"))
    stage = page.get_by_role("group", name=tr(lv, "A co-creation process moves to its next stage"))
    stage.get_by_label(tr(lv, "In a weekly digest"), exact=True).check()
    page.get_by_role("button", name=tr(lv, "Save")).click()
    expect(_banner(page)).to_contain_text(tr(lv, "Your notification settings are saved."))
    expect(page.get_by_role("group", name=tr(lv, "A co-creation process moves to its next stage"))
           .get_by_label(tr(lv, "In a weekly digest"), exact=True)).to_be_checked()
    with live_db() as s:
        person = s.scalar(select(User).where(User.email == PERSON))
        chosen = s.scalar(select(NotificationPreference.frequency).where(NotificationPreference.user_id == person.id,
                                                                         NotificationPreference.event == Event.STAGE))
    assert chosen == Frequency.WEEKLY

    row = page.locator("main table tbody tr", has=page.get_by_role("link", name=name, exact=True))
    row.get_by_role("button").click()
    expect(_banner(page)).to_contain_text(tr(lv, "You no longer follow \"%(title)s\".", title=name))
    expect(page.locator("main table").get_by_role("link", name=name, exact=True)).to_have_count(0)


def test_the_unsubscribe_link_works_signed_out(page, live_db, tr):
    lv = "lv"
    with live_db() as s:
        person = s.scalar(select(User).where(User.email == PERSON))
        follows = s.scalars(select(Follow).where(Follow.user_id == person.id, Follow.stopped_at.is_(None))
                            .order_by(Follow.id)).all()
        assert len(follows) >= 2, "the demo person follows what they commented on and submitted"
        target, other = follows[0].id, follows[1].id
        url = f"/unsubscribe/{unsubscribe_token(Unsubscription('follow', person.id, follow_id=target))}"
    page.goto(url)
    page.get_by_role("button", name=tr(lv, "Stop these e-mails")).click()
    expect(page.locator("main .govuk-panel__title")).to_have_text(tr(lv, "Done"))
    with live_db() as s:
        assert s.get(Follow, target).stopped_at is not None
        assert s.get(Follow, other).stopped_at is None  # only the one the link names
