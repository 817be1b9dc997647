"""Translation calls: Flask-Babel's, through the translations remembered for the request.

Python code imports `gettext`, `ngettext`, `pgettext` and `lazy_gettext` from here, not from Flask-Babel: they
translate exactly as Flask-Babel's do (its catalogues, its `%(name)s` formatting, its LazyString), but each call
looks the translations up once per request instead of walking Flask-Babel's request state, locale, domain and cache
(~10 µs a call). A list page renders a lazy label (a case's state, a reason, a kind) on every row, and its template
calls gettext a few hundred times, so the full lookup cost a tenth of the page. Templates use the same path
(`install_template_gettext`).
"""
from flask import g
from flask_babel import _get_current_context as _babel_state  # Flask-Babel's per-request state (SimpleNamespace)
from flask_babel import get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_context
from markupsafe import Markup


def translations():
    """Flask-Babel's translations for the locale in force, remembered on its own request state while that locale is
    the same object. `force_locale` (e-mail in the recipient's language) and `refresh()` change or clear the locale
    object, so they are never served a stale one. The state is read from the application context's `g` directly
    (Flask-Babel's accessor resolves `g` three times: a third of a template's gettext)."""
    try:
        ctx = vars(g._get_current_object()).get("_flask_babel")
    except RuntimeError:  # outside an application context
        return get_translations()
    if ctx is None:
        ctx = _babel_state()
    locale = getattr(ctx, "babel_locale", None)
    kept = getattr(ctx, "lidzdaliba_translations", None)
    if locale is not None and kept is not None and kept[0] is locale:
        return kept[1]
    found = get_translations()
    ctx.lidzdaliba_translations = (getattr(ctx, "babel_locale", None), found)
    return found


def gettext(string: str, **variables) -> str:
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def pgettext(context: str, string: str, **variables) -> str:
    text = translations().upgettext(context, string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """Translated when it is shown, in the language of the request showing it (a label defined at import time)."""
    return LazyString(gettext, string, **variables)


# Templates: Jinja's "new style" gettext (jinja2.ext), the same results, called directly. Jinja's own wraps the
# translation call in a second `Context.call`, and its `_` looks `gettext` up again and calls it through a third:
# each `_()` cost three of them (a page has a hundred or more).


@pass_context
def _template_gettext(context, string, /, **variables):
    text = translations().ugettext(string)
    return (Markup(text) if context.eval_ctx.autoescape else text) % variables


@pass_context
def _template_ngettext(context, singular, plural, num, /, **variables):
    variables.setdefault("num", num)
    text = translations().ungettext(singular, plural, num)
    return (Markup(text) if context.eval_ctx.autoescape else text) % variables


@pass_context
def _template_pgettext(context, string_context, string, /, **variables):
    variables.setdefault("context", string_context)
    text = translations().upgettext(string_context, string)
    return (Markup(text) if context.eval_ctx.autoescape else text) % variables


@pass_context
def _template_npgettext(context, string_context, singular, plural, num, /, **variables):
    variables.setdefault("context", string_context)
    variables.setdefault("num", num)
    text = translations().unpgettext(string_context, singular, plural, num)
    return (Markup(text) if context.eval_ctx.autoescape else text) % variables


def install_template_gettext(app) -> None:
    """Jinja's gettext through `translations` (after babel.init_app, which installed Flask-Babel's own): `_`,
    `gettext`, `ngettext`, `pgettext`, `npgettext` and `{% trans %}`, new style (variables as keywords, always
    %-formatted, escaped when the template escapes)."""
    env = app.jinja_env
    env.newstyle_gettext = True
    env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext,
                       pgettext=_template_pgettext, npgettext=_template_npgettext)
