"""A proposal list's cards are read as plain rows (participation/proposals/rows.py): each card shows exactly what the
mapped proposal shows on the same card, for every case the card template tells apart (a group, a confirmed or hidden
group, a forwarded case, hidden, highlighted, implemented, overdue, an answer's position)."""
from datetime import date, datetime

from flask import render_template_string

from participation.cases.models import Position
from participation.clock import utcnow
from participation.extensions import db
from participation.moderation import services as moderation
from participation.moderation.models import HideReason
from participation.proposals import rows
from participation.proposals.models import Proposal

CARD = ('{% from "proposals/_card.html" import proposal_card with context %}'
        '{% for p in items %}{{ proposal_card(p, p.support_count) }}{% endfor %}')


def test_each_card_shows_what_the_mapped_proposal_shows(app, session, make_proposal, make_institution, make_group,
                                                       make_user, fixed_now):
    fixed_now(datetime(2026, 5, 4, 9, 0))
    with app.test_request_context("/"):  # hiding names the item by its link; the cards are rendered
        home, other = make_institution(), make_institution(name="Valsts kanceleja")
        moderator = make_user(name="Moderatore", is_moderator=True)
        plain = make_proposal(institution=home, title="Soliņi <b>pie</b> skolas")
        group = make_group()
        by_group = make_proposal(institution=home, author=group.leader, group=group, title="Velonovietnes")
        confirmed = make_group(name="Senioru padome")
        confirmed.verified_at = utcnow()
        by_confirmed = make_proposal(institution=home, author=confirmed.leader, group=confirmed, title="Gājēju pāreja")
        hidden_group = make_group(name="Maldinoša grupa")
        by_hidden_group = make_proposal(institution=home, author=hidden_group.leader, group=hidden_group, title="Parks")
        moderation.hide(hidden_group, moderator, HideReason.OTHER)
        forwarded = make_proposal(institution=home, title="Ceļš uz ostu")
        forwarded.case.institution_id = other.id
        hidden = make_proposal(institution=home, title="Tālrunis 29990002")
        moderation.hide(hidden, moderator, HideReason.PERSONAL_DATA)
        highlighted = make_proposal(institution=home, title="Bibliotēkas laiki")
        highlighted.highlighted = True
        answered = make_proposal(institution=home, title="Apgaismojums")
        answered.territory = ""
        answered.case.state, answered.case.position = "answered", Position.PARTLY_ACCEPTED
        answered.case.implemented_on = date(2026, 5, 1)
        overdue = make_proposal(institution=home, title="Kavēta atbilde")
        overdue.case.due_on = date(2026, 4, 1)
        overdue.support_count = 12
        db.session.commit()
        made = [plain, by_group, by_confirmed, by_hidden_group, forwarded, hidden, highlighted, answered, overdue]
        ids = [p.id for p in made]

        db.session.expire_all()
        cards = {card.id: card for card in rows.cards(ids)}
        mapped = {p.id: p for p in db.session.query(Proposal).filter(Proposal.id.in_(ids))}
        assert set(cards) == set(ids)
        for proposal_id in ids:
            shown = render_template_string(CARD, items=[cards[proposal_id]])
            assert shown == render_template_string(CARD, items=[mapped[proposal_id]]), proposal_id
        page = render_template_string(CARD, items=[cards[i] for i in ids])
    assert "Valsts kanceleja" in page and "&lt;b&gt;pie&lt;/b&gt;" in page and "29990002" not in page
    assert cards[overdue.id].case.is_overdue and not cards[plain.id].case.is_overdue
    assert cards[by_confirmed.id].group.is_verified and cards[by_hidden_group.id].group.is_hidden
    assert cards[answered.id].case.implemented_on == date(2026, 5, 1) and cards[overdue.id].support_count == 12
