"""The demo's website feedback: Rēzekne municipality's site at http://localhost:8001 (`make demo-site`), all pages
covered, with feedback in every state: helped, not helped with text, waiting for an answer, answered, published, hidden
by a moderator (and one waiting for a moderator's check before publication)."""
import secrets
from datetime import timedelta

from participation.cases import services as cases
from participation.cases.models import Position
from participation import clock
from participation.clock import set_fixed_now, utcnow
from participation.feedback import services
from participation.moderation import services as moderation
from participation.moderation.models import HideReason

DEMO_SITE_ORIGIN = "http://localhost:8001"


def _feedback(site, path: str, helped, text: str = "", email: str = "", days_ago: int = 0, lang: str = "lv"):
    """Feedback as the widget records it, received `days_ago` days ago."""
    page_url = DEMO_SITE_ORIGIN + path
    claims = services.TokenClaims(site.id, DEMO_SITE_ORIGIN, page_url, secrets.token_hex(16))
    before = clock._fixed_now
    set_fixed_now(utcnow() - timedelta(days=days_ago))
    try:
        return services.receive(site, claims, helped, text, email, bool(email), lang)
    finally:
        set_fixed_now(before)


def seed_feedback(rezekne, editor, responder, moderator) -> None:
    site = services.register_site(rezekne, editor, {
        "name": "rezeknesnovads.lv (demo: http://localhost:8001)", "key": "rezeknes-novads", "origins": [DEMO_SITE_ORIGIN],
        "path_prefixes": [], "question_helped": "", "question_text": "", "ask_email": True, "languages": ["lv", "en"],
        "premoderation": False,
    })
    # Helped, and not helped with text, over the last weeks (the figures and the trend have something to show).
    for days, path in ((1, "/"), (3, "/"), (8, "/pakalpojumi.html"), (15, "/"), (22, "/pakalpojumi.html")):
        _feedback(site, path, True, days_ago=days)
    _feedback(site, "/pakalpojumi.html", False, "Nav norādīts, kur pieteikties atkritumu izvešanai un cik tas maksā.", days_ago=2)
    _feedback(site, "/pakalpojumi.html", False, "Atkritumu izvešanas grafiks ir novecojis, trūkst 2027. gada.", days_ago=9)
    _feedback(site, "/iframe.html", False, "Nevar atrast pašvaldības darba laiku svētku dienās.", days_ago=4)
    _feedback(site, "/", None, "The English page is missing the opening hours.", days_ago=5, lang="en")
    # Waiting for an answer (a case in Rēzekne's inbox).
    _feedback(site, "/pakalpojumi.html", False, "Kā pieteikt bērnu pirmsskolas izglītības iestādē? Lūdzu atbildēt.",
              "vecaks@example.lv", days_ago=1)
    # Answered (the answer is in the outbox, addressed to the visitor).
    answered = _feedback(site, "/pakalpojumi.html", False, "Kur var samaksāt nekustamā īpašuma nodokli klātienē?",
                         "nodoklis@example.lv", days_ago=6)
    cases.answer_case(answered.case, responder, Position.ANSWERED,
                      "Nekustamā īpašuma nodokli var samaksāt jebkurā pagasta pārvaldē darba laikā.")
    # Published: answered, publication asked, a moderator approved; the page, the text and the answer are public.
    published = _feedback(site, "/", False, "Mājaslapā nav atrodams, kad kursē autobuss uz Maltu. Rakstiet uz jauns@example.lv",
                          "jauns@example.lv", days_ago=10)
    cases.answer_case(published.case, responder, Position.ACCEPTED,
                      "Paldies! Autobusu saraksts tagad ir sadaļā \"Satiksme\"; pievienojām arī Maltas maršrutu.")
    services.request_publication(published, responder)
    moderation.approve(published, moderator)
    # Waiting for a moderator's check before publication.
    asked = _feedback(site, "/pakalpojumi.html", False, "Pieteikuma veidlapa neatveras telefonā.", days_ago=3)
    services.turn_into_case(asked)
    cases.answer_case(asked.case, responder, Position.ACCEPTED, "Veidlapa salabota; tā tagad darbojas arī telefonā.")
    services.request_publication(asked, responder)
    # Published, then hidden by a moderator (it named a person).
    hidden = _feedback(site, "/", False, "Darbiniece Z. ir rupja pret apmeklētājiem.", days_ago=12)
    services.request_publication(hidden, responder)
    moderation.approve(hidden, moderator)
    moderation.hide(hidden, moderator, HideReason.PERSONAL_DATA)
