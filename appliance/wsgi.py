"""The WSGI entry point gunicorn loads: once, before it forks its workers (--preload,
core/supervisor.py)."""
import gc

from . import create_app

app = create_app()
gc.freeze()   # what start-up loaded is never scanned again: forked workers keep sharing its pages
