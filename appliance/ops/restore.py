"""`cem restore`: put a backup back into a stopped appliance, after checking everything.

Refused, with nothing changed: an archive that is not ours or is damaged (a member's
SHA-256 differs), a schema newer than this code, an appliance that is running (the job
runner's lock is held), keys that are not available or cannot open the data (the key
check values of the manifest), a wrong passphrase. The files it replaces are moved
aside to DATA_DIR/pre-restore-<time>/, not deleted.
"""
import base64
import fcntl
import hashlib
import json
import shutil
import tarfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..core import clock, crypto, db
from . import keyfile
from .backup import FORMAT, KEY_CHECK, BackupError


def read_manifest(archive):
    try:
        with tarfile.open(archive, "r:") as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
    except (tarfile.TarError, KeyError, ValueError, OSError, AttributeError) as exc:
        raise BackupError(f"{archive} is not a Tingjian backup or is damaged ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a Tingjian backup (format {manifest.get('format')!r})")
    return manifest


def verify(archive, manifest):
    """Every member present, nothing extra, each SHA-256 as the manifest says."""
    seen = {}
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                if member.name == "manifest.json":
                    continue
                if not member.isfile() or member.name not in manifest["files"]:
                    raise BackupError(f"{archive}: unexpected member {member.name!r}")
                digest = hashlib.sha256()
                for block in iter(lambda handle=tar.extractfile(member): handle.read(1 << 20), b""):
                    digest.update(block)
                seen[member.name] = digest.hexdigest()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive} is damaged or truncated ({exc})") from exc
    broken = sorted(n for n, h in manifest["files"].items() if seen.get(n) != h)
    if broken:
        raise BackupError(f"{archive}: checksum mismatch for {', '.join(broken[:3])}: "
                          "the backup is damaged; use another one")


def check_schema(manifest, migrations_dir):
    newest = db.code_version(migrations_dir)
    if manifest["schema_version"] > newest:
        raise BackupError(f"the backup has schema version {manifest['schema_version']} "
                          f"(Tingjian {manifest['appliance_version']}) but this Tingjian knows only "
                          f"up to {newest}: upgrade Tingjian first, then restore")


def check_stopped(data_dir):
    lock = Path(data_dir) / "jobrunner.lock"
    if not lock.exists():
        return
    with open(lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError("Tingjian is running (its job runner holds "
                              f"{lock}): stop it first (systemctl stop tingjian)") from None


def load_keys(manifest, data_dir, keys_file, passphrase):
    """The key files to restore ({} to keep the data directory's own), checked against the data."""
    if keys_file and Path(keys_file).exists():
        try:
            files = keyfile.unseal(Path(keys_file).read_bytes(), passphrase)
        except keyfile.WrongPassphrase as exc:
            raise BackupError(f"{keys_file}: {exc}") from exc
        keys = json.loads(files["data_keys.json"])["keys"] if "data_keys.json" in files else {}
    elif not manifest.get("key_checks"):
        files, keys = {}, {}   # backed up before the first key existed: nothing is encrypted
    elif crypto.Keyring.exists(data_dir):
        files, keys = {}, {k: base64.b64encode(v).decode()
                           for k, v in crypto.Keyring.load(data_dir).keys.items()}
    else:
        raise BackupError(f"the keys of this backup are not available: give --keys KEYFILE "
                          f"(not found: {keys_file})")
    _check_keys(manifest, keys)
    return files


def _check_keys(manifest, keys):
    for key_id, check in manifest.get("key_checks", {}).items():
        if key_id not in keys:
            raise BackupError(f"the keys given do not include data key {key_id} of this backup: "
                              "use the keys file written with it")
        raw = base64.b64decode(check)
        try:
            fits = AESGCM(base64.b64decode(keys[key_id])).decrypt(raw[:12], raw[12:], None) == KEY_CHECK
        except (InvalidTag, ValueError):
            fits = False
        if not fits:
            raise BackupError(f"data key {key_id} in the keys given cannot decrypt this backup")


def restore(archive, data_dir, migrations_dir, keys_file=None, passphrase=None):
    """Check everything, then replace the data directory's database, files and keys."""
    manifest = read_manifest(archive)
    verify(archive, manifest)
    check_schema(manifest, migrations_dir)
    data_dir = Path(data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    check_stopped(data_dir)
    key_files = load_keys(manifest, data_dir, keys_file, passphrase)
    aside = _move_aside(data_dir, {name.split("/")[0] for name in manifest["files"]})
    with tarfile.open(archive, "r:") as tar:
        tar.extractall(data_dir, members=[m for m in tar if m.name != "manifest.json"],
                       filter="data")
    keys_dir = crypto.keys_path(data_dir).parent
    keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name, text in key_files.items():
        keyfile.write_private(keys_dir / name, text.encode("utf-8"))
    (data_dir / "tingjian.db").chmod(0o600)
    return manifest, aside


def _move_aside(data_dir, restored):
    """Move what the archive replaces (the database with its WAL, its directories) aside."""
    aside = data_dir / f"pre-restore-{clock.utcnow().strftime('%Y%m%dT%H%M%S')}"
    for name in sorted(restored | {"tingjian.db-wal", "tingjian.db-shm"}):
        if (data_dir / name).exists():
            aside.mkdir(mode=0o700, exist_ok=True)
            shutil.move(str(data_dir / name), aside / name)
    return aside if aside.exists() else None
