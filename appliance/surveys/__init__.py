"""Surveys domain."""


def init_app(app):
    pass
