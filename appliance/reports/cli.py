"""`cem report render --type executive|unit|survey --node CODE --from DATE --to DATE --out FILE.pdf`"""
from datetime import date

import click


@click.group("report")
def report_cli():
    """Render reports from the command line."""


def _day(_ctx, _param, value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected a date as YYYY-MM-DD") from None


@report_cli.command("render")
@click.option("--type", "kind", type=click.Choice(["executive", "unit", "survey"]),
              default="executive", show_default=True)
@click.option("--node", required=True, help="Org unit code, e.g. DEMO or EAST.")
@click.option("--from", "date_from", required=True, callback=_day, help="First day, YYYY-MM-DD.")
@click.option("--to", "date_to", required=True, callback=_day, help="Last day, YYYY-MM-DD.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--language", type=click.Choice(["zh_CN", "en"]), default="zh_CN",
              show_default=True)
@click.option("--survey", "survey_id", type=int, default=None,
              help="Survey id (survey report; default: the node's survey with data).")
def render_command(kind, node, date_from, date_to, out, language, survey_id):
    """Render one report to a PDF file (for admins and tests; no email, no archive)."""
    from ..core.commands import app_context
    from ..core.db import get_db
    from ..org import units
    from . import render
    if date_to < date_from:
        raise click.BadParameter("--to is before --from")
    with app_context():
        db = get_db()
        unit = units.get_unit_by_code(db, node)
        if unit is None:
            raise click.ClickException(f"no unit with the code {node!r}")
        document, _report = render.build(db, kind, unit, date_from, date_to, language,
                                         survey_id=survey_id)
    with open(out, "wb") as handle:
        handle.write(document)
    click.echo(f"wrote {out} ({len(document) / 1024:.0f} KB)")
