"""The /text page's counts and trends (and the dashboards' hot words and topics), read
from the text summaries (summary.py): one node's subtree rows per period instead of
every analysed item. Same signatures and answers as a count over text_items/text_terms.

The nodes read are the highest units where the caller's scope and the chosen unit meet
(never another unit's rows); whole months come from the month rows, the rest by day.
"""
from datetime import date, timedelta

from ..org import lookups
from ..org.scope import Scope

SENTIMENTS = ("positive", "neutral", "negative")


def nodes(db, scope, filters):
    """Ids of the highest units inside both the scope and the chosen unit's subtree."""
    chosen = filters.get("unit_path")
    if not chosen:
        return lookups.top_unit_ids(db, scope)
    meet = [r if r.startswith(chosen) else chosen for r in scope.root_paths
            if r.startswith(chosen) or chosen.startswith(r)]
    return lookups.top_unit_ids(db, Scope(meet)) if meet else []


def split(date_from, date_to):
    """[(grain, first, last)]: the whole months as one 'M' range, the days around them as
    'D' ranges (at most three parts)."""
    start, end = date.fromisoformat(str(date_from)), date.fromisoformat(str(date_to))
    if end < start:
        return []
    first_whole = start if start.day == 1 else _next_month(start)
    after_last = _next_month(end) if _next_month(end) - timedelta(days=1) == end else \
        end.replace(day=1)
    if first_whole >= after_last:
        return [("D", start.isoformat(), end.isoformat())]
    parts = [("M", first_whole.isoformat()[:7], (after_last - timedelta(days=1)).isoformat()[:7])]
    if start < first_whole:
        parts.insert(0, ("D", start.isoformat(), (first_whole - timedelta(days=1)).isoformat()))
    if after_last <= end:
        parts.append(("D", after_last.isoformat(), end.isoformat()))
    return parts


def _next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def where(db, scope, filters, kind, date_from=None, date_to=None):
    """(rows, parameters): a subquery AS s of the summary rows to sum (one indexed search
    per part of the range, joined by UNION ALL), or None when nothing is inside the scope.
    Without a source, channel or survey filter it reads text_sum_all."""
    ids = nodes(db, scope, filters)
    parts = split(date_from or filters["date_from"], date_to or filters["date_to"])
    wanted = [c for c in ("source", "channel", "survey_id") if filters.get(c)]
    table = "text_sum_tree" if wanted else "text_sum_all"
    if not ids or not parts:
        return table, None, []
    columns = "term, period, n, sentiment" if wanted else "term, period, n, negative, positive"
    head = (f"SELECT {columns} FROM {table} WHERE node_id IN ({','.join('?' * len(ids))}) "
            f"AND kind = ? AND grain = ? AND period BETWEEN ? AND ?"
            + "".join(f" AND {c} = ?" for c in wanted))
    params = []
    for grain, first, last in parts:
        params += [*ids, kind, grain, first, last, *[filters[c] for c in wanted]]
    return table, "(" + " UNION ALL ".join(head for _ in parts) + ") AS s", params


def _sentiments(table):
    if table == "text_sum_all":
        return "SUM(s.negative), SUM(s.positive)"
    return ("SUM(CASE WHEN s.sentiment = 'negative' THEN s.n ELSE 0 END), "
            "SUM(CASE WHEN s.sentiment = 'positive' THEN s.n ELSE 0 END)")


def count_items(db, scope, filters, date_from=None, date_to=None):
    table, sql, params = where(db, scope, filters, "item", date_from, date_to)
    if sql is None:
        return 0
    return db.execute(f"SELECT COALESCE(SUM(s.n), 0) FROM {sql}", params).fetchone()[0]


def term_counts(db, scope, filters, kind, limit=60, date_from=None, date_to=None):
    """[{term, n, negative, positive}] most frequent keywords or tags, with sentiment counts."""
    table, sql, params = where(db, scope, filters, kind, date_from, date_to)
    if sql is None:
        return []
    rows = db.execute(f"SELECT s.term, SUM(s.n) AS n, {_sentiments(table)} FROM {sql} "
                      f"GROUP BY s.term ORDER BY n DESC, s.term LIMIT ?",
                      [*params, limit]).fetchall()
    return [{"term": r[0], "n": r[1], "negative": r[2], "positive": r[3]} for r in rows]


def sentiment_by_month(db, scope, filters):
    """[{month, positive, neutral, negative, total}] in month order."""
    table, sql, params = where(db, scope, filters, "item")
    if sql is None:
        return []
    months = []
    for month, n, negative, positive in db.execute(
            f"SELECT substr(s.period, 1, 7) AS month, SUM(s.n), {_sentiments(table)} "
            f"FROM {sql} GROUP BY month ORDER BY month", params):
        months.append({"month": month, "total": n, "negative": negative, "positive": positive,
                       "neutral": n - negative - positive})
    return months


def tags_by_month(db, scope, filters):
    """{tag: {month: n}}."""
    table, sql, params = where(db, scope, filters, "tag")
    found = {}
    if sql is None:
        return found
    for term, month, n in db.execute(
            f"SELECT s.term, substr(s.period, 1, 7) AS month, SUM(s.n) FROM {sql} "
            f"GROUP BY s.term, month", params):
        found.setdefault(term, {})[month] = n
    return found


def distinct_values(db, scope, column):
    """The sources or channels in use on texts inside the scope (a channel or source is
    data too: another unit's hidden-field values must not show in the filter)."""
    if column not in ("source", "channel"):
        raise ValueError(column)
    ids = lookups.top_unit_ids(db, scope)
    if not ids:
        return []
    return [r[0] for r in db.execute(
        f"SELECT DISTINCT {column} FROM text_sum_tree WHERE node_id IN "
        f"({','.join('?' * len(ids))}) AND kind = 'item' AND grain = 'M' AND {column} != '' "
        f"ORDER BY 1 LIMIT 100", ids)]
