"""Tingjian (听见): on-premise Customer Experience Management appliance."""
from datetime import timedelta
from pathlib import Path
from types import FunctionType

from flask import Flask

from . import domains
from .core import config as config_module
from .core import counters, crypto, db, direct, errors, headers, i18n, logs, proxies, sessions, ui
from .core.forms import csrf


class Appliance(Flask):
    """Flask, asking once per function whether it is a coroutine: Flask asks again on each
    call of every hook and view (ten a request), a few per cent of an intake request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._synchronous = {}

    def ensure_sync(self, func):
        if type(func) is not FunctionType:
            return super().ensure_sync(func)
        if func not in self._synchronous:
            self._synchronous[func] = super().ensure_sync(func)
        return self._synchronous[func]


def create_app(overrides=None, environ=None):
    """Build the app: config > db > blueprints > error handlers > job runner."""
    app = Appliance(__name__)
    app.url_map.converters["int"] = errors.IdConverter
    app.session_interface = sessions.SessionInterface()
    _configure(app, config_module.load(overrides, environ))
    _init_database(app)
    i18n.init_app(app)
    ui.init_app(app)
    csrf.init_app(app)
    registry = domains.load()
    registry.install(app, csrf)
    errors.register(app)
    app.after_request(headers.add_security_headers)
    app.teardown_appcontext(db.close_db)
    app.wsgi_app = direct.wrap(app, app.wsgi_app, registry.direct_endpoints(),
                               registry.provider("api.principal"))
    app.wsgi_app = headers.wrap(app.wsgi_app, app.config["SECURE_COOKIES"])
    app.wsgi_app = proxies.wrap(app.wsgi_app, app.config["TRUSTED_PROXIES"])
    if app.config["JOBS"]:
        _start_job_runner(app)
    return app


def _configure(app, settings):
    app.config.update(settings)
    data_dir = Path(app.config["DATA_DIR"])
    app.config.update(
        DATABASE=str(db.database_path(data_dir)),
        SECRET_KEY=crypto.secret_key(data_dir),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=app.config["SECURE_COOKIES"],
        SESSION_COOKIE_NAME="tingjian_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=app.config["SESSION_HOURS"]),
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
    )
    logs.configure(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    counters.configure(data_dir)


def _init_database(app):
    Path(app.config["DATA_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    database = db.connect(app.config["DATABASE"])
    try:
        db.migrate(database, app.config["MIGRATIONS_DIR"])
    finally:
        database.close()
    db.protect(app.config["DATABASE"])


def _start_job_runner(app):
    from .core.jobs import JobRunner
    jobs = app.extensions["registry"].job_functions()
    app.extensions["job_runner"] = runner = JobRunner(app, jobs)
    runner.start()
