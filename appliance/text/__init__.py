"""Text domain: the offline text engine (appliance/textengine) wired into the appliance:
queue subscribers, the /text pages, imports of external texts, analysts' corrections."""
from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, Job, Nav, Subscriber

DOMAIN = Domain(
    "text",
    tables=["external_texts", "text_imports", "text_items", "text_labels", "text_terms",
            "text_sum_own", "text_sum_tree", "text_sum_paths", "text_sum_pending",
            "text_sum_all"],
    events=["text.response_analysed"],
    blueprints=["views:bp"],
    nav=[Nav(_l("Text analytics"), "text.index", "view", order=40)],
    subscribers=[
        Subscriber("response.accepted", "text.analyse_response",
                   "pipeline:on_response_accepted", batch=True),
        Subscriber("response.erased", "text.forget_erased", "pipeline:on_response_erased",
                   batch=True),
        Subscriber("response.batch_accepted", "text.analyse_batch", "pipeline:on_batch_accepted"),
        Subscriber("unit.moved", "text.reroll", "summary:reconcile"),
    ],
    jobs=[Job("text.summaries", "summary:fold_tick", {"seconds": 5})],
    audit_labels={"text.import": _l("imported texts"),
                  "text.label": _l("corrected a text's analysis")},
    commands=[("text", "cli:text_cli")],
)
