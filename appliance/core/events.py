"""Domain events over the durable queue.

publish() is called inside the transaction that commits the data; it writes
one outbox row per subscriber, so each subscriber's work (text analysis,
alerts, webhooks...) is retried on its own and never lost or run twice.

    @events.subscriber("response.accepted", "text.analyse_response")
    def analyse(db, payload): ...

    events.publish(db, "response.accepted", {"response_id": 42}, key="42")
"""
from . import queue

SUBSCRIBERS = {}   # event -> {subscriber name: handler}


def subscriber(event, name, batch=False):
    """Register fn(db, payload), or with batch=True fn(db, [payload, ...]) for many at once."""
    def register(fn):
        SUBSCRIBERS.setdefault(event, {})[name] = fn
        registry = queue.BATCH_HANDLERS if batch else queue.HANDLERS
        registry[_topic(event, name)] = fn
        return fn
    return register


def publish(db, event, payload, key=None):
    """Queue the event for every subscriber; with a key, publishing twice is a no-op."""
    for name in SUBSCRIBERS.get(event, {}):
        queue.enqueue(db, _topic(event, name), payload,
                      dedupe_key=f"{event}:{key}:{name}" if key is not None else None)


def _topic(event, name):
    return f"{event}>{name}"
