"""Text domain: the offline text engine wired into the appliance.

Names are imported on first use, so ``cem text analyse`` stays cheap until a text
command actually runs."""
import importlib

from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, Nav, Subscriber

DOMAIN = Domain(
    "text",
    blueprints=["views:bp"],
    nav=[Nav(_l("Text analytics"), "text.index", "view", order=40)],
    subscribers=[
        Subscriber("response.accepted", "text.analyse_response",
                   "pipeline:on_response_accepted", batch=True),
        Subscriber("response.erased", "text.forget_erased", "pipeline:on_response_erased",
                   batch=True),
        Subscriber("response.batch_accepted", "text.analyse_batch", "pipeline:on_batch_accepted"),
    ],
    audit_labels={"text.import": _l("imported texts"),
                  "text.label": _l("corrected a text's analysis")},
    commands=[("text", "cli:text_cli")],
)

_EXPORTS = {
    "Analysis": "analyzer", "Analyzer": "analyzer", "ModelsMissing": "analyzer",
    "build_models": "build", "evaluate": "build", "train_tags": "build",
    "hot_words": "keywords", "rising_words": "keywords",
}
__all__ = sorted(_EXPORTS) + ["DOMAIN"]


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
