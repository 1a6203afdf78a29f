"""An appliance with a year of responses across the cast's stores, summaries and text
analysis done, and an SMTP relay pointing at a loopback aiosmtpd."""
from datetime import timedelta

from appliance.collection import demo as collection_demo
from appliance.core import clock, db, localtime, queue, settings
from appliance.org import units as units_service
from helpers import CAST, PASSWORD  # noqa: F401

RESPONSES = 1200


def seed_responses(app, n=RESPONSES):
    with app.app_context():
        database = db.get_db()
        collection_demo.generate_responses(database, n, echo=lambda *_a: None)
        queue.run_until_idle(database, limit=100_000)


def year_to_date():
    """The year up to today in the organisation's zone, the days reports and metrics count
    in (the machine's own date is a day behind Shanghai's from 16:00 UTC)."""
    today = localtime.to_local(clock.utcnow(), localtime.DEFAULT_ZONE).date()
    return today - timedelta(days=364), today


def use_relay(app, port):
    with app.app_context():
        settings.set_many(db.get_db(), {"smtp.host": "127.0.0.1", "smtp.port": port,
                                        "smtp.security": "none", "smtp.sender": "cem@example.com"})


def unit(app, code):
    with app.app_context():
        return units_service.get_unit_by_code(db.get_db(), code)
