"""Request hooks of Flask's views: a request id on every request (X-Request-Id, echoed
back), one log line per request and the request counters behind /metrics
(core/request_log.py; the direct endpoints write the same line themselves)."""
from flask import g, request

from ..core import request_log

INTAKE_ENDPOINTS = ("respond.submit_page",)


def init_app(app):
    app.before_request(_start)
    app.after_request(_finish)

def _start():
    context = g._get_current_object()
    context.request_id, context.request_started = request_log.begin(
        request.headers.get("X-Request-Id"))

def _finish(response):
    context, current = g._get_current_object(), request._get_current_object()
    if "request_id" not in context:   # a hook before ours answered the request
        context.request_id, context.request_started = request_log.begin(None)
    response.headers["X-Request-Id"] = context.request_id
    method = current.method
    request_log.finish(method, current.path, response.status_code, context.request_started,
                       intake=method == "POST" and current.endpoint in INTAKE_ENDPOINTS)
    return response
