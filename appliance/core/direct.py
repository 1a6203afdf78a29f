"""Direct endpoints: the JSON API calls that come by the thousand a second (intake's
POST /api/v1/responses), answered below Flask's request machinery.

For such a call Flask's request context, its before- and after-request hooks and its
response object cost about as much as the work itself (read the body, check the
answers, one transaction): bench/intake.py measured a third of the CPU of each call.
A domain declares the endpoint (registry.DirectEndpoint) and writes its handler as a
function of a Werkzeug request and the caller's principal, returning (status, body).
This WSGI layer sits inside the security headers and the proxy fix (so the client
address is already the real one) and runs the handler in an application context only
(g, the database connection, translations). It does itself what Flask's hooks do for
an API call, and nothing a cookie would need (the API never reads the session):

- the API token in `Authorization: Bearer ...` becomes the principal through the
  "api.principal" seam (the integrations domain): 401 without a valid one, 403 without
  the endpoint's capability;
- a refusal (ApiError, ValidationError, an HTTP error) becomes the same envelope as
  Flask's error handlers give (core/errors.py), in the organisation's language; a bug is
  logged with the request id and answered 500, or raised under testing as Flask does;
- Cache-Control: no-store, X-Request-Id, the log line and the counters
  (core/request_log.py).

Any other path goes to Flask; another method on a direct path is a 405.
"""
import json

from flask import g
from werkzeug.exceptions import Forbidden, InternalServerError, MethodNotAllowed, Unauthorized
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request

from . import errors, request_log
from .headers import NO_STORE
from .roles import has_capability


def wrap(app, wsgi_app, endpoints, principal_for):
    """wsgi_app with endpoints ({(method, path): (DirectEndpoint, handler)}) served directly.
    principal_for(authorization header) -> principal or None."""
    methods = {}
    for method, path in endpoints:
        methods.setdefault(path, []).append(method)

    def serve(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path not in methods:
            return wsgi_app(environ, start_response)
        found = endpoints.get((environ.get("REQUEST_METHOD"), path))
        return _answer(app, found, methods[path], principal_for, environ, start_response)
    return serve


def _answer(app, found, allowed, principal_for, environ, start_response):
    request_id, started = request_log.begin(environ.get("HTTP_X_REQUEST_ID"))
    endpoint, handler = found or (None, None)
    with app.app_context():
        context = g._get_current_object()
        context.request_id, context.accept_language = (request_id,
                                                       environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        try:
            if endpoint is None:
                raise MethodNotAllowed(allowed)
            status, body = handler(*_call(environ, endpoint, principal_for, context))
        except Exception as exc:   # noqa: BLE001 - the boundary: every refusal gets its envelope
            status, body = errors.api_reply(exc) or _bug(app, environ, exc)
        data = (body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data))),
               *NO_STORE, ("X-Request-Id", request_id)]
    if endpoint is None:
        headers.append(("Allow", ", ".join(sorted(allowed))))
    request_log.finish(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""), status,
                       started, intake=bool(endpoint and endpoint.intake))
    start_response(f"{status} {HTTP_STATUS_CODES.get(status, '')}", headers)
    return [data]


def _call(environ, endpoint, principal_for, context):
    """(request, principal) for the handler, or raise 401/403."""
    request = Request(environ)
    request.max_content_length = endpoint.max_body_bytes
    principal = principal_for(environ.get("HTTP_AUTHORIZATION")) if principal_for else None
    if principal is None:
        raise Unauthorized()
    if not has_capability(principal, endpoint.capability):
        raise Forbidden()
    context.user = principal
    return request, principal


def _bug(app, environ, exc):
    """What Flask does with an exception no handler knows: raise it under testing, else
    log it and answer 500."""
    propagate = app.config["PROPAGATE_EXCEPTIONS"]
    if propagate if propagate is not None else (app.testing or app.debug):
        raise exc
    app.logger.error("Exception on %s [%s]", environ.get("PATH_INFO"),
                     environ.get("REQUEST_METHOD"), exc_info=exc)
    return errors.api_reply(InternalServerError())
