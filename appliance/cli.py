"""`cem`: the operating interface of the appliance."""
import shutil
import sqlite3
import sys

import click

from . import domains
from .core import config as config_module
from .core import crypto, db
from .core.commands import CommandEnvironment


def load_config():
    try:
        return config_module.load()
    except config_module.ConfigError as exc:
        raise click.ClickException(str(exc))


def open_db(cfg, migrate=True):
    database = db.connect(db.database_path(cfg["DATA_DIR"]))
    if migrate:
        try:
            db.migrate(database, cfg["MIGRATIONS_DIR"])
        except db.SchemaTooNew as exc:
            raise click.ClickException(str(exc))
    return database


def _create_app(overrides=None):
    from . import create_app
    return create_app(overrides)


ENVIRONMENT = CommandEnvironment(_create_app, (config_module.ConfigError, db.SchemaTooNew))


def app_context():
    """An app context (no job runner) for commands that use domain services."""
    return ENVIRONMENT.app_context()


class CemGroup(click.Group):
    """The core commands below plus every domain's (DOMAIN.commands), the same registry
    the server assembles."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(domains.load().commands()))

    def get_command(self, ctx, name):
        return super().get_command(ctx, name) or domains.load().commands().get(name)


@click.group(cls=CemGroup)
@click.pass_context
def main(ctx):
    """Tingjian (听见) customer experience appliance."""
    ctx.obj = ENVIRONMENT


@main.command()
def serve():
    """Run the web server (gunicorn workers) and the job runner (`cem worker`), supervised."""
    cfg = load_config()
    open_db(cfg).close()
    crypto.secret_key(cfg["DATA_DIR"])
    click.echo(f"Tingjian listening on http://{cfg['BIND']} "
               f"({cfg['WORKERS']} workers x {cfg['THREADS']} threads, job runner "
               f"{'in its own process' if cfg['JOBS'] else 'off'})")
    from .core.supervisor import supervise
    sys.exit(supervise(cfg))


@main.command()
@click.option("--stop-with-parent", is_flag=True, hidden=True,
              help="Stop when the supervising `cem serve` is gone.")
def worker(stop_with_parent):
    """Run the job runner: the work queue and the scheduled jobs (one per appliance)."""
    from .core.supervisor import run_worker
    try:
        run_worker(_create_app, stop_with_parent)
    except (config_module.ConfigError, db.SchemaTooNew) as exc:
        raise click.ClickException(str(exc))


@main.command()
def migrate():
    """Apply pending schema migrations."""
    cfg = load_config()
    database = db.connect(db.database_path(cfg["DATA_DIR"]))
    try:
        applied = db.migrate(database, cfg["MIGRATIONS_DIR"])
    except db.SchemaTooNew as exc:
        raise click.ClickException(str(exc))
    click.echo(f"applied {applied}" if applied else "database is up to date")
    click.echo(f"schema version {db.schema_version(database)}")


@main.command()
def check():
    """Print configuration, paths, schema version and free disk; exit 1 on a problem."""
    cfg = load_config()
    problems = []
    for key in sorted(cfg):
        click.echo(f"{key.lower():22} {cfg[key]}")
    path = db.database_path(cfg["DATA_DIR"])
    code_version = db.code_version(cfg["MIGRATIONS_DIR"])
    if path.exists():
        database = db.connect(path)
        version = db.schema_version(database)
        database.close()
    else:
        version = 0
    click.echo(f"{'database':22} {path} (schema {version}, code {code_version})")
    if version > code_version:
        problems.append("database is newer than this code: upgrade Tingjian")
    elif version < code_version:
        problems.append("migrations pending: run `cem migrate`")
    free_mb = shutil.disk_usage(cfg["DATA_DIR"]).free // 2**20
    click.echo(f"{'free disk':22} {free_mb} MB")
    if free_mb < cfg["MIN_FREE_DISK_MB"]:
        problems.append(f"only {free_mb} MB free in {cfg['DATA_DIR']}")
    keys = crypto.keys_path(cfg["DATA_DIR"])
    click.echo(f"{'data keys':22} {'present' if keys.exists() else 'not yet created'}")
    if keys.exists() and keys.stat().st_mode & 0o077:
        problems.append(f"{keys} is readable by others: chmod 600 it")
    for problem in problems:
        click.echo(f"PROBLEM: {problem}", err=True)
    sys.exit(1 if problems else 0)


@main.command("create-admin")
@click.option("--username", required=True)
@click.option("--name", "display_name", default="Administrator")
@click.option("--email", default="")
@click.password_option()
def create_admin(username, display_name, email, password):
    """Create an administrator on the top of the organisation."""
    from .core.errors import ValidationError
    from .org import units, users
    with app_context() as ctx:
        database = db.get_db()
        crypto.create_keyring(ctx.app.config["DATA_DIR"])
        root = units.root_unit(database)
        if root is None:
            raise click.ClickException("no organisation yet: finish the setup wizard first")
        try:
            users.create_user(database, username, display_name, email, password, "admin", root)
        except ValidationError as exc:
            raise click.ClickException("; ".join(f"{k}: {v}" for k, v in exc.errors.items()))
    click.echo(f"administrator {username} created on {root['name']}")


@main.command("rotate-keys")
def rotate_keys():
    """Add a new data key and re-encrypt all personal fields with it."""
    cfg = load_config()
    ring = crypto.add_key(cfg["DATA_DIR"])
    database = open_db(cfg)
    changed = crypto.reencrypt_all(database, ring, domains.load().encrypted_columns)
    click.echo(f"active key {ring.active}; re-encrypted {changed} values")


@main.command()
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def backup(target):
    """Copy the live database to TARGET (consistent online backup)."""
    cfg = load_config()
    source = sqlite3.connect(db.database_path(cfg["DATA_DIR"]))
    db.private_file(target)   # personal data inside: the owner only
    dest = sqlite3.connect(target)
    with dest:
        source.backup(dest)
    source.close()
    dest.close()
    click.echo(f"backed up to {target}; keep it with {crypto.keys_path(cfg['DATA_DIR']).parent}")


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
def restore(source):
    """Replace the database with a backup (stop `cem serve` first)."""
    cfg = load_config()
    target = db.database_path(cfg["DATA_DIR"])
    src = sqlite3.connect(source)
    dest = sqlite3.connect(target)
    with dest:
        src.backup(dest)
    src.close()
    dest.close()
    db.protect(target)
    click.echo(f"restored {source} into {target}")


@main.command()
@click.option("--responses", default=0, help="Also generate this many survey responses.")
def demo(responses):
    """Seed a demo restaurant chain with one user per role."""
    options = {"responses": responses}
    credentials = []
    with app_context():
        for _name, seed in domains.load().demo_steps():
            credentials += seed(db.get_db(), options, click.echo) or []
    click.echo("\nDemo users (user name / password / role):")
    for username, password, role, unit in credentials:
        click.echo(f"  {username:12} {password:18} {role} @ {unit}")

