"""The settings form: name, opening and closing times (organisation time zone), quotas, close message,
once-per-device days for unit links, the purpose shown in the contact consent line."""
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l

from ..core import clock, settings
from ..core.forms import Form

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def org_zone(db):
    try:
        return ZoneInfo(settings.get(db, "org.timezone") or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def to_local(iso_utc, zone):
    """ISO UTC text -> 'YYYY-MM-DDTHH:MM' in the organisation's zone (for datetime-local inputs)."""
    return clock.parse(iso_utc).astimezone(zone).strftime(LOCAL_FORMAT) if iso_utc else ""


def _moment(form, name, zone):
    raw = (form.data.get(name) or "").strip()
    if not raw:
        return None
    try:
        local = datetime.strptime(raw[:16], LOCAL_FORMAT).replace(tzinfo=zone)
    except ValueError:
        form.error(name, _l("Enter a date and time, e.g. 2026-05-01T09:00."))
        return None
    return clock.iso(local)


def read(data, db):
    """Checked values for service.update_settings, or ValidationError."""
    form, zone = Form(data), org_zone(db)
    values = {
        "name": form.text("name", max_length=200),
        "opens_at": _moment(form, "opens_at", zone),
        "closes_at": _moment(form, "closes_at", zone),
        "quota_total": form.integer("quota_total", 1, 10_000_000, required=False),
        "quota_per_unit": form.integer("quota_per_unit", 1, 10_000_000, required=False),
        "close_message": {lang: form.text(f"close_message_{lang}", required=False,
                                          max_length=1000, multiline=True)
                          for lang in ("zh_CN", "en")},
        "device_days": form.integer("device_days", 1, 3650, required=False),
        "contact_purpose": {lang: form.text(f"contact_purpose_{lang}", required=False,
                                            max_length=300)
                            for lang in ("zh_CN", "en")},
    }
    if values["opens_at"] and values["closes_at"] and values["closes_at"] <= values["opens_at"]:
        form.error("closes_at", _l("The closing time must be after the opening time."))
    if values["quota_total"] and values["quota_per_unit"] \
            and values["quota_per_unit"] > values["quota_total"]:
        form.error("quota_per_unit", _l("The quota per unit cannot exceed the total quota."))
    values["close_message"] = {k: v for k, v in values["close_message"].items() if v}
    values["contact_purpose"] = {k: v for k, v in values["contact_purpose"].items() if v}
    form.check()
    return values
