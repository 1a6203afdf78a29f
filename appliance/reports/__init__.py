"""Reports domain: executive, unit and survey PDFs from the metrics layer, subscriptions
that email them on a schedule (the job runner renders, never a web worker), the archive."""
from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, EncryptedColumn, Job, Nav, QueueHandler

DOMAIN = Domain(
    "reports",
    tables=["report_subscriptions", "report_recipients", "report_runs", "report_deliveries"],
    blueprints=["views:bp", "api:bp"],
    csrf_exempt=["api:bp"],
    nav=[Nav(_l("Reports"), "reports.index", "view", order=60)],
    queue_handlers=[QueueHandler("reports.deliver", "deliver:on_deliver")],
    jobs=[Job("reports.tick", "runs:tick", {"seconds": 15})],
    encrypted_columns=[EncryptedColumn("report_recipients", "id", "email_enc"),
                       EncryptedColumn("report_deliveries", "id", "address_enc")],
    audit_labels={
        "report.subscribe": _l("subscribed to a report"),
        "report.unsubscribe": _l("deleted a report subscription"),
        "report.subscription_pause": _l("paused a report subscription"),
        "report.subscription_resume": _l("resumed a report subscription"),
        "report.generate": _l("generated a report"),
        "report.download": _l("downloaded a report"),
        "settings.reports": _l("changed the report settings"),
    },
    capabilities={"manage_reports": ("admin", "programme_manager")},
    commands=[("report", "cli:report_cli")],
    demo="demo:seed",
)
