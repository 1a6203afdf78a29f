"""Domain events over the durable queue.

publish() is called inside the transaction that commits the data; it appends one
row to the event log, so the work after it (text analysis, alerts, webhooks...)
exists exactly when the data does, at the cost of one insert however many
subscribers there are. Each subscriber reads the log from its own cursor, so its
work is retried on its own (a failing payload goes to the outbox) and never lost;
handlers must be idempotent, as for any queue job.

    @events.subscriber("response.accepted", "text.analyse_response", batch=True)
    def analyse(db, payloads): ...

    events.publish(db, "response.accepted", {"response_id": 42})
"""
from . import queue

def subscriber(event, name, batch=False):
    """Register fn(db, payload), or with batch=True fn(db, [payload, ...]) for many at once."""
    def register(fn):
        topic = _topic(event, name)
        registry = queue.BATCH_HANDLERS if batch else queue.HANDLERS
        registry[topic] = fn
        if topic not in queue.STREAMS.setdefault(event, []):
            queue.STREAMS[event].append(topic)
        return fn
    return register


def publish(db, event, payload):
    """Append the event to the log, in the caller's transaction."""
    queue.append_event(db, event, payload)


def _topic(event, name):
    return f"{event}>{name}"
