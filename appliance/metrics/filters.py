"""Dashboard and API filters from a query string, each checked (ValidationError -> 400)."""
import re
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from ..core import localtime
from ..core.errors import ValidationError
from ..surveys import service as surveys
from . import journeys, tree
from .contrib import SEGMENT_FIELDS, SEGMENT_VALUE_MAX

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_DAYS = 3653
PRESETS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}
LANGUAGES = ("zh_CN", "en")


def _date(value, field, errors):
    if not value or not DATE.match(value):
        errors[field] = _l("Use a date like 2026-01-31.")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[field] = _l("%(value)s is not a date in the calendar.", value=value)
        return None


def date_range(db, args, errors, required=False):
    """(from, to) from ?from=&to= or ?period=7d|30d|90d|365d (default 30 days to today)."""
    if not required and not args.get("from") and not args.get("to"):
        days = PRESETS.get(args.get("period", "30d"), 30)
        end = localtime.today(db)
        return end - timedelta(days=days - 1), end
    start = _date(args.get("from", ""), "from", errors)
    end = _date(args.get("to", ""), "to", errors)
    if start and end and end < start:
        errors["to"] = _l("The end date is before the start date.")
    elif start and end and (end - start).days + 1 > MAX_DAYS:
        errors["to"] = _l("A range can cover at most ten years.")
    return start, end


def parse(db, args, scope, required_dates=False):
    """{unit, from, to, survey_id, touchpoint, channel, language} or ValidationError.
    A node outside the scope raises LookupError (the caller answers 404)."""
    errors = {}
    start, end = date_range(db, args, errors, required=required_dates)
    code = (args.get("node") or "").strip()
    unit = tree.by_code(db, code) if code else _home_unit(db, scope)
    if unit is None or not scope.contains_path(unit["path"]):
        raise LookupError(code)
    survey_id = _survey(db, args.get("survey", ""), errors)
    touchpoint = (args.get("touchpoint") or "").strip() or None
    if touchpoint and (not KEY.match(touchpoint) or not journeys.touchpoint_exists(db, touchpoint)):
        errors["touchpoint"] = _l("There is no touchpoint %(key)s.", key=touchpoint[:40])
    channel = (args.get("channel") or "").strip() or None
    if channel and len(channel) > 40:
        errors["channel"] = _l("A channel name has at most 40 characters.")
    language = (args.get("language") or "").strip() or None
    if language and language not in LANGUAGES:
        errors["language"] = _l("Language must be zh_CN or en.")
    segment = _segment(args.get("segment", ""), errors)
    if touchpoint and (channel or language or segment):
        errors["touchpoint"] = _l("A touchpoint cannot be combined with a channel, language "
                                  "or segment filter.")
    elif segment and (channel or language):
        errors["segment"] = _l("A segment cannot be combined with a channel or language "
                               "filter.")
    if errors:
        raise ValidationError(errors)
    return {"unit": unit, "from": start, "to": end, "survey_id": survey_id,
            "touchpoint": touchpoint, "channel": channel, "language": language,
            "segment": segment}


def _segment(value, errors):
    """?segment=field:value (a hidden field summarised as a segment) -> (field, value)."""
    value = (value or "").strip()
    if not value:
        return None
    field, _sep, wanted = value.partition(":")
    if field not in SEGMENT_FIELDS or not wanted or len(wanted) > SEGMENT_VALUE_MAX:
        errors["segment"] = _l("Use a segment like member_level:gold; segments are %(fields)s.",
                               fields=", ".join(SEGMENT_FIELDS))
        return None
    return field, wanted


def _survey(db, value, errors):
    if not value:
        return None
    if not value.isdigit() or len(value) > 12 or surveys.get_survey(db, int(value)) is None:
        errors["survey"] = _l("There is no survey %(id)s.", id=value[:20])
        return None
    return int(value)


def _home_unit(db, scope):
    """The top of the user's scope: the first root path's unit."""
    if scope.is_empty:
        return None
    unit_id = int(scope.root_paths[0].strip("/").split("/")[-1])
    return tree.units(db).get(unit_id)
