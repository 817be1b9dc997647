"""The Nu HTML checker (npm vnu-jar, run with the machine's Java) finds no error in the HTML the server sends for
every page the accessibility test visits, in both languages, forms in their error state included. One checker run
for all pages (the JVM starts once)."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.test_accessibility import LANGUAGES, TARGETS, open_target

pytestmark = pytest.mark.browser

VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_checker(files: list[Path]) -> list[dict]:
    """The checker's errors (not warnings) for the files, each with the file's name."""
    if not VNU.exists() or shutil.which("java") is None:
        pytest.fail(f"the Nu HTML checker needs {VNU} (make assets) and java")
    result = subprocess.run(["java", "-Xss4m", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
                            capture_output=True, text=True, timeout=600)
    return json.loads(result.stderr or '{"messages": []}')["messages"]


def test_the_checker_finds_a_real_error(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text('<!doctype html><html lang="lv"><head><title>x</title></head><body><p><div id="a"></div></p>'
                      '<span id="a"></span></body></html>')
    assert run_checker([broken]), "the checker must report a div in a p and a duplicate id"


def assert_valid_html(targets, new_context, live_db, tmp_path) -> None:
    """The checker finds no error in the HTML each target sends, in both languages (one checker run for all)."""
    files = []
    for target in targets:
        for lang in LANGUAGES:
            page, response = open_target(target, lang, new_context, live_db)
            path = tmp_path / f"{target.name}-{lang}.html"
            path.write_bytes(response.body())
            files.append(path)
            page.close()
    errors = run_checker(files)
    report = "\n".join(f"{Path(e.get('url', '')).name}:{e.get('lastLine')}: {e.get('message')} [{e.get('extract', '').strip()[:120]}]"
                        for e in errors)
    assert not errors, report


def test_every_page_is_valid_html(new_context, live_db, tmp_path):
    assert_valid_html(TARGETS, new_context, live_db, tmp_path)
