"""Date ranges over the summaries: whole months from the monthly rows, the rest by day."""
from datetime import date, timedelta


def parse(text):
    return date.fromisoformat(text) if isinstance(text, str) else text


def split(date_from, date_to):
    """[(grain, first, last)] covering [date_from, date_to] (inclusive) with few rows."""
    start, end = parse(date_from), parse(date_to)
    parts, cursor = [], start
    while cursor <= end:
        month_end = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if cursor.day == 1 and month_end <= end:
            last = month_end
            while True:   # extend over following whole months
                nxt = (last + timedelta(days=1))
                nxt_end = (nxt.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
                if nxt_end > end:
                    break
                last = nxt_end
            parts.append(("M", cursor.isoformat()[:7], last.isoformat()[:7]))
            cursor = last + timedelta(days=1)
        else:
            last = min(month_end, end)
            parts.append(("D", cursor.isoformat(), last.isoformat()))
            cursor = last + timedelta(days=1)
    return parts


def sql(date_from, date_to, lead="", lead_params=()):
    """A WHERE fragment over (grain, period) and its parameters. `lead` (e.g. the node
    condition) is repeated inside each part, so SQLite searches the (node, grain, period)
    key once per part instead of scanning every row of the node."""
    parts = split(date_from, date_to)
    head = f"{lead} AND " if lead else ""
    fragment = " OR ".join(f"({head}grain = ? AND period BETWEEN ? AND ?)" for _ in parts)
    return f"({fragment})", [v for part in parts for v in (*lead_params, *part)]


def previous(date_from, date_to):
    """The period of the same length just before."""
    start, end = parse(date_from), parse(date_to)
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def buckets(date_from, date_to, grain):
    """Labels of the trend's buckets: day YYYY-MM-DD, week (Monday's date), month YYYY-MM."""
    start, end = parse(date_from), parse(date_to)
    labels, cursor = [], start
    while cursor <= end:
        label = label_of(cursor, grain)
        if not labels or labels[-1] != label:
            labels.append(label)
        cursor += timedelta(days=1)
    return labels


def label_of(day, grain):
    day = parse(day)
    if grain == "day":
        return day.isoformat()
    if grain == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    if grain == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if grain == "year":
        return str(day.year)
    return day.isoformat()[:7]


def default_grain(date_from, date_to, volume=None):
    """Day up to 45 days, week up to 200, else month; one step coarser when there are
    fewer than 5 responses a day (a single store), so each point has a base."""
    days = (parse(date_to) - parse(date_from)).days + 1
    steps = ["day", "week", "month"]
    index = 0 if days <= 45 else (1 if days <= 200 else 2)
    if volume is not None and volume < 5 * days:
        index = min(index + 1, 2)
    return steps[index]
