"""Named exceptions and the one boundary that renders them: an HTML page or the API's JSON envelope."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter


class ValidationError(Exception):
    """Bad input: field -> message, shown to the user with a 400."""

    def __init__(self, errors, message=None):
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.message = message


class ApiError(Exception):
    """An API refusal: raise it, the boundary renders the one envelope
    {"ok": false, "error", "errors": [{"field", "message", ...}], ...extra}."""

    def __init__(self, status, message, errors=(), **extra):
        super().__init__(str(message))
        self.status, self.message, self.errors, self.extra = status, message, list(errors), extra


def wants_json():
    return request.path.startswith("/api/") or request.is_json


class IdConverter(IntegerConverter):
    """<int:...> in URLs: only ids the database can hold (a 30-digit id is a 404, not a 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def register(app):
    app.register_error_handler(OverflowError, _number_out_of_range)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(ApiError, _api_error)


def _api_error(exc):
    return jsonify(api_envelope(exc)), exc.status


def api_envelope(exc):
    return {"ok": False, "error": str(exc.message),
            "errors": [{k: str(v) if k == "message" else v for k, v in e.items()}
                       for e in exc.errors], **exc.extra}


def api_reply(exc):
    """(status, envelope) of a refusal raised by an API call, or None for a bug: the JSON
    half of this boundary, for the direct endpoints (core/direct.py), which Flask's error
    handlers do not see."""
    if isinstance(exc, ApiError):
        return exc.status, api_envelope(exc)
    if isinstance(exc, ValidationError):
        return 400, envelope(exc.message or _("Some fields need correcting."), exc.errors)
    if isinstance(exc, HTTPException):
        return exc.code, envelope(http_message(exc))
    if isinstance(exc, OverflowError):
        return 400, envelope(_("A number in the request is out of range."))
    return None


def envelope(message, errors=None):
    return {"ok": False, "error": str(message),
            "errors": [{"field": k, "message": str(v)} for k, v in (errors or {}).items()]}


def _number_out_of_range(exc):
    """A number too large for the database, e.g. ?parent_id=999999999999999999999."""
    return _render(400, _("A number in the request is out of range."))


def _csrf_error(exc):
    return _render(400, _("The form expired or was sent from another site. "
                          "Reload the page and try again."))


def _validation_error(exc):
    return _render(400, exc.message or _("Some fields need correcting."), exc.errors)


def _http_error(exc):
    return _render(exc.code, http_message(exc))


def http_message(exc):
    messages = {
        400: _("The request could not be understood."),
        401: _("Sign in first, or send a valid API token (Authorization: Bearer <token>)."),
        403: _("You do not have permission to do this."),
        404: _("This page does not exist, or it is outside your part of the organisation."),
        405: _("This action is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many requests; wait a moment and try again."),
    }
    return messages.get(exc.code, exc.description or exc.name)


def _render(code, message, errors=None):
    if wants_json():
        return jsonify(envelope(message, errors)), code
    return render_template("errors/error.html", code=code, message=message,
                           errors=errors or {}), code
