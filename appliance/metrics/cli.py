"""`cem metrics rebuild`: recount every summary from the raw responses (after a change of
the organisation's time zone, or to check them)."""
import click


@click.group("metrics", help="Metrics summaries.")
def metrics_cli():
    pass


@metrics_cli.command("rebuild")
def rebuild():
    from ..core.commands import app_context
    from ..core.db import get_db
    from . import events
    with app_context():
        count = events.rebuild_all(get_db(), echo=click.echo)
    click.echo(f"metrics summaries rebuilt from {count:,} responses")
