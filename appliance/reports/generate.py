""""Generate now": a report for any node in the user's scope, queued for the job runner
(never rendered in a web worker); the page follows its progress."""
import secrets
from datetime import date

from flask_babel import lazy_gettext as _l

from ..core import audit
from ..core.db import transaction
from ..core.forms import Form
from ..org import units as units_service
from . import runs
from .subscriptions import LANGUAGES, TYPES

MAX_DAYS = 366


def read(db, data, scope):
    form = Form(data)
    values = {"report_type": form.choice("report_type", TYPES),
              "language": form.choice("language", LANGUAGES)}
    unit = units_service.get_unit_by_code(db, form.text("node", max_length=64))
    if unit is None or not scope.contains_path(unit["path"]):
        form.error("node", _l("Choose a unit inside your part of the organisation."))
    values["unit"] = unit
    values["date_from"] = _day(form, "date_from")
    values["date_to"] = _day(form, "date_to")
    if values["date_from"] and values["date_to"]:
        days = (values["date_to"] - values["date_from"]).days
        if days < 0:
            form.error("date_to", _l("The end date is before the start date."))
        elif days > MAX_DAYS:
            form.error("date_to", _l("A report covers at most a year."))
    form.check()
    return values


def _day(form, name):
    raw = form.text(name, max_length=10)
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        form.error(name, _l("Enter a date as YYYY-MM-DD."))
        return None


def generate_now(db, values, actor):
    """Queue the run (the job runner renders it); returns its id."""
    with transaction(db):
        run_id = runs.create_run(db, f"now:{secrets.token_hex(8)}", values["report_type"],
                                 values["unit"], values["date_from"], values["date_to"],
                                 values["language"], requested_by=actor["id"] if actor else None)
        audit.record(db, "report.generate", "report_run", run_id, values["unit"]["id"],
                     after={"type": values["report_type"], "node": values["unit"]["code"],
                            "from": str(values["date_from"]), "to": str(values["date_to"])},
                     actor=actor)
    return run_id
