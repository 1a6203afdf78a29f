"""The /text page's data: filters from the query string, and chart geometry for the
server-rendered SVG (no script, no inline style: sizes are attributes or classes)."""
import hashlib
import math
import re
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from ..core import clock
from .insights import SENTIMENTS
from .pipeline import config_dir
from ..textengine.resources import read_toml
from ..textengine.tags import parse_taxonomy

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_DAYS = 3 * 366
CATEGORIES = {  # the shipped sensitive.toml categories; a new category shows its id
    "complaint_escalation": _l("Complaint escalation"), "regulator": _l("Regulator"),
    "legal": _l("Legal threat"), "media": _l("Media exposure"), "food_safety": _l("Food safety"),
    "personal_safety": _l("Personal safety"),
}


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


def tag_names(language):
    """{tag id: display name} from the taxonomy, in the page's language."""
    rules = parse_taxonomy(read_toml(config_dir() / "taxonomy.toml"))
    key = "zh" if language.startswith("zh") else "en"
    return {rule.tag: rule.names[key] for rule in rules}


def months_between(date_from, date_to):
    first, last = date_from[:7], date_to[:7]
    months, (year, month) = [], map(int, first.split("-"))
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def sentiment_columns(rows, months, width=640, height=360):
    """Stacked 100 % columns per month: [{month, x, w, total, segments: [(name, y, h, share)]}]."""
    by_month = {r["month"]: r for r in rows}
    step = width / max(len(months), 1)
    columns = []
    for index, month in enumerate(months):
        row = by_month.get(month, {"total": 0, **dict.fromkeys(SENTIMENTS, 0)})
        y, segments = 0.0, []
        for name in ("negative", "neutral", "positive"):
            share = row[name] / row["total"] if row["total"] else 0
            segments.append((name, round(y, 1), round(share * height, 1), share))
            y += share * height
        columns.append({"month": month, "x": round(index * step + step * 0.18, 1),
                        "w": round(step * 0.64, 1), "cx": round(index * step + step / 2, 1),
                        "total": row["total"], "segments": segments})
    return columns


def word_cloud(rows):
    """[{term, n, size 1-10, tone pos|neg|mix}] in a stable, mixed order."""
    if not rows:
        return []
    low, high = math.log(min(r["n"] for r in rows)), math.log(max(r["n"] for r in rows))
    cloud = []
    for row in rows:
        size = 1 + round(9 * (math.log(row["n"]) - low) / (high - low)) if high > low else 5
        cloud.append({"term": row["term"], "n": row["n"], "size": size, "tone": _tone(row)})
    return sorted(cloud, key=lambda w: hashlib.md5(w["term"].encode()).hexdigest())


def _tone(row):
    if row["negative"] >= 0.5 * row["n"]:
        return "neg"
    return "pos" if row["positive"] >= 0.6 * row["n"] else "mix"


def tag_rows(counts, by_month, months, names, width=180, height=28):
    """Per tag: total, negative share, and a small column chart of its monthly counts
    (scaled to the tag's own busiest month: the shape is the trend)."""
    step = width / max(len(months), 1)
    rows = []
    for row in counts:
        series = [by_month.get(row["term"], {}).get(m, 0) for m in months]
        peak = max(series + [1])
        bars = [{"x": round(i * step + 1, 1), "w": round(max(step - 2, 1), 1),
                 "h": round(height * n / peak, 1), "y": round(height - height * n / peak, 1),
                 "n": n, "month": m} for i, (n, m) in enumerate(zip(series, months))]
        rows.append({"tag": row["term"], "name": names.get(row["term"], row["term"]),
                     "n": row["n"], "negative": row["negative"] / row["n"],
                     "bars": bars})
    return rows
