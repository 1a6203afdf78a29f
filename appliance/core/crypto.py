"""Encryption of personal fields at rest (AES-256-GCM, authenticated).

Keys live in DATA_DIR/keys/data_keys.json (mode 0600), outside the database.
Several keys are kept so old rows stay readable; the newest is active and
`cem rotate-keys` adds a key and re-encrypts every column the domains declare
(DOMAIN.encrypted_columns).
A ciphertext reads "enc1:<key id>:<base64 nonce+ciphertext>".
"""
import base64
import json
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc1"


class MissingKeys(Exception):
    """Missing or unusable data keys."""


class DecryptionError(Exception):
    pass


def keys_path(data_dir):
    return Path(data_dir) / "keys" / "data_keys.json"


class Keyring:
    def __init__(self, active, keys):
        self.active = active
        self.keys = keys   # id -> 32 raw bytes
        self._ciphers = {}   # id -> AESGCM, built once (an import encrypts 300,000 fields)

    def _cipher(self, key_id):
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            cipher = self._ciphers[key_id] = AESGCM(self.keys[key_id])
        return cipher

    @classmethod
    def load(cls, data_dir):
        path = keys_path(data_dir)
        if not path.exists():
            raise MissingKeys(f"no data keys at {path}; finish the setup wizard or run `cem rotate-keys`.")
        doc = json.loads(path.read_text())
        return cls(doc["active"], {k: base64.b64decode(v) for k, v in doc["keys"].items()})

    @classmethod
    def exists(cls, data_dir):
        return keys_path(data_dir).exists()

    def encrypt(self, plaintext):
        if plaintext is None or plaintext == "":
            return ""
        nonce = os.urandom(12)
        sealed = self._cipher(self.active).encrypt(nonce, plaintext.encode("utf-8"),
                                                   self.active.encode())
        return f"{PREFIX}:{self.active}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token):
        if not token:
            return ""
        try:
            prefix, key_id, body = token.split(":", 2)
            raw = base64.b64decode(body)
            cipher = self._cipher(key_id)
        except (ValueError, KeyError) as exc:
            raise DecryptionError("not a ciphertext of a known key") from exc
        if prefix != PREFIX:
            raise DecryptionError("unknown ciphertext format")
        try:
            return cipher.decrypt(raw[:12], raw[12:], key_id.encode()).decode("utf-8")
        except InvalidTag as exc:
            raise DecryptionError("ciphertext was tampered with or the key is wrong") from exc

    def key_id_of(self, token):
        return token.split(":", 2)[1] if token else None


_CACHE = {}   # keys path -> (file stamp, Keyring)


def keyring(data_dir):
    """The data keyring, read once per process and read again when the key file changes
    (after `cem rotate-keys` every worker encrypts with the new active key at once)."""
    path = keys_path(data_dir)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise MissingKeys(f"no data keys at {path}; finish the setup wizard or run "
                          "`cem rotate-keys`.") from None
    stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
    cached = _CACHE.get(path)
    if cached is None or cached[0] != stamp:
        cached = _CACHE[path] = (stamp, Keyring.load(data_dir))
    return cached[1]


def create_keyring(data_dir):
    """Create the first data key if none exists (setup wizard). Returns the keyring."""
    if Keyring.exists(data_dir):
        return Keyring.load(data_dir)
    return _write(data_dir, Keyring(None, {}), new_key=True)


def add_key(data_dir):
    """Add a fresh key and make it active; older keys stay for decryption."""
    return _write(data_dir, Keyring.load(data_dir), new_key=True)


def _write(data_dir, ring, new_key):
    if new_key:
        key_id = f"k{len(ring.keys) + 1}-{secrets.token_hex(3)}"
        ring.keys[key_id] = AESGCM.generate_key(bit_length=256)
        ring.active = key_id
    path = keys_path(data_dir)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    doc = {"active": ring.active,
           "keys": {k: base64.b64encode(v).decode() for k, v in ring.keys.items()}}
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(doc, handle)
    os.replace(tmp, path)
    return ring


def reencrypt_all(db, ring, columns):
    """Re-encrypt the columns (the registry's EncryptedColumn list) under the active key.
    Returns the number of values changed."""
    from .db import transaction
    changed = 0
    for table, key, column in ((c.table, c.key, c.column) for c in columns):
        if table not in db.table_names():
            continue
        rows = db.execute(f"SELECT {key}, {column} FROM {table} WHERE {column} != '' "
                          f"AND {column} NOT LIKE ?", (f"{PREFIX}:{ring.active}:%",)).fetchall()
        with transaction(db):
            for row in rows:
                fresh = ring.encrypt(ring.decrypt(row[1]))
                db.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", (fresh, row[0]))
                changed += 1
    return changed


def secret_key(data_dir):
    """The Flask secret key, generated on first start, stored 0600 in the data directory."""
    return generated_secret(Path(data_dir) / "keys" / "secret_key")


def generated_secret(path):
    """A random secret kept 0600 in path (dir 0700), made on first use; several processes
    starting at once agree on one (the first link wins). Returns its text."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)   # atomic: the first worker to start wins
        except FileExistsError:
            pass
        os.unlink(tmp)
    return path.read_text().strip()
