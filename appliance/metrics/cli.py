"""`cem metrics rebuild`: recount every summary from the raw responses (after a change of
the organisation's time zone, or to check them)."""
import click
from flask.cli import with_appcontext

from ..core.db import get_db


@click.group("metrics", help="Metrics summaries.")
def metrics_cli():
    pass


@metrics_cli.command("rebuild")
@with_appcontext
def rebuild():
    from . import events
    events.rebuild_all(get_db())
    click.echo("metrics summaries rebuilt")
