"""One log line per request and the request counters behind /metrics, for Flask's views
(the ops domain's hooks) and the direct endpoints (core/direct.py) alike.

The line names the method, the path without its query string, the status and the time:
never a body or a query, which may hold personal data. Every request carries an id
(X-Request-Id: the caller's, when it is a plain token, else a new one) that its log
lines repeat."""
import logging
import re
import time
import uuid

from . import counters, logs

log = logging.getLogger("tingjian.request")
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
STATUS_CLASSES = {n: f"{n}xx" for n in range(1, 6)}


def begin(incoming_id):
    """The request's id (set for this request's log lines) and its start time."""
    incoming_id = incoming_id or ""
    request_id = incoming_id if INCOMING_ID.match(incoming_id) else uuid.uuid4().hex[:16]
    logs.request_id.set(request_id)
    return request_id, time.monotonic()


def finish(method, path, status, started, intake=False):
    """Log the request's line and count it (intake: a submission, accepted below 400)."""
    elapsed = (time.monotonic() - started) * 1000
    log.info("%s %s %s %.1f ms", method, path, status, elapsed,
             extra={"fields": {"method": method, "path": path, "status": status,
                               "duration_ms": round(elapsed, 1)}})
    counters.increment("tingjian_http_requests_total",
                       (("method", method), ("status", STATUS_CLASSES.get(status // 100, "5xx"))))
    if intake:
        result = "accepted" if status < 400 else "rejected"
        counters.increment("tingjian_intake_total", (("result", result),))
    counters.maybe_flush()
