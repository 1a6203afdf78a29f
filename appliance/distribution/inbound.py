"""POST /api/v1/channels/<id>/replies: the SMS gateway posts a reply it received.

Authenticated not by a user or a token but by the channel's inbound secret, the way the
channel's config says (channels/sms_inbound.py: an HMAC-SHA256 signature of the body, or
the secret itself, in a header). Answers 200 {"ok": true, "contact": bool, "opted_out":
bool}; an unknown channel 404, a bad signature 401, an unreadable body 400.
"""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from ..core.db import get_db
from ..core.errors import ApiError
from . import channels, channels_service, keys, replies
from .channels.sms_inbound import InboundRefused

bp = Blueprint("distribution_inbound", __name__, url_prefix="/api/v1")
MAX_BODY_BYTES = 16 * 1024


def _reader(channel_id):
    channel = channels_service.channel_by_id(get_db(), channel_id)
    cls = channels.channel_class(channel["kind"]) if channel else None
    if cls is None or not cls.inbound:
        raise ApiError(404, _("No channel %(id)s takes replies.", id=channel_id))
    return channel, channels_service.open_channel(get_db(), channel)


@bp.post("/channels/<int:channel_id>/replies")
def reply(channel_id):
    channel, reader = _reader(channel_id)
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise ApiError(413, _("A reply is at most 16 KB."))
    request.max_content_length = MAX_BODY_BYTES    # a body without a length is cut off too
    body = request.get_data(cache=False)
    secret = keys.keyring().decrypt(channel["inbound_secret_enc"]) \
        if channel["inbound_secret_enc"] else ""
    try:
        sender, text = reader.read_reply(request.headers, request.content_type, body, secret)
    except InboundRefused as refused:
        message = str(refused.message)
        raise ApiError(refused.status, message, [{"field": refused.field, "message": message}]
                       if refused.field else []) from None
    outcome = replies.receive(get_db(), channel, sender, text)
    return jsonify({"ok": True, **outcome})
