"""Configured channels (an email sender, an SMS gateway...) and opening one to send."""
import json

from flask_babel import lazy_gettext as _l

from ..core import audit, clock, settings
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from . import channels, keys

MAX_RATE = 10_000


def list_channels(db, scope):
    where, params = scope.sql("unit_id")
    return query_all(db, f"SELECT * FROM channels WHERE {where} ORDER BY id", params)


def get_channel(db, scope, channel_id):
    where, params = scope.sql("unit_id")
    return query_one(db, f"SELECT * FROM channels WHERE id = ? AND {where}",
                     [channel_id, *params])


def channel_by_id(db, channel_id):
    """A channel without scope: for its gateway's inbound calls, which prove themselves
    with the channel's inbound secret."""
    return query_one(db, "SELECT * FROM channels WHERE id = ?", (channel_id,))


def check(kind, name, config, rate):
    cls = channels.channel_class(kind)
    if cls is None:
        raise ValidationError({"kind": _l("Unknown channel type.")})
    errors = dict(cls.check_config(config))
    for f in cls.FIELDS:
        if f.required and not config.get(f.name):
            errors.setdefault(f.name, _l("This field is required."))
    if not name or len(name) > 100:
        errors["name"] = _l("Name is required, at most 100 characters.")
    if rate is None or not 0.1 <= rate <= MAX_RATE:
        errors["rate_per_second"] = _l("Send rate: 0.1 to %(n)s messages a second.", n=MAX_RATE)
    if errors:
        raise ValidationError(errors)
    return cls


def _sealed(value, channel, column):
    """The new secret encrypted, or (None/empty) the stored one kept."""
    return keys.keyring().encrypt(value) if value else (channel or {}).get(column, "")


def save(db, unit, kind, name, config, rate, secret=None, channel=None, inbound_secret=None):
    """Create or change a channel; a secret (or inbound_secret) None keeps the stored one.
    Returns its id."""
    cls = check(kind, name, config, rate)
    config = {f.name: config.get(f.name, f.default) for f in cls.FIELDS}
    sealed = _sealed(secret, channel, "secret_enc")
    inbound = _sealed(inbound_secret, channel, "inbound_secret_enc")
    with transaction(db):
        if channel is None:
            channel_id = db.execute(
                "INSERT INTO channels (unit_id, kind, name, config, secret_enc, "
                "inbound_secret_enc, rate_per_second, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (unit["id"], kind, name, json.dumps(config, ensure_ascii=False), sealed, inbound,
                 rate, clock.now_iso())).lastrowid
        else:
            channel_id = channel["id"]
            db.execute("UPDATE channels SET name = ?, config = ?, secret_enc = ?, "
                       "inbound_secret_enc = ?, rate_per_second = ? WHERE id = ?",
                       (name, json.dumps(config, ensure_ascii=False), sealed, inbound, rate,
                        channel_id))
        audit.record(db, "channel.save", "channel", channel_id, unit["id"],
                     after={"kind": kind, "name": name, "config": config, "rate": rate})
    return channel_id


def smtp_context(db):
    smtp = {k.split(".", 1)[1]: v for k, v in settings.get_many(db, "smtp.").items()}
    smtp["password"] = keys.keyring().decrypt(smtp.pop("password_enc", "")) \
        if smtp.get("password_enc") else ""
    return {"smtp": smtp}


def open_channel(db, channel):
    """An instance of the channel's class, ready to send (close() it after the batch)."""
    cls = channels.channel_class(channel["kind"])
    if cls is None:
        raise LookupError(f"no channel class registered for {channel['kind']!r}")
    secret = keys.keyring().decrypt(channel["secret_enc"]) if channel["secret_enc"] else ""
    return cls(json.loads(channel["config"]), secret, smtp_context(db))
