"""Reading analysed texts for the /text page, always inside a Scope: the listings here
(verbatims, sensitive hits, one item); the counts and trends from the summaries (counts.py).

filters: {unit_path, date_from, date_to, source, channel, survey_id, sentiment, tag, word}
(checked by text.filters). Months are the first seven characters of occurred_at (UTC).
"""
import json

from ..core.db import query_all
from ..org import lookups
from .counts import (SENTIMENTS, count_items, distinct_values, sentiment_by_month,  # noqa: F401
                     tags_by_month, term_counts)


def where(scope, filters, date_from=None, date_to=None, listing=False):
    """WHERE fragment and parameters over text_items AS i. (The unary + keeps SQLite off the
    unit index: the newest rows come from the time indexes, stopping at the page's rows.)"""
    fragment, params = scope.sql("+i.unit_id")
    clauses, params = [fragment], list(params)

    def add(sql, *values):
        clauses.append(sql)
        params.extend(values)
    if filters.get("unit_path"):
        fragment, unit_params = lookups.path_sql(filters["unit_path"], "+i.unit_id")
        add(fragment, *unit_params)
    add("i.occurred_at >= ?", date_from or filters["date_from"])
    add("i.occurred_at < date(?, '+1 day')", date_to or filters["date_to"])
    for column in ("source", "channel", "survey_id"):
        if filters.get(column):
            add(f"i.{column} = ?", filters[column])
    if listing and filters.get("sentiment"):
        add("i.sentiment = ?", filters["sentiment"])
    for kind in ("tag", "word") if listing else ():
        if filters.get(kind):
            add("i.id IN (SELECT item_id FROM text_terms WHERE kind = ? AND term = ?)",
                kind, filters[kind])
    return " AND ".join(clauses), params


def rising(current, current_total, baseline, baseline_total, top=12, min_count=3):
    """Words whose share of texts grew most against the previous period (share points)."""
    base = {row["term"]: row["n"] for row in baseline}
    out = []
    for row in current:
        share = row["n"] / current_total if current_total else 0.0
        before = base.get(row["term"], 0) / baseline_total if baseline_total else 0.0
        if row["n"] >= min_count and share > before:
            out.append({"term": row["term"], "n": row["n"], "share": share, "before": before,
                        "change": share - before, "new": row["term"] not in base})
    out.sort(key=lambda r: (-r["change"], -r["n"], r["term"]))
    return out[:top]


ITEM_SELECT = "SELECT i.* FROM text_items i"


def sensitive_hits(db, scope, filters, limit=8):
    sql, params = where(scope, filters)
    rows = query_all(db, f"{ITEM_SELECT} WHERE i.has_sensitive = 1 AND {sql} "
                         "ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?", params + [limit])
    return [decoded(r) for r in lookups.with_unit_fields(db, rows)]


def verbatims(db, scope, filters, page=1, size=20):
    sql, params = where(scope, filters, listing=True)
    rows = query_all(db, f"{ITEM_SELECT} WHERE {sql} ORDER BY i.occurred_at DESC, i.id DESC "
                         "LIMIT ? OFFSET ?", params + [size + 1, (page - 1) * size])
    return [decoded(r) for r in lookups.with_unit_fields(db, rows[:size])], len(rows) > size


def get_item(db, scope, item_id):
    """The item if its unit is inside the scope, else None."""
    fragment, params = scope.sql("i.unit_id")
    rows = query_all(db, f"{ITEM_SELECT} WHERE i.id = ? AND {fragment}", [item_id, *params])
    return decoded(lookups.with_unit_fields(db, rows)[0]) if rows else None


def decoded(row):
    for column in ("keywords", "tags", "sensitive"):
        row[column] = json.loads(row[column])
    return row
