"""Collection domain: survey links and QR posters, respondent pages, intake, responses."""
from flask_babel import lazy_gettext as _l

from ..core import ui


def init_app(app):
    from .. import csrf
    from . import api, links_views, respondent, responses_views
    csrf.exempt(respondent.bp)
    csrf.exempt(api.bp)
    for blueprint in (respondent.bp, api.bp, responses_views.bp, links_views.bp):
        app.register_blueprint(blueprint)
    ui.register_nav(_l("Responses"), "responses.index", "view_responses", order=20)
