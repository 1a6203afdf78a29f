"""The audit log as CSV for auditors: times in the organisation's zone, words beside codes,
formula-safe cells."""
import csv
import io

from flask_babel import gettext as _

from ..core import audit
from ..core.localtime import local_time, offset_label


def safe_cell(value):
    """Neutralise spreadsheet formulas in exported cells."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("When (%(zone)s)", zone=offset_label()), _("Who"), _("Action"),
                     _("Action code"), _("Object"), _("Change"), _("Before"), _("After"),
                     _("Address")])
    for r in rows:
        writer.writerow([safe_cell(v) for v in (
            local_time(r["at"], "second"), r["username"], audit.label(r["action"]), r["action"],
            r["object"], r["summary"], r["before"] or "", r["after"] or "", r["ip"])])
    return out.getvalue()
