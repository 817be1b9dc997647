"""`make screenshots`: PNGs of the main pages at 1280 px and 375 px, in Latvian, from a fresh demo database, into
docs/screenshots/. Uses Debian's chromium through Playwright, like the browser tests."""
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1280, 375)
PASSWORD = "demo-parole-2026"
MAX_HEIGHT = 2400  # the top of a long page is what a reader judges


def _pages(session):
    """(name, path, account or None) of every page to show, ids found in the demo."""
    from sqlalchemy import select

    from participation.cocreation.models import CoCreation
    from participation.consultations.models import Comment, Consultation
    from participation.proposals.models import Proposal

    def consultation(title):
        return session.scalar(select(Consultation.id).where(Consultation.title == title))

    open_id = consultation("Rēzeknes novada sabiedriskās kārtības noteikumi")
    awaiting_id = consultation("Rēzeknes novada pašvaldības nolikuma grozījumi")
    section_id = session.scalar(select(Comment.section_id).where(Comment.consultation_id == open_id,
                                                                 Comment.section_id.is_not(None)).order_by(Comment.id))
    proposal_id = session.scalar(select(Proposal.id).where(Proposal.title.startswith("Vasaras darbs jauniešiem")))
    # The co-created regulation being drafted: its stages, the draft's clauses with their amendments, the timeline.
    process_id = session.scalar(select(CoCreation.id).where(CoCreation.title == "Sabiedriskā kārtība Rēzeknes novadā"))
    return [
        ("home", "/", None),
        ("consultation", f"/consultations/{open_id}", None),
        ("comments-of-a-point", f"/consultations/{open_id}/comments?section={section_id}", None),
        ("summary-table", f"/consultations/{awaiting_id}/summary", "rezekne.atbildes@example.lv"),
        ("proposal", f"/proposals/{proposal_id}", None),
        ("inbox", "/institutions/rezeknes-novads/inbox", "rezekne.atbildes@example.lv"),
        ("moderation-queue", "/moderation/", "moderator@example.lv"),
        ("cocreation-process", f"/cocreation/{process_id}", None),
        ("figures", "/institutions/figures", None),  # the charts: every institution's figures month by month
        ("search", "/search?q=suņi", None),
    ]


def main() -> None:
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from participation import create_app
    from participation.demo import seed_demo
    from participation.extensions import db

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    workdir = tempfile.mkdtemp(prefix="lidzdaliba-screens-")
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir}/demo.sqlite",
                     UPLOAD_FOLDER=os.path.join(workdir, "uploads"), RATELIMIT_ENABLED=False)
    with app.app_context():
        upgrade()
        seed_demo()
        pages = _pages(db.session)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, path, account in pages:
            for width in WIDTHS:
                context = browser.new_context(base_url=base, viewport={"width": width, "height": 900},
                                              device_scale_factor=1)
                page = context.new_page()
                if account:
                    page.goto("/account/login")
                    page.locator("#email").fill(account)
                    page.locator("#password").fill(PASSWORD)
                    page.locator("main form button[type=submit]").click()
                    page.wait_for_url(lambda url: "/account/login" not in url)
                response = page.goto(path)
                if response is None or response.status != 200:  # a demo record renamed: no picture of an error page
                    raise SystemExit(f"{path} answered {response and response.status}, not 200")
                target = OUT / f"{name}-{width}.png"
                height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
                print(target.relative_to(ROOT))
                context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
