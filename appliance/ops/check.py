"""`cem check`: configuration, paths, schema, free disk, key permissions, backups, the
SMTP relay and the text models; prints each and exits 1 on a problem."""
import contextlib
import shutil
import socket
import sys

import click

from ..core import crypto, db, settings
from . import status
from .commands import load_config


def _line(name, value):
    click.echo(f"{name:22} {value}")


@click.command()
def check():
    """Print configuration, paths and the appliance's state; exit 1 on a problem."""
    cfg = load_config()
    for key in sorted(cfg):
        _line(key.lower(), "(set)" if key == "METRICS_TOKEN" and cfg[key] else cfg[key])
    problems = []
    for probe in (_schema, _disk, _keys, _backup, _smtp, _text_models):
        problems += probe(cfg)
    for problem in problems:
        click.echo(f"PROBLEM: {problem}", err=True)
    sys.exit(1 if problems else 0)


def _database(cfg):
    path = db.database_path(cfg["DATA_DIR"])
    return contextlib.closing(db.connect(path)) if path.exists() else contextlib.nullcontext()


def _schema(cfg):
    path = db.database_path(cfg["DATA_DIR"])
    code_version = db.code_version(cfg["MIGRATIONS_DIR"])
    with _database(cfg) as database:
        version = db.schema_version(database) if database else 0
    _line("database", f"{path} (schema {version}, code {code_version})")
    if version > code_version:
        return ["database is newer than this code: upgrade Tingjian"]
    if version < code_version:
        return ["migrations pending: run `cem migrate`"]
    return []


def _disk(cfg):
    free_mb = shutil.disk_usage(cfg["DATA_DIR"]).free // 2**20
    _line("free disk", f"{free_mb} MB in {cfg['DATA_DIR']}")
    return [f"only {free_mb} MB free in {cfg['DATA_DIR']}"] if free_mb < cfg["MIN_FREE_DISK_MB"] else []


def _keys(cfg):
    keys = crypto.keys_path(cfg["DATA_DIR"])
    _line("data keys", "present" if keys.exists() else "not yet created")
    problems = []
    for path, mode in ((keys, 0o077), (keys.parent, 0o077)):
        if path.exists() and path.stat().st_mode & mode:
            problems.append(f"{path} is readable by others: chmod {'700' if path.is_dir() else '600'} it")
    return problems


def _backup(cfg):
    with _database(cfg) as database:
        if database is None or "backup_runs" not in database.table_names():
            _line("backup", "no database yet")
            return []
        health = status.backup_health(database, scheduled=cfg["BACKUP_HOUR"] >= 0)
    schedule = f"daily at {cfg['BACKUP_HOUR']}:00" if cfg["BACKUP_HOUR"] >= 0 else "not scheduled"
    age = health["age_hours"]
    _line("backup", f"{schedule}; last good {health['last_ok_at'] or 'never'}"
          + (f" ({age} h ago)" if age is not None else ""))
    if health["last_error"]:
        return [f"the last backup failed: {health['last_error']}"]
    if age is not None and age >= status.MAX_AGE_HOURS and cfg["BACKUP_HOUR"] >= 0:
        return [f"the last good backup is {age} hours old"]
    return []


def _smtp(cfg):
    with _database(cfg) as database:
        if database is None or "settings" not in database.table_names():
            return []
        host, port = settings.get(database, "smtp.host"), settings.get(database, "smtp.port")
    if not host:
        _line("smtp relay", "not configured")
        return []
    try:
        with socket.create_connection((host, int(port)), timeout=5) as conn:
            conn.settimeout(5)
            banner = conn.recv(512).decode("ascii", "replace").strip()
    except OSError as exc:
        _line("smtp relay", f"{host}:{port} unreachable")
        return [f"the SMTP relay {host}:{port} is not reachable ({exc.strerror or exc})"]
    _line("smtp relay", f"{host}:{port} reachable ({banner[:60]})")
    return [] if banner.startswith("220") else [f"the SMTP relay {host}:{port} answered {banner[:60]!r}"]


def _text_models(cfg):
    from ..textengine.build import built_version, expected_version
    built = built_version(cfg["TEXT_MODELS_DIR"])
    if built is None:
        _line("text models", f"not built in {cfg['TEXT_MODELS_DIR']}")
        return [f"no text models in {cfg['TEXT_MODELS_DIR']}: run `cem text build-models`"]
    expected = expected_version(cfg["TEXT_CONFIG_DIR"], cfg["TEXT_MODELS_DIR"])
    _line("text models", f"version {built}" + ("" if built == expected else f", code expects {expected}"))
    return [] if built == expected else ["the text models do not match the code: run "
                                         "`cem text build-models --if-needed`"]
