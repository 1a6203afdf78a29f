"""`cem demo` step: a weekly executive report for the group and one for a region."""
from ..core.db import query_one
from ..org import units as units_service
from ..org import users as users_service
from ..org.scope import Scope
from . import subscriptions

DEMO = [  # name, node, recipients (user names), external addresses
    ("集团周报 (高管)", "DEMO", ["viewer", "pm"], ["board@demo.tingjian.local"]),
    ("华东区周报", "EAST", ["east"], []),
]


def seed(db, options, echo=print):
    for name, code, users, emails in DEMO:
        unit = units_service.get_unit_by_code(db, code)
        if unit is None or query_one(db, "SELECT id FROM report_subscriptions WHERE name = ?",
                                     (name,)):
            continue
        values = subscriptions.read(db, {"name": name, "report_type": "executive",
                                         "node": code, "schedule": "weekly mon 08:00",
                                         "period": "last_week", "language": "zh_CN",
                                         "users": users, "emails": emails},
                                    Scope([unit["path"]]))
        subscriptions.create(db, values, users_service.get_user_by_username(db, "admin"))
        echo(f"report subscription: {name} ({code}, weekly on Monday 08:00)")
    return []
