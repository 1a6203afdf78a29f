"""Offline text engine: segmentation, keywords, sentiment, tags, sensitive words.

Names are imported on first use, so ``import appliance.text.cli`` (mounted
under ``cem``) stays cheap until a text command actually runs."""
import importlib

_EXPORTS = {
    "Analysis": "analyzer", "Analyzer": "analyzer", "ModelsMissing": "analyzer",
    "build_models": "build", "evaluate": "build", "train_tags": "build",
    "hot_words": "keywords", "rising_words": "keywords",
}
__all__ = sorted(_EXPORTS) + ["init_app"]


def init_app(app):
    """Wire the engine into the appliance: the /text pages, their nav entry and the
    queue subscribers (response.accepted / batch_accepted / erased -> text_items)."""
    from flask_babel import lazy_gettext as _l

    from ..core import ui
    from . import pipeline, views  # noqa: F401  (pipeline registers the subscribers)
    app.register_blueprint(views.bp)
    ui.register_nav(_l("Text analytics"), "text.index", "view", order=40)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
