"""The home dashboard shell and the health endpoint."""


def init_app(app):
    from . import views
    app.register_blueprint(views.bp)
    app.register_blueprint(views.health)
