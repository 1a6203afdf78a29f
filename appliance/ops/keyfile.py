"""The backup's keys file: the data keys, sealed with a passphrase.

scrypt (n=2**15, r=8, p=1) turns the passphrase into an AES-256-GCM key; the file is
JSON with the KDF parameters, salt, nonce and ciphertext, written 0600. A wrong
passphrase (or a changed byte) fails the GCM tag: WrongPassphrase, never garbage keys.
"""
import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = "tingjian-keys-1"
SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}


class WrongPassphrase(Exception):
    pass


def _derive(passphrase, salt, params):
    return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(
        passphrase.encode("utf-8"))


def seal(secrets, passphrase):
    """secrets: {name: text} (the files of the keys directory) -> the keys file's bytes."""
    salt, nonce = os.urandom(16), os.urandom(12)
    plain = json.dumps(secrets).encode("utf-8")
    sealed = AESGCM(_derive(passphrase, salt, SCRYPT)).encrypt(nonce, plain, FORMAT.encode())
    doc = {"format": FORMAT, "kdf": "scrypt", **SCRYPT,
           "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode(),
           "ciphertext": base64.b64encode(sealed).decode()}
    return json.dumps(doc, indent=1).encode("utf-8")


def unseal(raw, passphrase):
    try:
        doc = json.loads(raw)
        if doc.get("format") != FORMAT:
            raise ValueError
        salt, nonce, body = (base64.b64decode(doc[k]) for k in ("salt", "nonce", "ciphertext"))
        key = _derive(passphrase, salt, doc)
    except (ValueError, KeyError, TypeError) as exc:
        raise WrongPassphrase("this is not a Tingjian keys file") from exc
    try:
        return json.loads(AESGCM(key).decrypt(nonce, body, FORMAT.encode()))
    except InvalidTag as exc:
        raise WrongPassphrase("wrong passphrase, or the keys file was changed") from exc


def write_private(path, data):
    """Write bytes to path, 0600 from the start (never readable by others, even briefly)."""
    tmp = f"{path}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
