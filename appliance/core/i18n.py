"""Languages: Simplified Chinese and English, chosen by the user; the organisation default otherwise."""
from flask import g, has_request_context, request, session
from flask_babel import Babel

from . import settings
from .db import get_db

LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
babel = Babel()


def select_locale():
    if not has_request_context():
        return "en"   # command line and jobs
    if "language" not in g:
        g.language = _choose_language()
    return g.language


def current_language():
    """'zh_CN' or 'en' for this request (Babel itself calls Chinese zh_Hans_CN)."""
    return select_locale()


def _choose_language():
    user = g.get("user")
    if user and user.get("language") in LANGUAGES:
        return user["language"]
    if session.get("language") in LANGUAGES:
        return session["language"]
    default = _organisation_default()
    if default:
        return default
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"])
    return "en" if best == "en" else "zh_CN"   # Chinese first


def _organisation_default():
    if "org_language" not in g:
        value = settings.get(get_db(), "org.default_language")
        completed = settings.get(get_db(), "setup.completed")
        g.org_language = value if completed and value in LANGUAGES else None
    return g.org_language


def init_app(app):
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=current_language)
