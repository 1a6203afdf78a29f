"""`cem backup ARCHIVE [--keys KEYFILE]` and `cem restore ARCHIVE [--keys KEYFILE]`."""
import contextlib
import os
import sys

import click

from ..core import config as config_module
from ..core import db
from . import status
from .backup import BackupError, create
from .restore import restore as restore_archive

PASSPHRASE_ENV = "TINGJIAN_BACKUP_PASSPHRASE"


def load_config():
    try:
        return config_module.load()
    except config_module.ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def passphrase(confirm):
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise click.ClickException(f"a passphrase for the keys file is needed: set {PASSPHRASE_ENV} "
                                   "or run this in a terminal")
    return click.prompt("Passphrase for the keys file", hide_input=True,
                        confirmation_prompt=confirm)


def default_keys(archive):
    return f"{archive}.keys"


@click.command()
@click.argument("archive", type=click.Path(dir_okay=False))
@click.option("--keys", "keys_file", type=click.Path(dir_okay=False),
              help="Where to write the data keys, sealed with a passphrase (default ARCHIVE.keys).")
def backup(archive, keys_file):
    """Back up the live database, uploads and reports to ARCHIVE; the keys to KEYFILE."""
    cfg = load_config()
    keys_file = keys_file or default_keys(archive)
    secret = passphrase(confirm=True)
    with contextlib.closing(db.connect(db.database_path(cfg["DATA_DIR"]))) as database:
        run_id = status.record_start(database, "manual", os.path.abspath(archive))
        try:
            manifest = create(cfg["DATA_DIR"], archive, keys_file, secret)
        except BackupError as exc:
            status.record_end(database, run_id, error=str(exc))
            raise click.ClickException(str(exc)) from None
        status.record_end(database, run_id, size=os.path.getsize(archive))
    click.echo(f"backed up schema {manifest['schema_version']} ({len(manifest['files'])} files) "
               f"to {archive}; data keys to {keys_file}: keep them apart, with the passphrase")


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--keys", "keys_file", type=click.Path(dir_okay=False),
              help="The keys file written with the backup (default ARCHIVE.keys).")
def restore(archive, keys_file):
    """Restore ARCHIVE (and its KEYFILE) into the stopped appliance's data directory."""
    cfg = load_config()
    keys_file = keys_file or default_keys(archive)
    secret = passphrase(confirm=False) if os.path.exists(keys_file) else None
    try:
        manifest, aside = restore_archive(archive, cfg["DATA_DIR"], cfg["MIGRATIONS_DIR"],
                                          keys_file, secret)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored the backup of {manifest['created_at']} (schema "
               f"{manifest['schema_version']}) into {cfg['DATA_DIR']}"
               + (f"; the replaced files are in {aside}" if aside else "")
               + ". Start Tingjian (it applies any pending migration).")
