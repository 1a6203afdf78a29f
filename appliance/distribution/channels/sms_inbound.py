"""Replies a gateway posts back: authenticated with the channel's inbound secret, the way
the channel's config says, then read as (from number, text).

- hmac-sha256: the header (default X-Signature) holds the hex HMAC-SHA256 of the raw body
  under the inbound secret ("sha256=" in front is accepted);
- token: the header holds the inbound secret itself.
The body is JSON or a form (application/x-www-form-urlencoded); the field names of the
sender's number and of the text are configurable (default "from" and "text").
"""
import hashlib
import hmac
import json
from urllib.parse import parse_qs

from flask_babel import lazy_gettext as _l

from . import Field

AUTH_MODES = ("hmac-sha256", "token")
MAX_TEXT = 1000

FIELDS = (
    Field("inbound_auth", _l("Replies: authentication"), "select", options=AUTH_MODES,
          default="hmac-sha256",
          help=_l("How the gateway proves a reply comes from it: an HMAC-SHA256 of the body "
                  "with the inbound secret, or the inbound secret itself, in the header below.")),
    Field("inbound_header", _l("Replies: signature header"), default="X-Signature"),
    Field("inbound_from", _l("Replies: field of the sender's number"), default="from"),
    Field("inbound_text", _l("Replies: field of the text"), default="text"),
)


class InboundRefused(Exception):
    """status 401 (not the gateway) or 400 (not a reply we can read), with a message."""

    def __init__(self, status, message, field=None):
        super().__init__(str(message))
        self.status, self.message, self.field = status, message, field


def check_config(config):
    errors = {}
    if config.get("inbound_auth", "hmac-sha256") not in AUTH_MODES:
        errors["inbound_auth"] = _l("Replies: hmac-sha256 or token.")
    for name in ("inbound_header", "inbound_from", "inbound_text"):
        value = config.get(name, "")
        if value and (len(value) > 64 or not value.replace("-", "").replace("_", "").isalnum()):
            errors[name] = _l("Letters, digits, - and _ only (at most 64).")
    return errors


def verify(config, headers, body, secret):
    """Raise InboundRefused(401) unless the request carries the channel's proof."""
    if not secret:
        raise InboundRefused(401, _l("This channel takes no replies: set its inbound secret."))
    given = (headers.get(config.get("inbound_header") or "X-Signature") or "").strip()
    if config.get("inbound_auth", "hmac-sha256") == "token":
        expected = secret
    else:
        given = given.removeprefix("sha256=").lower()
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise InboundRefused(401, _l("The reply's signature does not match the channel's "
                                     "inbound secret."))


def parse(config, content_type, body):
    """(sender, text) from the body, or InboundRefused(400)."""
    fields = _fields(content_type, body)
    sender_name = config.get("inbound_from") or "from"
    text_name = config.get("inbound_text") or "text"
    sender, text = fields.get(sender_name), fields.get(text_name)
    if not isinstance(sender, (str, int)) or not str(sender).strip():
        raise InboundRefused(400, _l("The reply has no sender number (field %(name)s).",
                                     name=sender_name), sender_name)
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise InboundRefused(400, _l("The reply needs a text (field %(name)s) of at most "
                                     "%(n)s characters.", name=text_name, n=MAX_TEXT), text_name)
    return str(sender).strip()[:40], text


def _fields(content_type, body):
    try:
        text = body.decode("utf-8")
        if "json" in (content_type or "") or text.lstrip().startswith("{"):
            value = json.loads(text)
        else:
            value = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    except (UnicodeDecodeError, ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise InboundRefused(400, _l("The reply must be a JSON object or a form."))
    return value
