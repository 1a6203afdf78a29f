"""`cem backup` and the scheduled backup: one tar archive, the keys kept apart.

The archive holds manifest.json (format, appliance and schema version, when, the SHA-256
of every member, the ids of the data keys with a check value for each), tingjian.db
(SQLite's online backup API: one consistent snapshot while the appliance writes) and the
data directory's uploads/, reports/ and text-models/. The data keys never go into it:
they go to a separate keys file sealed with a passphrase (keyfile.py), because a backup
holds personal data. Files are written 0600 in a 0700 directory.
"""
import base64
import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

import sqlite_utils
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..core import clock, crypto, db
from . import keyfile

FORMAT = "tingjian-backup-1"
ARCHIVED_DIRS = ("uploads", "reports", "text-models")
KEY_CHECK = b"tingjian key check"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def appliance_version():
    try:
        return metadata.version("tingjian")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_checks(ring):
    """For each data key a value only that key opens: restore proves the keys fit."""
    checks = {}
    for key_id, key in ring.keys.items():
        nonce = os.urandom(12)
        checks[key_id] = base64.b64encode(nonce + AESGCM(key).encrypt(nonce, KEY_CHECK, None)).decode()
    return checks


def snapshot_database(data_dir, target):
    """A consistent copy of the live database (online backup: writers carry on)."""
    source = sqlite3.connect(db.database_path(data_dir), timeout=30)
    dest = sqlite3.connect(target)
    try:
        with dest:
            source.backup(dest)
        return db.schema_version(sqlite_utils.Database(dest))
    finally:
        source.close()
        dest.close()


def _members(data_dir):
    for name in ARCHIVED_DIRS:
        root = Path(data_dir) / name
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                yield path, str(path.relative_to(data_dir))


def create(data_dir, archive, keys_file=None, passphrase=None):
    """Write the archive (and, with keys_file, the sealed keys); returns the manifest."""
    archive = Path(archive)
    ring = crypto.Keyring.load(data_dir) if crypto.Keyring.exists(data_dir) else None
    try:
        archive.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".backup-") as work:
            snapshot = Path(work) / "tingjian.db"
            schema = snapshot_database(data_dir, snapshot)
            members = [(snapshot, "tingjian.db"), *_members(data_dir)]
            manifest = {"format": FORMAT, "appliance_version": appliance_version(),
                        "schema_version": schema, "created_at": clock.now_iso(),
                        "files": {name: sha256_file(path) for path, name in members},
                        "key_checks": key_checks(ring) if ring else {}}
            _write_tar(archive, manifest, members)
            if keys_file:
                keyfile.write_private(keys_file, keyfile.seal(_key_files(data_dir), passphrase))
    except (OSError, sqlite3.Error) as exc:
        for path in (archive, Path(f"{archive}.tmp")):
            path.unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or exc
        raise BackupError(f"could not write the backup to {archive.parent} ({reason}): "
                          "free some space or choose another place; nothing was changed") from exc
    return manifest


def _write_tar(archive, manifest, members):
    tmp = Path(f"{archive}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as tar:
        body = json.dumps(manifest, indent=1).encode("utf-8")
        info = tarfile.TarInfo("manifest.json")
        info.size, info.mtime, info.mode = len(body), int(clock.utcnow().timestamp()), 0o600
        tar.addfile(info, io.BytesIO(body))
        for path, name in members:
            tar.add(path, arcname=name, recursive=False)
        tar.close()
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, archive)


def _key_files(data_dir):
    keys_dir = crypto.keys_path(data_dir).parent
    if not keys_dir.is_dir():
        raise BackupError(f"no keys in {keys_dir}: finish the setup wizard first")
    return {p.name: p.read_text() for p in sorted(keys_dir.iterdir()) if p.is_file()
            and not p.name.endswith(".tmp")}
