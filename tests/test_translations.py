"""Latvian and English are complete, in step with the code, and Latvian plurals are right."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

ROOT = Path(__file__).resolve().parents[1]


def catalogue(lang):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def strings_in_code():
    with open(ROOT / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_catalogue_is_complete_and_in_step_with_the_code(lang):
    messages = {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in catalogue(lang) if m.id}
    missing = strings_in_code() - set(messages)
    assert not missing, f"run scripts/update-translations.sh: {sorted(missing)[:5]}"
    untranslated = [key for key, m in messages.items() if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert not untranslated, untranslated[:5]
    assert not [key for key, m in messages.items() if m.fuzzy], "fuzzy entries left"


@pytest.mark.parametrize(
    "n, expected",
    [(1, "1 lieta gaida atbildi."), (21, "21 lieta gaida atbildi."), (2, "2 lietas gaida atbildi."),
     (11, "11 lietas gaida atbildi."), (0, "0 lietu gaida atbildi.")],
)
def test_latvian_plurals(sqlite_app, n, expected):
    with sqlite_app.test_request_context("/"), force_locale("lv"):
        assert ngettext("%(num)d case is awaiting an answer.", "%(num)d cases are awaiting an answer.", n) == expected


def test_templates_follow_the_locale_in_force_within_one_request(sqlite_app):
    """Templates' gettext keeps the request's translations (participation.i18n.translations) and still follows
    `force_locale` (e-mail in the recipient's language) and a refreshed locale, in and after the block."""
    from flask import render_template_string
    from flask_babel import refresh

    with sqlite_app.test_request_context("/"):
        assert render_template_string("{{ _('Search') }}") == "Meklēt"
        with force_locale("en"):
            assert render_template_string("{{ _('Search') }}") == "Search"
            assert render_template_string("{{ ngettext('%(num)d result', '%(num)d results', 2) }}") == "2 results"
        assert render_template_string("{{ _('Search') }}") == "Meklēt"
        sqlite_app.config["BABEL_DEFAULT_LOCALE"], default = "en", sqlite_app.config["BABEL_DEFAULT_LOCALE"]
        try:
            refresh()
            assert render_template_string("{{ _('Search') }}") == "Search"
        finally:
            sqlite_app.config["BABEL_DEFAULT_LOCALE"] = default


@pytest.mark.parametrize("autoescape", [True, False])
def test_templates_gettext_gives_what_jinjas_own_new_style_gettext_gives(sqlite_app, autoescape):
    """The templates' gettext, ngettext, pgettext, npgettext, `_` and `{% trans %}` (participation.i18n, called
    directly) give exactly what Jinja's own new-style callables give over the same translations: variables escaped
    when the template escapes, `%%` always formatted, plurals with `num`, a context."""
    from flask_babel import get_translations
    from jinja2 import Environment

    sources = [
        "{{ _('Search') }}",
        "{{ gettext('Search') }}",
        "{{ _('%(num)d case is awaiting an answer.', num=3) }}",
        "{{ _('Forwarded: now examined by %(institution)s', institution='<b>Rīgas dome</b>') }}",
        "{{ _('100%% sure') }}",
        """{{ _('Your comment %(number)s on "%(title)s"', number='K-5', title='<Ūdens & "ceļi">') }}""",
        "{{ ngettext('%(num)d result', '%(num)d results', 1) }} {{ ngettext('%(num)d result', '%(num)d results', 5) }}",
        "{{ ngettext('%(num)d case is awaiting an answer.', '%(num)d cases are awaiting an answer.', 21) }}",
        "{{ pgettext('month', 'May') }} {{ npgettext('file', '%(num)d file', '%(num)d files', 2) }}",
        "{{ pgettext('a place', 'in %(context)s') }} {{ npgettext('a box', '%(num)d in %(context)s', '%(num)d in %(context)s', 2) }}",
        "{{ _('%(string)s and %(context)s', string='a', context='b') }} {{ ngettext('%(plural)s', '%(plural)s', 2, plural='p') }}",
        "{{ pgettext('c', '%(string)s', string='s') }} {{ npgettext('c', '%(singular)s', '%(singular)s', 2, singular='v') }}",
        "{% trans name='<i>Anna</i>' %}Hello {{ name }}{% endtrans %}",
        "{% trans count=2 %}{{ count }} result{% pluralize %}{{ count }} results{% endtrans %}",
    ]
    ours = sqlite_app.jinja_env.overlay(autoescape=autoescape)
    for locale, search in (("lv", "Meklēt"), ("en", "Search")):  # English keeps the quotes that escaping changes
        with sqlite_app.test_request_context("/"), force_locale(locale):
            translations = get_translations()
            reference = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
            reference.install_gettext_callables(translations.ugettext, translations.ungettext, newstyle=True,
                                                pgettext=translations.upgettext, npgettext=translations.unpgettext)
            for source in sources:
                assert ours.from_string(source).render() == reference.from_string(source).render(), (locale, source)
            assert ours.from_string(sources[0]).render() == search  # the catalogue is really in use
    with sqlite_app.test_request_context("/"):
        escaped = "&lt;b&gt;Rīgas dome&lt;/b&gt;" in ours.from_string(sources[3]).render()
        assert escaped == autoescape


def test_python_code_translates_as_flask_babel_does_and_follows_the_locale_in_force(sqlite_app):
    """participation.i18n's calls (the request's translations remembered) give Flask-Babel's own results: plain,
    with variables, plural, with a context and lazy, in the language in force at the moment each is shown."""
    import flask_babel
    from markupsafe import escape

    from participation import i18n

    label = i18n.lazy_gettext("Search")
    with_name = i18n.lazy_gettext("Forwarded: now examined by %(institution)s", institution="Rīgas dome")
    calls = [
        (i18n.gettext, flask_babel.gettext, ("Search",), {}),
        (i18n.gettext, flask_babel.gettext, ("Forwarded: now examined by %(institution)s",), {"institution": "X"}),
        (i18n.ngettext, flask_babel.ngettext, ("%(num)d supporter", "%(num)d supporters", 21), {}),
        (i18n.ngettext, flask_babel.ngettext, ("%(num)d supporter", "%(num)d supporters", 2), {}),
        (i18n.pgettext, flask_babel.pgettext, ("month", "May"), {}),
        (i18n.ngettext, flask_babel.ngettext, ("%(num)d supporter", "%(num)d supporters", 5), {"unused": "x"}),  # more variables
    ]
    with sqlite_app.test_request_context("/"):
        for ours, theirs, args, variables in calls:
            assert ours(*args, **variables) == theirs(*args, **variables), args
        assert str(label) == "Meklēt" and str(escape(label)) == "Meklēt"
        assert "Rīgas dome" in str(with_name) and str(with_name) != "Forwarded: now examined by Rīgas dome"
        with force_locale("en"):
            for ours, theirs, args, variables in calls:
                assert ours(*args, **variables) == theirs(*args, **variables), args
            assert str(label) == "Search"
            assert str(with_name) == "Forwarded: now examined by Rīgas dome"
        assert str(label) == "Meklēt"
    assert i18n.gettext("Search") == "Search"  # outside a request: no catalogue, the source text
