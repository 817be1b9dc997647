"""The Jinja environment (participation/templating.py): a template's globals answer `keys()` with a set, so the check
every `{% from … import … %}` makes is one set operation, and imports, globals and context work as Jinja's own do."""
from jinja2 import DictLoader

from participation.templating import App, TemplateGlobals

TEMPLATES = {
    "macros.html": "{% macro shout(text) %}{{ text | upper }}{{ suffix() }}{% endmacro %}"
                   "{% macro who() %}{{ name }}{% endmacro %}",
    "page.html": '{% from "macros.html" import shout %}{% from "macros.html" import who with context %}'
                 "{{ shout(greeting) }} {{ who() }} {{ late() }}",
}


def _app() -> App:
    app = App(__name__)
    app.jinja_loader = DictLoader(TEMPLATES)
    app.jinja_env.globals["suffix"] = lambda: "!"
    return app


def test_a_templates_globals_give_their_keys_as_one_set():
    app = _app()
    template = app.jinja_env.get_template("page.html")
    assert isinstance(template.globals, TemplateGlobals)
    keys = template.globals.keys()
    assert isinstance(keys, set)
    assert {"suffix", "url_for", "range"} <= keys  # the app's, Flask's and Jinja's own globals


def test_imports_globals_and_context_render_as_before():
    app = _app()
    with app.test_request_context("/"):
        app.jinja_env.get_template("page.html")  # loaded before the next global is added
        app.jinja_env.globals["late"] = lambda: "late"  # still seen: the maps stay live
        rendered = app.jinja_env.get_template("page.html").render(greeting="sveiki", name="Anna")
    assert rendered == "SVEIKI! Anna late"


def test_a_templates_own_globals_come_first():
    app = _app()
    template = app.jinja_env.from_string("{{ suffix() }}", globals={"suffix": lambda: "?"})
    assert template.render() == "?"
    assert "suffix" in template.globals.keys()


def test_an_importing_templates_own_globals_reach_the_imported_macro():
    """The one case where the keys matter: globals the importing template has and the imported one lacks make Jinja
    build the imported module again with them (a non-empty difference)."""
    app = _app()
    app.jinja_loader = DictLoader({**TEMPLATES, "uses_extra.html": "{% macro m() %}{{ extra }}{% endmacro %}"})
    page = app.jinja_env.from_string('{% from "uses_extra.html" import m with context %}{{ m() }}',
                                     globals={"extra": "savējais"})
    assert page.render() == "savējais"


def test_the_platform_renders_with_this_environment():
    from participation import create_app
    from participation.templating import Environment

    assert isinstance(create_app("testing").jinja_env, Environment)


def test_compile_all_puts_every_template_in_the_cache_so_pages_compile_nothing(app, client):
    """What wsgi.py does at start-up: afterwards no page waits for the template compiler."""
    from unittest import mock

    from participation.templating import compile_all

    names = app.jinja_env.list_templates()
    assert compile_all(app) == len(names) > 100  # the platform's templates and GOV.UK Frontend's
    assert len(app.jinja_env.cache) == len(names)
    with mock.patch.object(type(app.jinja_env), "compile", side_effect=AssertionError("compiled during a request")):
        for path in ("/", "/consultations/", "/proposals/", "/institutions/", "/account/login", "/no-such-page"):
            assert client.get(path).status_code in (200, 404), path


def test_compile_all_refuses_more_templates_than_the_cache_holds():
    import pytest

    app = _app()
    app.jinja_env.cache = type(app.jinja_env.cache)(1)
    with pytest.raises(RuntimeError, match="do not fit"):
        from participation.templating import compile_all

        compile_all(app)


def test_the_wsgi_entry_point_compiles_every_template_at_start_up():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    script = ("import gc, wsgi; cache = wsgi.app.jinja_env.cache; "
              "print(len(cache), len(wsgi.app.jinja_env.list_templates()), gc.get_freeze_count() > 0)")
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "FLASK_CONFIG": "testing"})
    cached, templates, frozen = result.stdout.split()[-3:]
    assert cached == templates and frozen == "True", result.stderr[-2000:]
