"""Translation calls: Flask-Babel's, through the translations remembered for the request.

Python code imports `gettext`, `ngettext`, `pgettext` and `lazy_gettext` from here, not from Flask-Babel: they
translate exactly as Flask-Babel's do (its catalogues, its `%(name)s` formatting, its LazyString), but each call
looks the translations up once per request instead of walking Flask-Babel's request state, locale, domain and cache
(~10 µs a call). A list page renders a lazy label (a case's state, a reason, a kind) on every row, and its template
calls gettext a few hundred times, so the full lookup cost a tenth of the page. Templates use the same path
(`install_template_gettext`).
"""
from flask_babel import _get_current_context as _babel_state  # Flask-Babel's per-request state (SimpleNamespace)
from flask_babel import get_translations
from flask_babel.speaklater import LazyString


def translations():
    """Flask-Babel's translations for the locale in force, remembered on its own request state while that locale is
    the same object. `force_locale` (e-mail in the recipient's language) and `refresh()` change or clear the locale
    object, so they are never served a stale one."""
    ctx = _babel_state()
    if ctx is None:
        return get_translations()
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


def install_template_gettext(app) -> None:
    """Jinja's gettext through `translations` (after babel.init_app, which installed Flask-Babel's own)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
