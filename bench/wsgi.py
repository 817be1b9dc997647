"""The app as `make bench` serves it for the long-tail and write runs: the production configuration from the
environment, with the per-client rate limits off (every simulated reader and writer comes from 127.0.0.1, so one
address would stand for thousands of people) and no minimum time to fill a form (the write clients post at once).
Everything else, caches included, is production's.

    gunicorn bench.wsgi:app
"""
import gc

from participation import create_app
from participation.templating import compile_all

app = create_app(RATELIMIT_ENABLED=False, FORM_MIN_FILL_SECONDS=0)
compile_all(app)  # no request waits for the template compiler
gc.freeze()  # as wsgi.py
