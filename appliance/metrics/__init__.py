"""Metrics domain: summaries kept from response events, the metrics service and API,
journeys and touchpoints, the indicator tree, O-data and the role dashboards."""
from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, Job, Nav, Subscriber

DOMAIN = Domain(
    "metrics",
    tables=["metric_own", "metric_tree", "metric_q_own", "metric_q_tree", "metric_counted",
            "metric_paths", "journeys", "journey_stages", "touchpoints", "indicator_versions",
            "odata_values", "metric_seg_own", "metric_seg_tree", "metric_sent_own",
            "metric_sent_tree", "metric_sent_counted", "metric_drv_own", "metric_drv_tree",
            "metric_drv_backfill"],
    blueprints=["api:bp", "views:bp", "editors:bp"],
    csrf_exempt=["api:bp"],
    nav=[Nav(_l("Journeys"), "metrics.journeys_page", "view", order=30),
         Nav(_l("Indicator system"), "metrics_editors.indicators_page", "manage_indicators",
             order=31),
         Nav(_l("Operational data"), "metrics.odata_page", "manage_indicators", order=32)],
    subscribers=[
        Subscriber("response.accepted", "metrics.count", "events:on_accepted", batch=True),
        Subscriber("response.batch_accepted", "metrics.count_batch", "events:on_batch_accepted"),
        Subscriber("response.erased", "metrics.recount", "events:on_changed", batch=True),
        Subscriber("unit.moved", "metrics.reroll", "events:on_unit_moved"),
        Subscriber("invitation.sent", "metrics.count_sent", "invitations:on_sent", batch=True),
        Subscriber("invitation.responded", "metrics.count_responded",
                   "invitations:on_responded", batch=True),
    ],
    jobs=[Job("metrics.reconcile", "events:reconcile_tick", {"seconds": 60})],
    audit_labels={"indicators.save": _l("changed the indicator system"),
                  "journeys.save": _l("changed the customer journeys"),
                  "odata.import": _l("imported operational data")},
    capabilities={"manage_indicators": ("admin", "programme_manager"),
                  "push_odata": ("admin", "programme_manager")},
    commands=[("metrics", "cli:metrics_cli")],
    home_panels=[("metrics/_home.html", "view")],
    demo="demo:seed",
    init_app="views:init_app",
)
