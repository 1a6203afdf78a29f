"""Languages: Simplified Chinese and English, chosen by the user; the organisation default otherwise."""
from flask import g, has_request_context, request, session
from flask_babel import Babel
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from . import settings
from .db import get_db

LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
babel = Babel()


def select_locale():
    if "language" not in g:
        if has_request_context():
            g.language = _choose_language()
        elif "accept_language" in g:   # a direct endpoint's call (core/direct.py)
            g.language = _default_language(parse_accept_header(g.accept_language,
                                                               LanguageAccept))
        else:
            return "en"   # command line and jobs
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
    return _default_language(request.accept_languages)


def _default_language(accept_languages):
    """The organisation's language, else the browser's (Chinese first)."""
    default = _organisation_default()
    if default:
        return default
    best = accept_languages.best_match(["zh_CN", "zh", "en"])
    return "en" if best == "en" else "zh_CN"


def _organisation_default():
    if "org_language" not in g:
        value = settings.get(get_db(), "org.default_language")
        completed = settings.get(get_db(), "setup.completed")
        g.org_language = value if completed and value in LANGUAGES else None
    return g.org_language


def init_app(app):
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=current_language)
