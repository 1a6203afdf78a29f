"""The appliance-wide distribution rules (runtime settings): quiet hours, the contact
frequency cap across every survey and channel."""
from flask_babel import lazy_gettext as _l

from ..core import audit, settings
from ..core.db import transaction
from ..core.errors import ValidationError
from . import timing

DEFAULTS = {"quiet_start": "21:00", "quiet_end": "09:00", "cap_count": 2, "cap_days": 30}


def get_rules(db):
    stored = settings.get_many(db, "distribution.")
    return {k: stored.get(f"distribution.{k}", v) for k, v in DEFAULTS.items()}


def save_rules(db, form):
    errors, values = {}, {}
    for name in ("quiet_start", "quiet_end"):
        try:
            timing.parse_hhmm(form.get(name, ""))
            values[name] = form.get(name, "")
        except ValueError:
            errors[name] = _l("A time of day as HH:MM, e.g. 21:00, or empty.")
    for name, low, high in (("cap_count", 0, 100), ("cap_days", 1, 365)):
        try:
            values[name] = int(form.get(name, ""))
            assert low <= values[name] <= high
        except (ValueError, AssertionError):
            errors[name] = _l("Enter a number from %(lo)s to %(hi)s.", lo=low, hi=high)
    if errors:
        raise ValidationError(errors)
    with transaction(db):
        settings.set_many(db, {f"distribution.{k}": v for k, v in values.items()})
        audit.record(db, "distribution.settings", "settings", "distribution", after=values)
    return values
