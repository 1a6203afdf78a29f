"""`cem`: the operating interface of the appliance."""
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

