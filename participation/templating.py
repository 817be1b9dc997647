"""The Jinja environment: Flask's, with template globals whose keys are a set.

Every `{% from "…" import … %}` a page runs (the layout's, the page's, and GOV.UK Frontend's macros importing one
another: about twenty per page) asks Jinja whether the importing page has globals the imported template lacks:
`ctx.globals_keys - template.globals.keys()`. A template's globals are a ChainMap over the environment's, whose keys
view is tested key by key in Python (about 700 `ChainMap.__contains__` calls a page, a twentieth of a list page's
time). Here the keys are the maps' keys as one set, so the difference is one C-level set operation. The maps
themselves stay live: a global added to the environment later is still seen.
"""
from collections import ChainMap

from flask import Flask
from flask.templating import Environment as FlaskEnvironment


class TemplateGlobals(ChainMap):
    def keys(self):  # type: ignore[override]  # a set (a snapshot) instead of a live KeysView
        return set().union(*self.maps)


class Environment(FlaskEnvironment):
    def make_globals(self, d):
        return TemplateGlobals({} if d is None else d, self.globals)


class App(Flask):
    jinja_environment = Environment


def compile_all(app: Flask) -> int:
    """Compile every template into the environment's cache; returns how many. wsgi.py calls it at start-up, before
    `gc.freeze()`: without it each worker compiled a template the first time a request used it (5–10 ms each, 51 of
    them on the benchmark's pages), so the first visitors after every start or restart of a worker waited for the
    compiler. The cache holds them all (Jinja's default keeps 400; the platform and GOV.UK Frontend have fewer)."""
    names = app.jinja_env.list_templates()
    capacity = getattr(app.jinja_env.cache, "capacity", len(names))
    if len(names) > capacity:
        raise RuntimeError(f"{len(names)} templates do not fit Jinja's cache of {capacity}: raise cache_size")
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
