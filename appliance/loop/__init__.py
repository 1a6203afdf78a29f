"""The closed loop: alert rules evaluated after text analysis, notifications (in-app and
email), tickets with SLA in business hours, escalation up the org tree, the follow-up
survey and the closed-loop KPIs."""
from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, Job, Nav, QueueHandler, Subscriber

DOMAIN = Domain(
    "loop",
    tables=["alert_rules", "alerts", "notifications", "sla_policies", "calendars",
            "calendar_days", "root_causes", "tickets", "ticket_events"],
    blueprints=["views:bp", "rules_views:bp", "settings_views:bp", "api:bp"],
    csrf_exempt=["api:bp"],
    nav=[Nav(_l("Tickets"), "tickets.index", "view", order=25),
         Nav(_l("Alert rules"), "alerts.index", "manage_alerts", order=26)],
    home_panels=[("loop/_home_panel.html", "view")],
    header_items=[("loop/_bell.html", "view")],
    subscribers=[Subscriber("text.response_analysed", "loop.alerts",
                            "alerting:on_response_analysed", batch=True),
                 Subscriber("response.erased", "loop.forget_erased",
                            "alerting:on_response_erased", batch=True)],
    queue_handlers=[QueueHandler("loop.email", "mailer:handle")],
    jobs=[Job("loop.escalate", "escalation:tick", {"seconds": 30}),
          Job("loop.metric_rules", "drops:tick", {"seconds": 300}),
          Job("loop.kpi_durations", "kpis:backfill_tick", {"seconds": 600})],
    capabilities={"manage_alerts": ("admin", "programme_manager"),
                  "reveal_contact": ("admin", "programme_manager", "unit_manager")},
    audit_labels={
        "loop.rule_create": _l("created an alert rule"), "loop.rule_update": _l("changed an alert rule"),
        "loop.rule_pause": _l("paused an alert rule"), "loop.rule_resume": _l("resumed an alert rule"),
        "loop.sla": _l("changed the SLA policies"), "loop.calendar": _l("changed a working calendar"),
        "loop.root_cause": _l("changed a root cause"),
        "loop.followup_survey": _l("chose the follow-up survey"),
        "ticket.acknowledge": _l("acknowledged a ticket"), "ticket.start": _l("started work on a ticket"),
        "ticket.resolve": _l("resolved a ticket"), "ticket.close": _l("closed a ticket"),
        "ticket.reopen": _l("reopened a ticket"),
        "ticket.contact_reveal": _l("revealed a customer's contact"),
    },
    demo="demo:seed",
    init_app="display:init_app",
)
