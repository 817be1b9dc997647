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
