"""Request hooks: a request id on every request (X-Request-Id, echoed back), one log line
per request (method, path without its query string, status, time: never a body or a
query, which may hold personal data), and the request counters behind /metrics."""
import logging
import re
import time
import uuid

from flask import g, request

from ..core import counters, logs

log = logging.getLogger("tingjian.request")
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
INTAKE_ENDPOINTS = ("responses_api.submit", "respond.submit_page")
STATUS_CLASSES = {n: f"{n}xx" for n in range(1, 6)}


def init_app(app):
    app.before_request(_start)
    app.after_request(_finish)


def _start():
    incoming = request.headers.get("X-Request-Id", "")
    request_id = incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex[:16]
    context = g._get_current_object()
    context.request_id, context.request_started = request_id, time.monotonic()
    logs.request_id.set(request_id)


def _finish(response):
    context, current = g._get_current_object(), request._get_current_object()
    request_id = context.get("request_id") or uuid.uuid4().hex[:16]
    response.headers["X-Request-Id"] = request_id
    elapsed = (time.monotonic() - context.get("request_started", time.monotonic())) * 1000
    status, method, path = response.status_code, current.method, current.path
    log.info("%s %s %s %.1f ms", method, path, status, elapsed,
             extra={"fields": {"method": method, "path": path, "status": status,
                               "duration_ms": round(elapsed, 1)}})
    counters.increment("tingjian_http_requests_total",
                       (("method", method), ("status", STATUS_CLASSES.get(status // 100, "5xx"))))
    if method == "POST" and current.endpoint in INTAKE_ENDPOINTS:
        result = "accepted" if status < 400 else "rejected"
        counters.increment("tingjian_intake_total", (("result", result),))
    counters.maybe_flush()
    return response
