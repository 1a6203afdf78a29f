"""The keys the distribution domain uses: the data keyring (core.crypto) for personal
fields, and the blind-index key for matching contacts without storing plain values.

The blind-index key lives beside the data keys (DATA_DIR/keys/blind_index_key, 0600),
never in the database. It is not rotated with the data keys: an index is only compared
with another index, and rotating it would mean re-reading every contact.
"""
import hmac
import re
from pathlib import Path

from flask import current_app

from ..core import crypto

_CACHE = {}


def _data_dir():
    return current_app.config["DATA_DIR"]


def keyring():
    """The data keyring, read again when `cem rotate-keys` has changed the keys file."""
    data_dir = _data_dir()
    stamp = crypto.keys_path(data_dir).stat().st_mtime_ns
    cached = _CACHE.get(("ring", data_dir))
    if cached is None or cached[0] != stamp:
        cached = _CACHE[("ring", data_dir)] = (stamp, crypto.Keyring.load(data_dir))
    return cached[1]


def forget():
    """After a key rotation in this process (tests, cem rotate-keys)."""
    _CACHE.clear()


def blind_key(data_dir=None):
    data_dir = data_dir or _data_dir()
    key = _CACHE.get(("blind", data_dir))
    if key is None:
        key = _CACHE[("blind", data_dir)] = _load_or_create(Path(data_dir) / "keys" /
                                                            "blind_index_key")
    return key


def _load_or_create(path):
    return bytes.fromhex(crypto.generated_secret(path))


def normal_email(value):
    return (value or "").strip().lower()


def normal_phone(value):
    """Digits only, a leading + kept; a mainland number with +86/0086 prefix compares equal."""
    text = re.sub(r"[\s\-().]", "", value or "")
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.startswith("+86"):
        text = text[3:]
    return text


def blind_index(kind, value, key=None):
    """The keyed hash of a normalised email or phone; None for an empty value."""
    normal = normal_email(value) if kind == "email" else normal_phone(value)
    if not normal:
        return None
    return hmac.digest(key or blind_key(), f"{kind}:{normal}".encode(), "sha256").hex()[:32]
