import pytest
from axe_playwright_python.sync_playwright import Axe
from tests.browser.test_accessibility import TARGETS
@pytest.mark.parametrize("lang", ["lv"])
def test_incomplete(new_context, live_db, lang):
    out = []
    for target in TARGETS:
        with live_db() as s:
            path, override = target.path(s)
        page = new_context(override or target.user).new_page()
        page.goto(f"/language/{lang}?next={path}")
        if target.submit_empty_form:
            page.locator("main form[method=post]").last.locator("button[type=submit]").click(); page.wait_for_load_state()
        r = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a","wcag2aa","wcag21a","wcag21aa","best-practice"]}, "resultTypes": ["violations","incomplete"]})
        for kind in ("violations", "incomplete"):
            for v in r.response[kind]:
                out.append(f'{target.name} {kind} {v["id"]} {[n["target"] for n in v["nodes"]][:4]} {[n.get("failureSummary","")[:200] for n in v["nodes"]][:1]}')
    open("/tmp/axe_incomplete.txt","w").write("\n".join(out))
