"""Reading analysed texts for the /text page, always inside a Scope.

filters: {unit_path, date_from, date_to, source, channel, survey_id, sentiment, tag, word}
(checked by text.filters). Months are the first seven characters of occurred_at (UTC).
"""
import json

from ..core.db import query_all
from ..org import lookups

SENTIMENTS = ("positive", "neutral", "negative")


def where(scope, filters, date_from=None, date_to=None, listing=False):
    """WHERE fragment and parameters over text_items AS i."""
    fragment, params = scope.sql("i.unit_id")
    clauses, params = [fragment], list(params)

    def add(sql, *values):
        clauses.append(sql)
        params.extend(values)
    if filters.get("unit_path"):
        fragment, unit_params = lookups.path_sql(filters["unit_path"], "i.unit_id")
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


def sentiment_by_month(db, scope, filters):
    """[{month, positive, neutral, negative, total}] in month order."""
    sql, params = where(scope, filters)
    rows = query_all(db, f"SELECT substr(i.occurred_at, 1, 7) AS month, i.sentiment, COUNT(*) AS n "
                         f"FROM text_items i WHERE {sql} GROUP BY month, i.sentiment", params)
    months = {}
    for row in rows:
        month = months.setdefault(row["month"], {"month": row["month"], "total": 0,
                                                 **dict.fromkeys(SENTIMENTS, 0)})
        month[row["sentiment"]] += row["n"]
        month["total"] += row["n"]
    return [months[m] for m in sorted(months)]


def term_where(scope, filters, date_from=None, date_to=None):
    """WHERE fragment over text_terms AS t (its own unit, day and sentiment columns)."""
    fragment, params = scope.sql("t.unit_id")
    clauses = [fragment, "t.day >= ?", "t.day <= ?"]
    params = list(params) + [date_from or filters["date_from"], date_to or filters["date_to"]]
    if filters.get("unit_path"):
        fragment, unit_params = lookups.path_sql(filters["unit_path"], "t.unit_id")
        clauses.append(fragment)
        params.extend(unit_params)
    wanted = [c for c in ("source", "channel", "survey_id") if filters.get(c)]
    if wanted:
        clauses.append("t.item_id IN (SELECT i.id FROM text_items i WHERE "
                       + " AND ".join(f"i.{c} = ?" for c in wanted) + ")")
        params += [filters[c] for c in wanted]
    return " AND ".join(clauses), params


def term_counts(db, scope, filters, kind, limit=60, date_from=None, date_to=None):
    """[{term, n, negative, positive}] most frequent keywords or tags, with sentiment counts."""
    sql, params = term_where(scope, filters, date_from, date_to)
    return query_all(db, f"""
        SELECT t.term, COUNT(*) AS n, SUM(t.sentiment = 'negative') AS negative,
               SUM(t.sentiment = 'positive') AS positive
        FROM text_terms t WHERE t.kind = ? AND {sql}
        GROUP BY t.term ORDER BY n DESC, t.term LIMIT ?""", [kind, *params, limit])


def count_items(db, scope, filters, date_from=None, date_to=None):
    sql, params = where(scope, filters, date_from, date_to)
    return db.execute(f"SELECT COUNT(*) FROM text_items i WHERE {sql}", params).fetchone()[0]


def tags_by_month(db, scope, filters):
    """{tag: {month: n}}."""
    sql, params = term_where(scope, filters)
    rows = query_all(db, f"""
        SELECT t.term, substr(t.day, 1, 7) AS month, COUNT(*) AS n
        FROM text_terms t WHERE t.kind = 'tag' AND {sql} GROUP BY t.term, month""", params)
    table = {}
    for row in rows:
        table.setdefault(row["term"], {})[row["month"]] = row["n"]
    return table


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


def distinct_values(db, scope, column):
    """The sources or channels in use on texts inside the scope (a channel or source is
    data too: another unit's hidden-field values must not show in the filter)."""
    if column not in ("source", "channel"):
        raise ValueError(column)
    fragment, params = scope.sql("i.unit_id")
    return [r["v"] for r in query_all(
        db, f"SELECT DISTINCT i.{column} AS v FROM text_items i WHERE {fragment} "
            f"AND i.{column} != '' ORDER BY v LIMIT 100", params)]
