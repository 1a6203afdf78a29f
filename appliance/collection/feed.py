"""Responses as the metrics summaries read them: complete, not held, with their answers.

For jobs that work for the whole appliance (no user scope). A `held` column, when a
deployment has one, keeps held responses out until they are released.
"""
from ..core.db import query_all
from . import admission

_COLUMNS = ("r.id, r.survey_id, r.version_id, r.unit_id, r.channel, r.language, r.hidden, "
            "r.answers, r.nps, r.csat, r.ces, r.submitted_at")
_HAS_HELD = {}


def _countable(db):
    path = getattr(db, "path", None)
    if path not in _HAS_HELD:
        columns = {row[1] for row in db.execute("PRAGMA table_info(responses)")}
        _HAS_HELD[path] = "held" in columns
    return "r.status = 'complete'" + (" AND COALESCE(r.held, 0) = 0" if _HAS_HELD[path] else "")


def countable_by_ids(db, ids):
    ids = list(dict.fromkeys(ids))
    rows = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows += query_all(db, f"SELECT {_COLUMNS} FROM responses r WHERE {_countable(db)} "
                              f"AND r.id IN ({','.join('?' * len(chunk))})", chunk)
    return rows


def countable_in_id_range(db, from_id, to_id):
    return query_all(db, f"SELECT {_COLUMNS} FROM responses r WHERE {_countable(db)} "
                         f"AND r.id BETWEEN ? AND ?", (from_id, to_id))


def countable_in_bucket(db, unit_id, survey_id, start_utc, end_utc):
    """Complete responses of one unit and survey submitted in [start_utc, end_utc)."""
    return query_all(db, f"SELECT {_COLUMNS} FROM responses r WHERE {_countable(db)} "
                         f"AND r.unit_id = ? AND r.survey_id = ? AND r.submitted_at >= ? "
                         f"AND r.submitted_at < ?", (unit_id, survey_id, start_utc, end_utc))


def bucket_of(db, ids):
    """{id: (unit_id, survey_id, submitted_at)} for any response still stored."""
    ids = list(dict.fromkeys(ids))
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in db.execute(f"SELECT id, unit_id, survey_id, submitted_at FROM responses "
                              f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            found[row[0]] = (row[1], row[2], row[3])
    return found


def sample_answers(db, unit_ids, survey_id, start_utc, end_utc, limit):
    """The latest `limit` complete responses' answers in the units (driver analysis).
    A few units: each unit's latest on its (unit, time) index; many: the time index."""
    survey = "AND r.survey_id = ?" if survey_id else ""
    tail = ([survey_id] if survey_id else []) + [start_utc, end_utc]
    sql = (f"SELECT r.version_id, r.answers, r.submitted_at FROM responses r "
           f"WHERE {_countable(db)} AND r.unit_id {{units}} {survey} AND r.submitted_at >= ? "
           f"AND r.submitted_at < ? ORDER BY r.submitted_at DESC LIMIT ?")
    if len(unit_ids) > 100:
        marks = ",".join("?" * len(unit_ids))
        return query_all(db, sql.format(units=f"IN ({marks})"), [*unit_ids, *tail, limit])
    each = limit // max(len(unit_ids), 1) + 1
    rows = [row for unit_id in unit_ids
            for row in query_all(db, sql.format(units="= ?"), [unit_id, *tail, each])]
    rows.sort(key=lambda row: row["submitted_at"], reverse=True)
    return rows[:limit]


def latest(db, unit_ids, start_utc, end_utc, limit, max_nps=None):
    """The latest complete responses in the units, optionally only detractors."""
    marks = ",".join("?" * len(unit_ids))
    nps = "AND r.nps <= ?" if max_nps is not None else ""
    params = list(unit_ids) + [start_utc, end_utc] + ([max_nps] if max_nps is not None else [])
    return query_all(db, f"SELECT {_COLUMNS} FROM responses r WHERE {_countable(db)} "
                         f"AND r.unit_id IN ({marks}) AND r.submitted_at >= ? "
                         f"AND r.submitted_at < ? {nps} ORDER BY r.submitted_at DESC LIMIT ?",
                     params + [limit])


def document(db, version_id):
    return admission.version_document(db, version_id)


def last_id(db):
    return db.execute("SELECT COALESCE(MAX(id), 0) FROM responses").fetchone()[0]


def partial_count(db, survey_id, unit_ids):
    """Started but unfinished responses of a survey in the units (an index range: NULL
    submitted_at)."""
    marks = ",".join("?" * len(unit_ids))
    return db.execute(f"SELECT COUNT(*) FROM responses WHERE survey_id = ? AND submitted_at IS NULL "
                      f"AND status = 'partial' AND unit_id IN ({marks})",
                      [survey_id, *unit_ids]).fetchone()[0]
