"""Proposals: drafts, submitting (for oneself or a group), the case it opens, pre-moderation,
supports and the collective threshold, answers and implementation, merging, the list."""
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from participation.cases import services as case_services
from participation.cases.models import Case, CaseState, Channel, Position
from participation.extensions import db
from participation.groups import services as group_services
from participation.outbox.models import OutboxMessage
from participation.proposals import services
from participation.proposals.models import MergeRecord, Moderation, Proposal, ProposalStatus, Support

FORM = {"title": "Velo novietnes pie skolas", "problem": "Velosipēdus nav kur atstāt.",
        "solution": "Uzstādīt novietnes.", "benefit": "Vairāk bērnu brauks ar velo.",
        "territory": "Valmieras novads", "topics": ["transport", "youth"]}


def mails_to(email):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)).all()


def test_draft_is_saved_then_checked_and_submitted_as_a_case(client, login, make_user, make_institution, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    institution = make_institution()
    author = login(make_user())
    response = client.post("/proposals/new", data={"institution": institution.id, "on_behalf": 0,
                                                    "title": "Tikai virsraksts", "action": "save"})
    assert response.status_code == 302
    proposal = db.session.scalars(select(Proposal)).one()
    assert proposal.status == ProposalStatus.DRAFT and proposal.case_id is None
    assert client.get(f"/proposals/{proposal.id}").status_code == 200  # the author sees the draft
    client.post("/account/logout")
    assert client.get(f"/proposals/{proposal.id}").status_code == 404  # nobody else does
    login(author)
    incomplete = client.post(f"/proposals/{proposal.id}/edit", data={"institution": institution.id, "on_behalf": 0,
                                                                     "title": "Tikai virsraksts", "action": "check"})
    assert incomplete.status_code == 400 and 'id="problem-error"' in incomplete.get_data(as_text=True)
    assert client.post(f"/proposals/{proposal.id}/edit", data={"institution": institution.id, "on_behalf": 0, **FORM,
                                                               "action": "check"}).headers["Location"].endswith("/check")
    check = client.get(f"/proposals/{proposal.id}/check").get_data(as_text=True)
    assert "Velo novietnes pie skolas" in check and author.display_name in check
    assert client.post(f"/proposals/{proposal.id}/submit").status_code == 302
    case = proposal.case
    assert proposal.status == ProposalStatus.SUBMITTED and case.channel == Channel.PROPOSAL
    assert case.institution_id == institution.id and case.due_on == date(2026, 12, 1)  # ten working days
    assert f"/proposals/{proposal.id}" in case.item_url
    assert any(case.number in m.subject for m in mails_to(author.email))
    assert client.post(f"/proposals/{proposal.id}/edit", data={**FORM, "institution": institution.id, "on_behalf": 0}).status_code == 403


def test_a_proposal_received_before_the_amendment_gets_a_month(make_proposal, fixed_now):
    fixed_now(datetime(2026, 2, 20, 9, 0))
    proposal = make_proposal()
    assert proposal.case.due_on == date(2026, 3, 20)


def test_only_members_submit_for_a_group_and_the_group_page_lists_the_answer(client, login, make_user, make_group, make_institution, make_staff):
    institution = make_institution()
    group = make_group()
    member = make_user(name="Roberts Zariņš")
    group_services.approve_member(group_services.request_membership(group, member))
    outsider = make_user(name="Svešinieks")
    with pytest.raises(services.ProposalRefused):
        services.save_draft(outsider, institution, group, FORM)
    login(outsider)
    response = client.post("/proposals/new", data={"institution": institution.id, "on_behalf": group.id, **FORM, "action": "check"})
    assert response.status_code == 400  # the group is not one of their choices
    client.post("/account/logout")
    login(member)
    client.post("/proposals/new", data={"institution": institution.id, "on_behalf": group.id, **FORM, "action": "check"})
    proposal = db.session.scalars(select(Proposal).where(Proposal.author_id == member.id)).one()
    client.post(f"/proposals/{proposal.id}/submit")
    assert proposal.case.raised_by_group_id == group.id
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert group.name in page and "Roberts Zariņš" in page
    case_services.answer_case(proposal.case, make_staff(institution), Position.ACCEPTED, "Novietnes būs pavasarī.")
    group_page = client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "Velo novietnes pie skolas" in group_page
    assert mails_to(group.leader.email)  # the other members are told of the answer


def test_premoderation_hides_until_approved_but_the_clock_runs(client, login, make_institution, make_proposal, make_user, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    institution = make_institution()
    services.save_settings(institution, premoderation=True, threshold=None, days=None)
    proposal = make_proposal(institution=institution)
    assert proposal.moderation == Moderation.PENDING and proposal.case.due_on == date(2026, 12, 1)
    assert client.get(f"/proposals/{proposal.id}").status_code == 404
    assert client.get(f"/cases/{proposal.case.id}").status_code == 404  # not through the case page either
    assert proposal.title not in client.get(f"/institutions/{institution.slug}").get_data(as_text=True)
    assert proposal.title not in client.get("/proposals/").get_data(as_text=True)
    login(make_user(is_moderator=True))
    assert proposal.title in client.get("/proposals/moderation").get_data(as_text=True)
    assert client.post(f"/proposals/{proposal.id}/approve").status_code == 302
    client.post("/account/logout")
    assert client.get(f"/proposals/{proposal.id}").status_code == 200


def test_support_once_withdraw_and_only_verified(client, login, make_proposal, make_user):
    proposal = make_proposal()
    login(make_user(verified=False))
    client.post(f"/proposals/{proposal.id}/support")
    assert services.support_count(proposal.id) == 0
    client.post("/account/logout")
    supporter = login(make_user())
    client.post(f"/proposals/{proposal.id}/support", data={"notify": "y"})
    client.post(f"/proposals/{proposal.id}/support", data={"notify": "y"})
    assert services.support_count(proposal.id) == 1
    client.get("/language/en")
    assert '<strong class="app-support__count">1 supporter</strong>' in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert services.has_supported(proposal.id, supporter)
    client.post(f"/proposals/{proposal.id}/withdraw")
    assert services.support_count(proposal.id) == 0


def test_threshold_reached_within_the_period_marks_a_collective_submission(make_institution, make_proposal, make_user, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    institution = make_institution()
    services.save_settings(institution, premoderation=False, threshold=3, days=30)
    proposal = make_proposal(institution=institution)
    assert proposal.collect_until == date(2026, 12, 16) and proposal.support_threshold == 3
    for _ in range(2):
        services.support(proposal, make_user())
    assert proposal.case.collective_at is None
    services.support(proposal, make_user())
    assert proposal.case.collective_at is not None


def test_after_the_collection_period_supports_stop_and_it_is_still_answered(make_institution, make_proposal, make_user, make_staff, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    institution = make_institution()
    services.save_settings(institution, premoderation=False, threshold=100, days=5)
    proposal = make_proposal(institution=institution)
    fixed_now(datetime(2026, 11, 22, 9, 0))
    assert not proposal.is_collecting
    with pytest.raises(services.ProposalRefused):
        services.support(proposal, make_user())
    assert proposal.case.collective_at is None and proposal.case.is_awaiting  # answered as an ordinary submission
    case_services.answer_case(proposal.case, make_staff(institution), Position.NOT_ACCEPTED, "Nav līdzekļu.")
    assert proposal.case.state == CaseState.ANSWERED


def test_supporters_who_asked_are_told_of_each_answer_and_implementation(make_proposal, make_user, make_staff, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    proposal = make_proposal()
    wants = make_user(email="grib@example.lv")
    quiet = make_user(email="kluss@example.lv")
    services.support(proposal, wants, notify=True)
    services.support(proposal, quiet, notify=False)
    responder = make_staff(proposal.institution)
    case_services.answer_case(proposal.case, responder, Position.ACCEPTED, "Darīsim.")
    case_services.record_implementation(proposal.case, responder, "Uzstādīts.", date(2026, 11, 16))
    assert len(mails_to("grib@example.lv")) == 2 and not mails_to("kluss@example.lv")
    assert proposal.case.implemented_on == date(2026, 11, 16)


def test_implementation_only_after_acceptance(client, login, make_proposal, make_staff, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    proposal = make_proposal()
    responder = make_staff(proposal.institution)
    with pytest.raises(case_services.CaseActionRefused):
        case_services.record_implementation(proposal.case, responder, "x", date(2026, 11, 16))
    case_services.answer_case(proposal.case, responder, Position.NOT_ACCEPTED, "Nē.")
    login(responder)
    assert client.get(f"/cases/{proposal.case.id}/implemented").status_code == 403
    first = proposal.case.id
    accepted = make_proposal(institution=proposal.institution)
    case_services.answer_case(accepted.case, responder, Position.PARTLY_ACCEPTED, "Daļēji.")
    assert client.post(f"/cases/{accepted.case.id}/implemented", data={"implemented_on": "2026-11-16", "text": "Izdarīts."}).status_code == 302
    history = client.get(f"/proposals/{accepted.id}").get_data(as_text=True)
    assert history.index("Daļēji.") < history.index("Izdarīts.")
    assert db.session.get(Case, first).implemented_on is None and accepted.case.implemented_on == date(2026, 11, 16)


def test_merge_moves_supports_without_double_counting(client, login, make_proposal, make_user, make_institution):
    institution = make_institution()
    target = make_proposal(institution=institution, title="Soliņi parkā")
    duplicate = make_proposal(institution=institution, title="Soliņi parkā (atkārtoti)")
    elsewhere = make_proposal(title="Soliņi citur")
    with pytest.raises(services.ProposalRefused):
        services.merge(elsewhere, target, make_user(is_moderator=True))
    both, only_duplicate, only_target = make_user(), make_user(), make_user()
    for person in (both, only_duplicate):
        services.support(duplicate, person, notify=True)
    for person in (both, only_target):
        services.support(target, person)
    login(make_user(is_moderator=True))
    response = client.post(f"/proposals/{duplicate.id}/merge", data={"target": target.id, "note": "Tas pats"})
    assert response.status_code == 302
    assert services.support_count(target.id) == 3 and services.support_count(duplicate.id) == 0
    assert duplicate.merged_into_id == target.id
    record = db.session.scalars(select(MergeRecord)).one()
    assert record.supports_moved == 1 and record.target_id == target.id
    kept = db.session.scalars(select(Support).where(Support.proposal_id == target.id, Support.user_id == both.id)).one()
    assert kept.notify  # asked for news on the duplicate, keeps getting it
    assert "Soliņi parkā (atkārtoti)" not in client.get("/proposals/").get_data(as_text=True)
    assert "Tas pats" in client.get(f"/proposals/{target.id}").get_data(as_text=True)  # the merge is on the record
    assert f"/proposals/{target.id}" in client.get(f"/proposals/{duplicate.id}").get_data(as_text=True)


def test_residents_cannot_merge_or_approve(client, login, make_proposal, make_user):
    proposal = make_proposal()
    login(make_user())
    assert client.post(f"/proposals/{proposal.id}/merge", data={"target": 1, "note": "x"}).status_code == 403
    assert client.post(f"/proposals/{proposal.id}/approve").status_code == 403
    assert client.get("/proposals/moderation").status_code == 403


def test_only_the_addressed_institution_answers(client, login, make_proposal, make_staff, make_institution):
    proposal = make_proposal()
    login(make_staff(make_institution()))
    assert client.post(f"/cases/{proposal.case.id}/answer", data={"position": "accepted", "text": "x"}).status_code == 403


def test_list_filters_sorting_and_search(client, make_institution, make_proposal, make_user, make_staff, fixed_now):
    fixed_now(datetime(2026, 11, 2, 9, 0))
    a, b = make_institution(), make_institution()
    old = make_proposal(institution=a, title="Ietves remonts", territory="Rīga", topics=["transport"])
    fixed_now(datetime(2026, 11, 20, 9, 0))
    popular = make_proposal(institution=b, title="Jauniešu centrs", territory="Valmieras novads", topics=["youth"])
    fresh = make_proposal(institution=a, title="Bibliotēkas darba laiks", territory="Rīga", topics=["culture"])
    for _ in range(2):
        services.support(popular, make_user())
    case_services.answer_case(fresh.case, make_staff(a), Position.ACCEPTED, "Jā")
    fixed_now(datetime(2026, 11, 25, 9, 0))

    def titles(query):
        html = client.get(f"/proposals/?{query}").get_data(as_text=True)
        return [t for t in ("Ietves remonts", "Jauniešu centrs", "Bibliotēkas darba laiks") if t in html]

    assert titles(f"institution={a.id}") == ["Ietves remonts", "Bibliotēkas darba laiks"]
    assert titles("territory=R%C4%ABga&topic=culture") == ["Bibliotēkas darba laiks"]
    assert titles("state=accepted") == ["Bibliotēkas darba laiks"]
    assert titles("state=overdue") == ["Ietves remonts"]  # due 16 November, still open on the 25th
    assert titles("q=jauniešu") == ["Jauniešu centrs"]
    html = client.get("/proposals/?sort=supported").get_data(as_text=True)
    assert html.index("Jauniešu centrs") < html.index("Ietves remonts")
    html = client.get("/proposals/?sort=newest").get_data(as_text=True)
    assert html.index("Bibliotēkas darba laiks") < html.index("Ietves remonts")
    html = client.get("/proposals/?sort=deadline").get_data(as_text=True)
    assert html.index("Ietves remonts") < html.index("Jauniešu centrs") < html.index("Bibliotēkas darba laiks")
    assert client.get("/proposals/?state=bogus&sort=zzz&institution=abc&page=x").status_code == 200
    assert old.id


def test_institution_settings_only_for_its_administrator(client, login, make_institution, make_staff):
    from participation.institutions.models import StaffRole

    institution = make_institution()
    login(make_staff(institution, role=StaffRole.RESPONDER))
    assert client.get(f"/institutions/{institution.slug}/proposal-settings").status_code == 403
    client.post("/account/logout")
    login(make_staff(institution, role=StaffRole.ADMIN))
    bad = client.post(f"/institutions/{institution.slug}/proposal-settings", data={"support_threshold": "-3"})
    assert bad.status_code == 400
    ok = client.post(f"/institutions/{institution.slug}/proposal-settings",
                     data={"premoderation": "y", "support_threshold": "300", "collection_days": "90"})
    assert ok.status_code == 302
    settings = services.settings_for(institution.id)
    db.session.refresh(institution)
    assert institution.premoderation and settings.support_threshold == 300 and settings.collection_days == 90


def test_forwarding_a_proposal_moves_its_case_and_keeps_the_history(client, login, make_proposal, make_staff, make_institution, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    proposal = make_proposal()
    competent = make_institution(name="Kompetentā iestāde")
    case_services.forward_case(proposal.case, make_staff(proposal.institution), competent, "Tas ir viņu pārziņā.")
    assert proposal.case.institution_id == competent.id
    login(make_staff(competent))
    assert proposal.title in client.get(f"/institutions/{competent.slug}/inbox").get_data(as_text=True)
    assert client.post(f"/cases/{proposal.case.id}/answer", data={"position": "accepted", "text": "Izdarīsim."}).status_code == 302
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert page.index("Tas ir viņu pārziņā.") < page.index("Izdarīsim.")
    assert any("Tas ir viņu pārziņā." in m.body for m in mails_to(proposal.author.email))


def test_the_inbox_marks_a_collective_submission(client, login, make_institution, make_proposal, make_user, make_staff):
    institution = make_institution()
    services.save_settings(institution, premoderation=False, threshold=1, days=None)
    proposal = make_proposal(institution=institution)
    services.support(proposal, make_user())
    login(make_staff(institution))
    html = client.get(f"/institutions/{institution.slug}/inbox").get_data(as_text=True)
    assert "govuk-tag--turquoise app-tag-collective" in html


def test_double_submit_opens_one_case(make_proposal, make_user):
    proposal = make_proposal(submit=False)
    services.submit(proposal, proposal.author)
    with pytest.raises(services.ProposalRefused):
        services.submit(proposal, proposal.author)
    assert db.session.scalar(select(func.count(Case.id)).where(Case.title == proposal.title)) == 1


def test_merging_after_the_collection_period_does_not_make_it_collective(make_institution, make_proposal, make_user, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    institution = make_institution()
    services.save_settings(institution, premoderation=False, threshold=2, days=5)
    target = make_proposal(institution=institution)
    duplicate = make_proposal(institution=institution, title="Dublikāts")
    for _ in range(2):
        services.support(duplicate, make_user())
    fixed_now(datetime(2026, 11, 30, 9, 0))
    services.merge(duplicate, target, make_user(is_moderator=True))
    assert services.support_count(target.id) == 2 and target.case.collective_at is None


def test_a_title_cannot_carry_a_header(make_proposal):
    proposal = make_proposal(title="Virsraksts\r\nBcc: x@evil.example")
    assert proposal.title == "Virsraksts Bcc: x@evil.example"
