"""The WSGI entry point (gunicorn wsgi:app)."""
import gc

from participation import create_app
from participation.templating import compile_all

app = create_app()
compile_all(app)  # no request waits for the template compiler
# Everything made at start-up (modules, templates, mappers) lives as long as the process: moved out of the collector's
# generations, full collections no longer walk it on every request that allocates many objects.
gc.freeze()
