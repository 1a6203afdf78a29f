"""The /text page's filters: read from the query string, checked and bounded, and back."""
import re
from datetime import date, timedelta

from ..core import clock
from .queries import SENTIMENTS

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_DAYS = 3 * 366


def _date(value):
    if not isinstance(value, str) or not DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _short(args, name, limit=40):
    value = args.get(name, "").strip()
    return value if 0 < len(value) <= limit else ""


def read_filters(args):
    """Checked, bounded filters; anything malformed falls back to its default."""
    today = date.fromisoformat(clock.now_iso()[:10])
    until = _date(args.get("date_to")) or today
    since = _date(args.get("date_from")) or _months_back(until, 5)
    if since > until or (until - since).days > MAX_DAYS:
        since = _months_back(until, 5)
    previous_to = since - timedelta(days=1)
    sentiment = args.get("sentiment", "")
    return {
        "unit_id": args.get("unit_id", type=int), "unit_path": "",
        "date_from": since.isoformat(), "date_to": until.isoformat(),
        "previous_from": (previous_to - (until - since)).isoformat(),
        "previous_to": previous_to.isoformat(),
        "source": _short(args, "source"), "channel": _short(args, "channel"),
        "survey_id": args.get("survey_id", type=int),
        "sentiment": sentiment if sentiment in SENTIMENTS else "",
        "tag": _short(args, "tag"), "word": _short(args, "word"),
        "page": min(max(args.get("page", 1, type=int) or 1, 1), 500),
    }


def _months_back(day, months):
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, 1)


def query_of(filters, **changes):
    """The query-string arguments that reproduce these filters (for links)."""
    keys = ("unit_id", "date_from", "date_to", "source", "channel", "survey_id", "sentiment",
            "tag", "word")
    merged = {**{k: filters[k] for k in keys}, **changes}
    return {k: v for k, v in merged.items() if v not in (None, "")}


def months_between(date_from, date_to):
    first, last = date_from[:7], date_to[:7]
    months, (year, month) = [], map(int, first.split("-"))
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
