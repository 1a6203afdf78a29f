"""Surveys domain: the zero-code designer, templates, drafts and frozen published versions."""
from flask_babel import lazy_gettext as _l


def init_app(app):
    from ..core import ui
    from . import api, views
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    ui.register_nav(_l("Surveys"), "surveys.index", "view", order=10)
