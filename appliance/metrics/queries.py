"""Reading the summaries: sums over nodes, periods and filters (metric_tree, metric_q_tree)."""
from collections import defaultdict

from . import periods
from .contrib import MEASURES, Q_MEASURES


def _filters(survey_id, channel, language):
    clauses, params = [], []
    for column, value in (("survey_id", survey_id), ("channel", channel), ("language", language)):
        if value not in (None, ""):
            clauses.append(f"{column} = ?")
            params.append(value)
    return "".join(f" AND {c}" for c in clauses), params


def _source(survey_id, channel, language, segment):
    """(table, AND-fragment, params): a segment (field, value) reads metric_seg_tree."""
    extra, params = _filters(survey_id, channel, language)
    if not segment:
        return "metric_tree", extra, params
    return "metric_seg_tree", extra + " AND field = ? AND value = ?", params + list(segment)


def cells(db, node_ids, date_from, date_to, survey_id=None, channel=None, language=None,
          segment=None):
    """{node_id: {measure: sum}} (every node present, zeros when empty)."""
    node_ids = list(node_ids)
    result = {n: dict.fromkeys(MEASURES, 0) for n in node_ids}
    if not node_ids:
        return result
    when, when_params = periods.sql(date_from, date_to,
                                    f"node_id IN ({','.join('?' * len(node_ids))})", node_ids)
    table, extra, extra_params = _source(survey_id, channel, language, segment)
    sums = ", ".join(f"SUM({m}) AS {m}" for m in MEASURES)
    rows = db.execute(f"SELECT node_id, {sums} FROM {table} WHERE {when}{extra} GROUP BY node_id",
                      when_params + extra_params).fetchall()
    for row in rows:
        result[row["node_id"]] = {m: row[m] or 0 for m in MEASURES}
    return result


def cells_by_period(db, node_id, date_from, date_to, survey_id=None, channel=None, language=None,
                    monthly=False, segment=None):
    """[(period, {measure: sum})] by day (or by month when monthly) for one node."""
    grain = "M" if monthly else "D"
    first, last = (str(date_from)[:7], str(date_to)[:7]) if monthly else (str(date_from), str(date_to))
    table, extra, extra_params = _source(survey_id, channel, language, segment)
    sums = ", ".join(f"SUM({m}) AS {m}" for m in MEASURES)
    rows = db.execute(f"SELECT period, {sums} FROM {table} WHERE node_id = ? AND grain = ? "
                      f"AND period BETWEEN ? AND ?{extra} GROUP BY period ORDER BY period",
                      [node_id, grain, first, last] + extra_params).fetchall()
    return [(row["period"], {m: row[m] or 0 for m in MEASURES}) for row in rows]


def question_cells(db, node_ids, date_from, date_to, survey_id=None, keys=None):
    """{node_id: {(survey_id, question): {measure: sum}}}."""
    node_ids = list(node_ids)
    result = defaultdict(dict)
    if not node_ids:
        return result
    when, when_params = periods.sql(date_from, date_to,
                                    f"node_id IN ({','.join('?' * len(node_ids))})", node_ids)
    extra, extra_params = _filters(survey_id, None, None)
    sums = ", ".join(f"SUM({m}) AS {m}" for m in Q_MEASURES)
    rows = db.execute(f"SELECT node_id, survey_id, question, {sums} FROM metric_q_tree "
                      f"WHERE {when}{extra} GROUP BY node_id, survey_id, question",
                      when_params + extra_params).fetchall()
    for row in rows:
        if keys is None or (row["survey_id"], row["question"]) in keys:
            result[row["node_id"]][(row["survey_id"], row["question"])] = \
                {m: row[m] or 0 for m in Q_MEASURES}
    return result


def question_by_period(db, node_id, date_from, date_to, keys, monthly=False):
    """[(period, {measure: sum})] of the given (survey_id, question) keys for one node."""
    grain = "M" if monthly else "D"
    first, last = (str(date_from)[:7], str(date_to)[:7]) if monthly else (str(date_from), str(date_to))
    rows = db.execute(f"SELECT period, survey_id, question, {', '.join(Q_MEASURES)} "
                      f"FROM metric_q_tree WHERE node_id = ? AND grain = ? AND period BETWEEN ? "
                      f"AND ? ORDER BY period", (node_id, grain, first, last)).fetchall()
    found = defaultdict(lambda: dict.fromkeys(Q_MEASURES, 0))
    for row in rows:
        if (row["survey_id"], row["question"]) in keys:
            for m in Q_MEASURES:
                found[row["period"]][m] += row[m]
    return sorted(found.items())


def surveys_with_data(db, node_id):
    return [r[0] for r in db.execute("SELECT DISTINCT survey_id FROM metric_tree "
                                     "WHERE node_id = ? AND grain = 'M'", (node_id,))]


def channels_with_data(db, node_id):
    return [r[0] for r in db.execute("SELECT DISTINCT channel FROM metric_tree "
                                     "WHERE node_id = ? AND grain = 'M' ORDER BY channel",
                                     (node_id,))]


def segments_with_data(db, node_id, limit=50):
    """{field: [values]} of the hidden-field segments answered in this node's subtree only
    (another unit's values never show in the filter)."""
    found = {}
    for field, value in db.execute("SELECT DISTINCT field, value FROM metric_seg_tree "
                                   "WHERE node_id = ? AND grain = 'M' ORDER BY field, value",
                                   (node_id,)):
        values = found.setdefault(field, [])
        if len(values) < limit:
            values.append(value)
    return found


def question_rows_by_period(db, node_id, date_from, date_to, monthly=False):
    """[(period, (survey_id, question), {measure: sum})] for one node, every question."""
    grain = "M" if monthly else "D"
    first, last = (str(date_from)[:7], str(date_to)[:7]) if monthly else (str(date_from), str(date_to))
    rows = db.execute(f"SELECT period, survey_id, question, {', '.join(Q_MEASURES)} "
                      f"FROM metric_q_tree WHERE node_id = ? AND grain = ? AND period BETWEEN ? "
                      f"AND ?", (node_id, grain, first, last)).fetchall()
    return [(row["period"], (row["survey_id"], row["question"]),
             {m: row[m] for m in Q_MEASURES}) for row in rows]
