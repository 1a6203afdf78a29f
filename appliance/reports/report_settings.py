"""Report settings: the logo on the cover (PNG or JPEG, stored as a data: URI), how long the
archive keeps reports, and the largest PDF sent as an attachment (a link beyond it)."""
import base64

from flask_babel import lazy_gettext as _l

from ..core import audit, settings
from ..core.db import transaction
from ..core.forms import Form

LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_MAX_BYTES = 300 * 1024


def read(data, files):
    form = Form(data)
    values = {"reports.retention_days": form.integer("retention_days", 7, 3650),
              "reports.max_attachment_mb": form.integer("max_attachment_mb", 1, 50)}
    upload = files.get("logo")
    if upload and upload.filename:
        content = upload.read(LOGO_MAX_BYTES + 1)
        kind = next((t for magic, t in LOGO_TYPES.items() if content.startswith(magic)), None)
        if kind is None:
            form.error("logo", _l("The logo must be a PNG or JPEG image."))
        elif len(content) > LOGO_MAX_BYTES:
            form.error("logo", _l("The logo must be at most 300 KB."))
        else:
            values["reports.logo"] = f"data:{kind};base64,{base64.b64encode(content).decode()}"
    form.check()
    return values


def save(db, values, actor):
    before = {k: settings.get(db, k) for k in values if k != "reports.logo"}
    with transaction(db):
        settings.set_many(db, values)
        audit.record(db, "settings.reports", "settings", "reports", None, before=before,
                     after={k: ("(image)" if k == "reports.logo" else v) for k, v in values.items()},
                     actor=actor)
