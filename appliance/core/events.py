"""Domain events over the durable queue.

publish() is called inside the transaction that commits the data; it appends one
row to the event log, so the work after it (text analysis, alerts, webhooks...)
exists exactly when the data does, at the cost of one insert however many
subscribers there are. Each subscriber reads the log from its own cursor, so its
work is retried on its own (a failing payload goes to the outbox) and never lost;
handlers must be idempotent, as for any queue job.

    # in the domain's DOMAIN declaration (core/registry.py):
    Subscriber("response.accepted", "text.analyse_response", "pipeline:on_response_accepted",
               batch=True)

    events.publish(db, "response.accepted", {"response_id": 42})
"""
from . import queue


def publish(db, event, payload):
    """Append the event to the log, in the caller's transaction."""
    queue.append_event(db, event, payload)
