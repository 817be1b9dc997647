"""Follows, notification preferences, digests and the one-click unsubscribe (issue 18).

The core of the issue's test: each preference × each event either sends at once, waits for the digest, or stays
silent; and the unsubscribe link stops, without a session, exactly the one subscription it names."""
from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from participation.cases import services as case_services
from participation.cases.models import Position
from participation.clock import utcnow
from participation.consultations import services as consultation_services
from participation.extensions import db
from participation.follows import digests, services
from participation.follows.models import Event, Follow, FollowReason, Frequency, PendingNotification
from participation.follows.services import Notice, Unsubscription
from participation.institutions.models import StaffRole
from participation.moderation.models import Moderation
from participation.outbox.models import OutboxMessage
from participation.proposals import services as proposal_services
from tests.factories import DRAFT, FIELDS


def mails_to(email):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)).all()


def pending_for(user):
    return db.session.scalars(select(PendingNotification).where(PendingNotification.user_id == user.id)).all()


def follow_row(user, kind, subject_id):
    return db.session.scalar(select(Follow).where(Follow.user_id == user.id, Follow.subject_kind == kind,
                                                  Follow.subject_id == subject_id))


def unsubscribe_link(message) -> str:
    """The one-click URL a message carries: in its header field when the outbox has one, else in the body."""
    url = getattr(message, "unsubscribe_url", None)
    if url:
        return url
    return next(word for word in message.body.split() if "/unsubscribe/" in word)


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- each event, triggered through the real services ----------------------------------------------------------------
# Each trigger makes a subject, has `follower` follow it (explicitly, as the button does), makes the event happen and
# returns a word the follower's e-mail or digest line must contain.


def _answer(env, follower):
    proposal = env.make_proposal()
    services.follow(follower, "proposal", proposal.id)
    responder = env.make_staff(proposal.institution)
    case_services.answer_case(proposal.case, responder, Position.ACCEPTED, "Uzstādīsim soliņus.")
    return proposal.title


def _opening(env, follower):
    editor, institution = env.editor_and_institution
    services.follow(follower, "institution", institution.id)
    consultation = consultation_services.save_draft(institution, editor, FIELDS, DRAFT)
    consultation_services.publish(consultation, datetime(2026, 3, 10, 9, 0), date(2026, 4, 9))
    return FIELDS["title"]


def _closing(env, follower):
    consultation = env.open_consultation
    services.follow(follower, "consultation", consultation.id)
    env.fixed_now(datetime(2026, 4, 7, 9, 0))  # the window ends 2026-04-09 20:59:59 UTC: within 72 hours
    assert digests.sweep_closing_soon() == 1
    return consultation.title


def _version(env, follower):
    consultation = env.open_consultation
    services.follow(follower, "consultation", consultation.id)
    editor, _institution = env.editor_and_institution
    env.fixed_now(datetime(2026, 4, 15, 9, 0))
    consultation_services.publish_version(consultation, editor, DRAFT + "4. Jauns punkts.\n", "Papildināts.")
    return consultation.title


def _threshold(env, follower):
    institution = env.make_institution()
    proposal_services.save_settings(institution, False, 2, 30)
    proposal = env.make_proposal(institution=institution)
    services.follow(follower, "proposal", proposal.id)
    for _ in range(2):
        proposal_services.support(proposal, env.make_user())
    assert proposal.case.collective_at is not None
    return proposal.title


COCREATION_DRAFT = "Saistošie noteikumi par mājdzīvniekiem\n\n1. Suņus ved pavadā.\n2. Noteikumi stājas spēkā.\n"


def _cocreation(env):
    from datetime import timedelta

    from participation.clock import riga_today
    from participation.cocreation import services as cocreation_services

    institution = env.make_institution()
    editor = env.make_staff(institution, role=StaffRole.EDITOR)
    today = riga_today()
    process = cocreation_services.create_process(institution, editor, "Mājdzīvnieku noteikumi", "Suņi bez pavadas.",
                                                 today + timedelta(days=10), today + timedelta(days=40),
                                                 today + timedelta(days=90))
    return process, editor


def _stage(env, follower):
    from participation.cocreation import services as cocreation_services

    process, editor = _cocreation(env)
    services.follow(follower, "cocreation", process.id)
    cocreation_services.publish_draft(process, editor, COCREATION_DRAFT)  # ideas → drafting
    return process.title


TRIGGERS = {Event.ANSWER: _answer, Event.OPENING: _opening, Event.CLOSING: _closing, Event.VERSION: _version,
            Event.THRESHOLD: _threshold, Event.STAGE: _stage}


class Env:
    def __init__(self, request):
        self.request = request

    def __getattr__(self, name):
        return self.request.getfixturevalue(name)


@pytest.mark.parametrize("frequency", list(Frequency))
@pytest.mark.parametrize("event", list(TRIGGERS))
def test_each_preference_for_each_event_sends_batches_or_stays_silent(request, app, make_user, fixed_now, event, frequency):
    fixed_now(datetime(2026, 3, 10, 7, 0))
    follower = make_user(name="Sekotāja", locale="lv")
    services.set_preferences(follower, {event: frequency})
    word = TRIGGERS[event](Env(request), follower)

    mails, lines = mails_to(follower.email), pending_for(follower)
    if frequency == Frequency.IMMEDIATELY:
        assert len(mails) == 1 and not lines
        assert word in mails[0].subject + mails[0].body
        assert "/unsubscribe/" in unsubscribe_link(mails[0])
    elif frequency == Frequency.NEVER:
        assert not mails and not lines
    else:
        assert not mails
        (line,) = lines
        assert line.frequency == frequency and line.event == event and line.sent_at is None and word in line.text
        other = Frequency.WEEKLY if frequency == Frequency.DAILY else Frequency.DAILY
        assert digests.send_digests(other) == 0 and not mails_to(follower.email)
        assert digests.send_digests(frequency) == 1
        (digest,) = mails_to(follower.email)
        assert word in digest.body and "/unsubscribe/" in unsubscribe_link(digest)
        assert digests.send_digests(frequency) == 0  # each line is sent once
        assert len(mails_to(follower.email)) == 1


def test_other_channels_tell_followers_through_notify(make_user, make_institution):
    person, quiet = make_user(locale="en"), make_user()
    institution = make_institution()
    services.follow(person, "institution", institution.id)
    services.follow(quiet, "institution", institution.id)
    told = services.notify([("institution", institution)], Event.STAGE,
                           lambda: Notice("Stage changed", "The body."), link="https://example.lv/p", exclude=[quiet.id])
    db.session.commit()
    assert told == 1 and not mails_to(quiet.email)
    (mail,) = mails_to(person.email)
    assert mail.subject == "Stage changed" and mail.body.startswith("The body.")


def test_ideas_supports_and_endorsements_follow_the_cocreation_process(request, make_user):
    from participation.cocreation import services as cocreation_services

    process, _editor = _cocreation(Env(request))
    author, supporter = make_user(), make_user()
    idea = cocreation_services.post_idea(process, author, "Suņu laukums", "Iekārtot suņu pastaigu laukumu.")
    cocreation_services.support_idea(idea, supporter)
    assert follow_row(author, "cocreation", process.id).reason == FollowReason.SUBMITTED
    assert follow_row(supporter, "cocreation", process.id).reason == FollowReason.SUPPORTED


def test_the_defaults_without_a_choice(make_user):
    person = make_user()
    chosen = services.preferences_of(person.id)
    assert chosen[Event.ANSWER] == Frequency.IMMEDIATELY and chosen[Event.OPENING] == Frequency.DAILY
    assert chosen[Event.CASES_DUE] == Frequency.DAILY


# --- following -------------------------------------------------------------------------------------------------------


def test_the_follow_button_follows_and_unfollows(client, login, make_user, make_proposal):
    proposal = make_proposal()
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "/account/login?next=" in page and 'action="/follows/follow"' not in page  # a visitor is offered the log-in
    person = login(make_user())
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'action="/follows/follow"' in page
    response = client.post("/follows/follow", data={"subject": "proposal", "subject_id": proposal.id,
                                                    "next": f"/proposals/{proposal.id}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/proposals/{proposal.id}"
    assert services.is_following(person, "proposal", proposal.id)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'action="/follows/unfollow"' in page
    client.post("/follows/unfollow", data={"subject": "proposal", "subject_id": proposal.id})
    assert not services.is_following(person, "proposal", proposal.id)
    assert follow_row(person, "proposal", proposal.id).stopped_at is not None


@pytest.mark.parametrize("page", ["consultation", "institution", "group", "cocreation"])
def test_every_followable_page_has_the_button(request, client, login, make_user, make_consultation, make_group, page):
    consultation = make_consultation()
    group = make_group()
    process, _editor = _cocreation(Env(request))
    url, kind, subject_id = {
        "cocreation": (f"/cocreation/{process.id}", "cocreation", process.id),
        "consultation": (f"/consultations/{consultation.id}", "consultation", consultation.id),
        "institution": (f"/institutions/{consultation.institution.slug}", "institution", consultation.institution.id),
        "group": (f"/groups/{group.slug}", "group", group.id),
    }[page]
    person = login(make_user())
    assert 'action="/follows/follow"' in client.get(url).get_data(as_text=True)
    assert client.post("/follows/follow", data={"subject": kind, "subject_id": subject_id}).status_code == 302
    assert services.is_following(person, kind, subject_id)
    assert 'action="/follows/unfollow"' in client.get(url).get_data(as_text=True)


def test_what_nobody_may_see_cannot_be_followed(client, login, make_user, make_institution, make_staff, make_proposal):
    institution = make_institution()
    institution.premoderation = True
    db.session.commit()
    pending = make_proposal(institution=institution)
    assert pending.moderation == Moderation.PENDING
    draft = make_proposal(submit=False)
    login(make_user())
    for proposal in (pending, draft):
        assert client.post("/follows/follow", data={"subject": "proposal", "subject_id": proposal.id}).status_code == 404
    assert client.post("/follows/follow", data={"subject": "nothing", "subject_id": "1"}).status_code == 400
    assert client.post("/follows/follow", data={"subject": "proposal", "subject_id": "abc"}).status_code == 400
    assert client.post("/follows/follow", data={"subject": "proposal", "subject_id": "99999999999"}).status_code == 404


def test_following_needs_a_session_and_a_confirmed_address(client, login, make_user, make_proposal):
    proposal = make_proposal()
    response = client.post("/follows/follow", data={"subject": "proposal", "subject_id": proposal.id})
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    login(make_user(verified=False))
    assert client.post("/follows/follow", data={"subject": "proposal", "subject_id": proposal.id}).status_code == 403


def test_what_you_comment_on_submit_or_support_is_followed(make_user, make_proposal, open_consultation):
    commenter, submitter, supporter, quiet = make_user(), make_user(), make_user(), make_user()
    consultation_services.add_comment(open_consultation, commenter, "Labs projekts.")
    proposal = make_proposal(author=submitter)
    proposal_services.support(proposal, supporter, notify=True)
    proposal_services.support(proposal, quiet)  # did not ask to hear about it: not followed
    assert follow_row(quiet, "proposal", proposal.id) is None
    assert follow_row(commenter, "consultation", open_consultation.id).reason == FollowReason.COMMENTED
    assert follow_row(submitter, "proposal", proposal.id).reason == FollowReason.SUBMITTED
    assert follow_row(supporter, "proposal", proposal.id).reason == FollowReason.SUPPORTED
    assert all(services.is_following(*args) for args in [(commenter, "consultation", open_consultation.id),
                                                          (submitter, "proposal", proposal.id),
                                                          (supporter, "proposal", proposal.id)])


def test_an_unfollow_sticks_when_the_person_takes_part_again(make_user, open_consultation):
    person = make_user()
    consultation_services.add_comment(open_consultation, person, "Pirmais.")
    services.unfollow_subject(person, "consultation", open_consultation.id)
    consultation_services.add_comment(open_consultation, person, "Otrais.")
    assert not services.is_following(person, "consultation", open_consultation.id)
    services.follow(person, "consultation", open_consultation.id)  # pressing Follow again does follow
    assert services.is_following(person, "consultation", open_consultation.id)


def test_a_comment_that_fails_follows_nothing(make_user, open_consultation, fixed_now):
    person = make_user()
    fixed_now(datetime(2026, 5, 1, 9, 0))  # closed
    with pytest.raises(consultation_services.ConsultationRefused):
        consultation_services.add_comment(open_consultation, person, "Par vēlu.")
    assert follow_row(person, "consultation", open_consultation.id) is None


# --- who is told ----------------------------------------------------------------------------------------------------


def test_an_answer_reaches_followers_once_and_not_those_told_already(make_user, make_proposal, make_staff):
    submitter, follower, supporter = make_user(), make_user(), make_user()
    proposal = make_proposal(author=submitter)
    services.follow(follower, "proposal", proposal.id)
    services.follow(follower, "institution", proposal.institution_id)  # two follows: one e-mail
    proposal_services.support(proposal, supporter, notify=True)  # told by the proposal's own notice
    before = {p.email: len(mails_to(p.email)) for p in (submitter, follower, supporter)}
    case_services.answer_case(proposal.case, make_staff(proposal.institution), Position.NOTED, "Atbilde.")
    assert len(mails_to(follower.email)) == before[follower.email] + 1
    assert len(mails_to(submitter.email)) == before[submitter.email] + 1  # the spine's notice alone
    assert len(mails_to(supporter.email)) == before[supporter.email] + 1  # the proposal's notice alone
    notice = mails_to(follower.email)[-1]
    assert "Atbilde." in notice.body
    assert f"/unsubscribe/{services.unsubscribe_token(Unsubscription('follow', follower.id, follow_id=follow_row(follower, 'proposal', proposal.id).id))}" in unsubscribe_link(notice)


def test_nothing_about_a_private_case_or_a_hidden_group_reaches_followers(make_user, make_proposal, make_staff, make_group,
                                                                          make_institution):
    follower = make_user()
    group = make_group()
    services.follow(follower, "group", group.id)
    institution = make_institution()
    institution.premoderation = True
    db.session.commit()
    pending = make_proposal(institution=institution, author=group.leader, group=group)  # waiting for a moderator
    case_services.answer_case(pending.case, make_staff(institution), Position.NOTED, "Slepena atbilde.")
    assert not mails_to(follower.email)
    group.hidden_at = utcnow()
    db.session.commit()
    services.notify([("group", group)], Event.STAGE, lambda: Notice("Ziņa", "Teksts"))
    db.session.commit()
    assert not mails_to(follower.email) and not pending_for(follower)


def test_a_digest_leaves_out_what_was_hidden_since(make_user, make_group):
    person = make_user()
    group = make_group()
    services.set_preferences(person, {Event.STAGE: Frequency.WEEKLY})
    services.follow(person, "group", group.id)
    services.notify([("group", group)], Event.STAGE, lambda: Notice("Grupas ziņa", "Teksts"))
    db.session.commit()
    group.hidden_at = utcnow()  # a moderator hides the group before the digest goes
    db.session.commit()
    assert digests.send_digests(Frequency.WEEKLY) == 0 and not mails_to(person.email)


def test_every_notification_carries_the_one_click_headers(make_user, make_institution):
    from participation.outbox.services import as_email

    person = make_user()
    institution = make_institution()
    follow = services.follow(person, "institution", institution.id)
    services.notify([("institution", institution)], Event.STAGE, lambda: Notice("Ziņa", "Teksts"))
    db.session.commit()
    (message,) = mails_to(person.email)
    email = as_email(message, "Līdzdalība <noreply@example.lv>")
    assert email["List-Unsubscribe"] == f"<{services.follow_unsubscribe_url(follow)}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_supporters_news_is_a_notification_with_the_one_click_link_and_their_choice(client, make_user, make_proposal,
                                                                                     make_staff, make_group):
    """A supporter who asked for e-mail about a proposal gets "News on the proposal": a notification, so it carries the
    one-click headers, follows their choice for answers, and stops for good after the one-click POST. The group's
    members hear as the submitter does (the answer to their own group's submission), without an unsubscribe."""
    from participation.groups import services as group_services
    from participation.outbox.services import as_email
    from participation.proposals.models import Support

    group = make_group()
    member = make_user()
    group_services.approve_member(group_services.request_membership(group, member))
    proposal = make_proposal(author=group.leader, group=group)
    supporter, weekly, never, older = make_user(), make_user(), make_user(), make_user()
    services.set_preferences(weekly, {Event.ANSWER: Frequency.WEEKLY})
    services.set_preferences(never, {Event.ANSWER: Frequency.NEVER})
    for person in (supporter, weekly, never, older):
        proposal_services.support(proposal, person, notify=True)
    # a support older than follows (or moved here by a merge): no follow row, still told, as a notification
    db.session.delete(follow_row(older, "proposal", proposal.id))
    db.session.commit()
    responder = make_staff(proposal.institution)
    case_services.extend_case(proposal.case, responder, case_services.extension_limit(proposal.case), "Jāsaņem tāme.")

    for person in (supporter, older):
        (news,) = mails_to(person.email)
        assert "Jāsaņem tāme." in news.body
        email = as_email(news, "Līdzdalība <noreply@example.lv>")
        assert email["List-Unsubscribe"] == f"<{services.follow_unsubscribe_url(follow_row(person, 'proposal', proposal.id))}>"
        assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not mails_to(weekly.email) and [line.event for line in pending_for(weekly)] == [Event.ANSWER]
    assert not mails_to(never.email) and not pending_for(never)
    (members_news,) = mails_to(member.email)
    assert members_news.unsubscribe_url is None and "Jāsaņem tāme." in members_news.body

    # the one-click POST, signed out, stops this supporter's news only
    assert client.post(path_of(mails_to(supporter.email)[0].unsubscribe_url), data={"List-Unsubscribe": "One-Click"}).status_code == 200
    case_services.answer_case(proposal.case, responder, Position.NOTED, "Atbilde.")
    assert len(mails_to(supporter.email)) == 1
    assert len(mails_to(older.email)) == 2 and len(mails_to(member.email)) == 2
    assert db.session.scalar(select(Support).where(Support.user_id == supporter.id)).notify  # the support itself stays


def test_a_deleted_account_takes_its_follows_preferences_and_waiting_lines_with_it(make_user, make_institution):
    from participation.accounts.services import delete_account
    from participation.follows.models import NotificationPreference

    person = make_user()
    institution = make_institution()
    services.set_preferences(person, {Event.STAGE: Frequency.DAILY})
    services.follow(person, "institution", institution.id)
    services.notify([("institution", institution)], Event.STAGE, lambda: Notice("Ziņa", "Teksts"))
    db.session.commit()
    assert pending_for(person)
    delete_account(person)
    db.session.commit()
    assert not pending_for(person) and follow_row(person, "institution", institution.id) is None
    assert not db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == person.id)).all()


def test_a_stopped_follows_digest_lines_are_not_sent(make_user, make_institution):
    person = make_user()
    institution = make_institution()
    services.set_preferences(person, {Event.STAGE: Frequency.DAILY})
    services.follow(person, "institution", institution.id)
    services.notify([("institution", institution)], Event.STAGE, lambda: Notice("Ziņa", "Teksts"))
    db.session.commit()
    services.unfollow_subject(person, "institution", institution.id)
    assert digests.send_digests(Frequency.DAILY) == 0 and not mails_to(person.email)


def test_a_consultations_followers_hear_when_every_comment_is_answered(make_user, open_consultation, editor_and_institution,
                                                                      make_staff, fixed_now):
    follower, commenter = make_user(locale="en"), make_user()
    services.follow(follower, "consultation", open_consultation.id)
    comment = consultation_services.add_comment(open_consultation, commenter, "Priekšlikums.")
    fixed_now(datetime(2026, 4, 15, 9, 0))
    consultation_services.process_closed(open_consultation)
    assert digests.sweep_answered_consultations() == 0
    responder = make_staff(open_consultation.institution)
    consultation_services.record_position(comment, responder, Position.ACCEPTED, "Ņemts vērā.")
    assert digests.sweep_answered_consultations() == 1
    assert digests.sweep_answered_consultations() == 0  # once
    (mail,) = mails_to(follower.email)
    assert mail.subject == f"Every comment on \"{open_consultation.title}\" is answered"


def test_closing_soon_is_told_once_and_again_after_an_extension(make_user, open_consultation, editor_and_institution, fixed_now):
    follower = make_user()
    services.follow(follower, "consultation", open_consultation.id)
    fixed_now(datetime(2026, 4, 1, 9, 0))
    assert digests.sweep_closing_soon() == 0  # more than 72 hours left
    fixed_now(datetime(2026, 4, 8, 9, 0))
    assert digests.sweep_closing_soon() == 1 and digests.sweep_closing_soon() == 0
    editor, _institution = editor_and_institution
    consultation_services.extend_window(open_consultation, editor, date(2026, 4, 20), "Vairāk laika.")
    fixed_now(datetime(2026, 4, 18, 9, 0))
    assert digests.sweep_closing_soon() == 1
    assert len(mails_to(follower.email)) == 2
    assert "2026. gada 20. aprīlim" in mails_to(follower.email)[-1].body


# --- one-click unsubscribe ------------------------------------------------------------------------------------------


def test_one_click_unsubscribe_works_signed_out_and_only_for_that_subscription(app, client, make_user, make_proposal,
                                                                               make_institution, make_staff):
    person, other = make_user(), make_user()
    proposal = make_proposal()
    institution = make_institution()
    services.follow(person, "proposal", proposal.id)
    services.follow(person, "institution", institution.id)
    services.follow(other, "proposal", proposal.id)
    case_services.answer_case(proposal.case, make_staff(proposal.institution), Position.NOTED, "Atbilde.")
    url = path_of(unsubscribe_link(mails_to(person.email)[-1]))

    page = client.get(url)  # GET shows a button and changes nothing
    assert page.status_code == 200 and f'action="{url}"' in page.get_data(as_text=True)
    assert services.is_following(person, "proposal", proposal.id)

    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the mail client sends no session and no CSRF token
    try:
        response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200
    assert not services.is_following(person, "proposal", proposal.id)
    assert services.is_following(person, "institution", institution.id)  # their other follow stays
    assert services.is_following(other, "proposal", proposal.id)  # and everyone else's
    assert client.post(url).status_code == 200  # a second click is harmless


def test_a_changed_or_forged_unsubscribe_link_stops_nothing(client, make_user, make_proposal):
    person, other = make_user(), make_user()
    proposal = make_proposal()
    mine = services.follow(person, "proposal", proposal.id)
    theirs = services.follow(other, "proposal", proposal.id)
    token = services.unsubscribe_token(Unsubscription("follow", person.id, follow_id=mine.id))
    assert client.post(f"/unsubscribe/{token[:-2]}xx").status_code == 404
    assert client.post("/unsubscribe/nonsense").status_code == 404
    # A link signed for one person naming another's follow is refused too.
    crossed = services.unsubscribe_token(Unsubscription("follow", person.id, follow_id=theirs.id))
    assert client.post(f"/unsubscribe/{crossed}").status_code == 404
    assert services.is_following(person, "proposal", proposal.id) and services.is_following(other, "proposal", proposal.id)


def test_a_digests_link_stops_that_digest_only(client, make_user):
    person = make_user()
    services.set_preferences(person, {Event.ANSWER: Frequency.DAILY, Event.OPENING: Frequency.DAILY,
                                      Event.VERSION: Frequency.WEEKLY})
    token = services.unsubscribe_token(Unsubscription("digest", person.id, frequency=Frequency.DAILY))
    assert client.post(f"/unsubscribe/{token}").status_code == 200
    chosen = services.preferences_of(person.id)
    assert chosen[Event.ANSWER] == chosen[Event.OPENING] == Frequency.NEVER
    assert chosen[Event.VERSION] == Frequency.WEEKLY and chosen[Event.CLOSING] == Frequency.IMMEDIATELY


# --- staff's digest of cases nearing their deadline -------------------------------------------------------------------


def test_staff_get_a_daily_digest_of_cases_nearing_their_deadline(client, make_case, make_institution, make_staff, make_user,
                                                                   fixed_now):
    from participation.institutions.models import StaffRole

    fixed_now(datetime(2026, 11, 16, 9, 0))  # Monday
    institution = make_institution()
    responder = make_staff(institution, role=StaffRole.RESPONDER)
    editor = make_staff(institution, role=StaffRole.EDITOR)  # does not answer cases
    quiet = make_staff(institution, role=StaffRole.ADMIN)
    services.set_preferences(quiet, {Event.CASES_DUE: Frequency.NEVER})
    soon = make_case(institution=institution, title="Drīz termiņš", received_at=datetime(2026, 11, 5, 9, 0))
    later = make_case(institution=institution, title="Vēl laiks", received_at=datetime(2026, 11, 16, 8, 0))
    fixed_now(datetime(2026, 11, 17, 9, 0))
    assert soon.due_on <= digests.cases_due_by() < later.due_on
    before = {u.id: len(mails_to(u.email)) for u in (responder, editor, quiet)}
    assert digests.send_deadline_digests() == 1
    (mail,) = mails_to(responder.email)[before[responder.id]:]
    assert "Drīz termiņš" in mail.body and "Vēl laiks" not in mail.body and soon.number in mail.body
    assert len(mails_to(editor.email)) == before[editor.id] and len(mails_to(quiet.email)) == before[quiet.id]
    assert digests.send_deadline_digests() == 0  # once a day
    url = path_of(unsubscribe_link(mail))
    assert client.post(url).status_code == 200
    assert services.preferences_of(responder.id)[Event.CASES_DUE] == Frequency.NEVER


# --- the settings page ---------------------------------------------------------------------------------------------


def test_the_settings_page_saves_choices_and_lists_follows(client, login, make_user, make_proposal):
    person = login(make_user())
    proposal = make_proposal()
    services.follow(person, "proposal", proposal.id)
    page = client.get("/account/notifications")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and proposal.title in text and 'name="cases_due"' not in text  # not staff
    data = {e.value: "weekly" for e in services.RESIDENT_EVENTS}
    data["closing"] = "never"
    response = client.post("/account/notifications", data=data)
    assert response.status_code == 302
    chosen = services.preferences_of(person.id)
    assert chosen[Event.ANSWER] == Frequency.WEEKLY and chosen[Event.CLOSING] == Frequency.NEVER
    bad = client.post("/account/notifications", data={**data, "answer": "hourly"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "govuk-error-summary" in text and 'value="never" checked' in text  # kept
    assert services.preferences_of(person.id)[Event.ANSWER] == Frequency.WEEKLY
    assert client.post("/follows/unfollow", data={"subject": "proposal", "subject_id": proposal.id,
                                                  "next": "/account/notifications"}).status_code == 302
    text = client.get("/account/notifications").get_data(as_text=True)
    assert f'href="/proposals/{proposal.id}"' not in text
    assert any(empty in text for empty in ("You follow nothing yet.", "Jūs vēl nekam nesekojat."))  # lv once translated


def test_staff_choose_about_their_cases_digest(client, login, make_staff, make_institution):
    login(make_staff(make_institution()))
    assert 'name="cases_due"' in client.get("/account/notifications").get_data(as_text=True)


def test_the_settings_page_needs_a_session(client):
    response = client.get("/account/notifications")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_profile_links_to_the_settings(client, login, make_user):
    login(make_user())
    assert 'href="/account/notifications"' in client.get("/account/profile").get_data(as_text=True)


# --- on the job queue, and a fixed number of queries ----------------------------------------------------------------


def test_the_digests_and_sweeps_are_periodic_tasks_on_the_queue(app, make_user, make_institution, fixed_now):
    from participation.follows import tasks
    from participation.jobs import huey, task_modules

    assert "participation.follows.tasks" in task_modules()
    registered = list(huey._registry._registry)  # periodic tasks, named by module and function
    for name in ("daily_digests", "weekly_digests", "deadline_digests", "sweep_follow_events"):
        assert any(key.endswith(f"participation.follows.tasks.{name}") for key in registered), name
    fixed_now(datetime(2026, 11, 20, 5, 0))
    person = make_user()
    institution = make_institution()
    services.set_preferences(person, {Event.STAGE: Frequency.DAILY})
    services.follow(person, "institution", institution.id)
    services.notify([("institution", institution)], Event.STAGE, lambda: Notice("Ziņa", "Teksts"))
    db.session.commit()
    tasks.daily_digests.call_local()  # as the consumer runs it: claimed for this minute
    assert len(mails_to(person.email)) == 1 and pending_for(person)[0].sent_at is not None


def test_the_settings_page_runs_the_same_queries_for_3_and_30_follows(client, login, count_queries, make_user,
                                                                      make_proposal, make_institution, make_group):
    def queries_with(count):
        person = login(make_user())
        for n in range(count):
            kind, item = [("institution", make_institution()), ("group", make_group()), ("proposal", make_proposal())][n % 3]
            services.follow(person, kind, item.id)
        client.get("/account/notifications")
        with count_queries() as counter:
            assert client.get("/account/notifications").status_code == 200
        client.post("/account/logout")
        return counter.count

    assert queries_with(3) == queries_with(30)


# --- a new version reaches whoever commented through their follow, so their choice applies --------------------------


@pytest.mark.parametrize("choice", [Frequency.IMMEDIATELY, Frequency.NEVER, None])
def test_a_new_version_reaches_commenters_as_they_chose(choice, open_consultation, editor_and_institution, make_user, fixed_now):
    """Commenting follows the consultation; the new version's e-mail then follows the commenter's preference (one
    e-mail with its one-click link, none when they said never or stopped following), never a second copy."""
    commenter, quitter = make_user(), make_user()
    fixed_now(datetime(2026, 3, 20, 10, 0))
    consultation_services.add_comment(open_consultation, commenter, "Par pirmo punktu.")
    consultation_services.add_comment(open_consultation, quitter, "Par otro punktu.")
    services.unfollow(follow_row(quitter, "consultation", open_consultation.id))
    if choice is not None:
        services.set_preferences(commenter, {Event.VERSION: choice})
    editor, _institution = editor_and_institution
    fixed_now(datetime(2026, 4, 15, 9, 0))
    consultation_services.publish_version(open_consultation, editor, DRAFT + "4. Jauns punkts.\n", "Papildināts.")
    about_version = [m for m in mails_to(commenter.email) if "2. redakcija" in m.subject]  # not the comment's receipt
    if choice == Frequency.NEVER:
        assert about_version == []
    else:  # the default for a new version is at once
        assert len(about_version) == 1 and "/unsubscribe/" in unsubscribe_link(about_version[0])
    assert [m for m in mails_to(quitter.email) if "2. redakcija" in m.subject] == []


def test_the_release_makes_earlier_commenters_followers(tmp_path, fixed_now):
    """Migration 0017: whoever commented before follows existed follows the consultation (once per person)."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from participation import create_app
    from participation.accounts.models import User
    from participation.institutions.models import Institution, InstitutionKind, Membership

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'follows.sqlite'}")
    with app.app_context():
        upgrade()
        institution = Institution(slug="sekotaji", name="Sekotāju pašvaldība", kind=InstitutionKind.MUNICIPALITY)
        staff = User(email="r@example.lv", display_name="R", email_verified_at=datetime(2026, 1, 1))
        first = User(email="a@example.lv", display_name="A", email_verified_at=datetime(2026, 1, 1))
        second = User(email="b@example.lv", display_name="B", email_verified_at=datetime(2026, 1, 1))
        for user in (staff, first, second):
            user.set_password("parole-parole-2026")
        db.session.add_all([institution, staff, first, second])
        db.session.flush()
        db.session.add(Membership(user_id=staff.id, institution_id=institution.id, role=StaffRole.EDITOR))
        db.session.commit()
        fixed_now(datetime(2026, 3, 10, 7, 0))
        consultation = consultation_services.save_draft(institution, staff, FIELDS, DRAFT)
        consultation_services.publish(consultation, datetime(2026, 3, 10, 9, 0), date(2026, 4, 9))
        fixed_now(datetime(2026, 3, 20, 10, 0))
        for person, text in ((first, "Viens."), (first, "Divi."), (second, "Trīs.")):
            consultation_services.add_comment(consultation, person, text)
        expected = {(first.id, consultation.id), (second.id, consultation.id)}
        db.session.remove()

        downgrade(revision="0016")  # as before this release: comments, no follows
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT user_id, subject_id, subject_kind, reason FROM follows")).all()
        db.session.remove()
        db.engine.dispose()
    assert sorted((r.user_id, r.subject_id) for r in rows) == sorted(expected)
    assert {(r.subject_kind, r.reason) for r in rows} == {("consultation", "commented")}


def test_published_website_feedback_can_be_followed_and_its_answer_reaches_the_follower(client, login, make_user,
                                                                                       make_institution, make_staff,
                                                                                       make_feedback):
    """A website's feedback (issue 15) is followable once published: the Follow button on its public page, and the
    institution's answer reaches the follower as a notification with the one-click link. Unpublished: no button, and a
    POST is refused."""
    from participation.feedback import services as feedback_services
    from participation.moderation import services as moderation
    from participation.outbox.services import as_email

    institution = make_institution()
    responder = make_staff(institution, role=StaffRole.RESPONDER)
    item = make_feedback(institution, "Grafiks neatveras.", page_url="https://example.lv/grafiks")
    person = login(make_user())
    data = {"subject": "feedback", "subject_id": item.id, "next": f"/feedback/{item.id}"}
    assert 'name="subject" value="feedback"' not in client.get(f"/feedback/{item.id}").get_data(as_text=True)
    client.post("/follows/follow", data=data)
    assert not services.is_following(person, "feedback", item.id)  # private feedback cannot be followed

    case = feedback_services.turn_into_case(item)
    feedback_services.request_publication(item, responder)
    moderation.approve(item, make_user(is_moderator=True))
    db.session.commit()
    assert 'name="subject" value="feedback"' in client.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert client.post("/follows/follow", data=data).status_code == 302
    assert services.is_following(person, "feedback", item.id)
    assert f'href="/feedback/{item.id}"' in client.get("/account/notifications").get_data(as_text=True)  # listed
    case_services.answer_case(case, responder, Position.ACCEPTED, "Grafiku salabosim.")
    (news,) = mails_to(person.email)
    assert "Grafiku salabosim." in news.body and f"/feedback/{item.id}" in news.body
    email = as_email(news, "Līdzdalība <noreply@example.lv>")
    assert email["List-Unsubscribe"] == f"<{services.follow_unsubscribe_url(follow_row(person, 'feedback', item.id))}>"
