"""Invitations sent and answered, counted from the distribution domain's invitation.sent and
invitation.responded events (metrics sits below distribution and never reads its tables),
for response rates.

metric_sent_own holds each unit's invitations sent and answered by survey and local day
(sent on the day they left, answered on the day of the answer); metric_sent_tree the same
for each node's subtree by day and month; metric_sent_counted which (invitation, event)
the sums hold, so an event delivered twice counts once.
"""
from collections import defaultdict

from ..core.db import transaction
from . import contrib, paths, periods, store

MOMENT = {"sent": "sent_at", "responded": "responded_at"}


def on_sent(db, payloads):
    return count(db, "sent", payloads)


def on_responded(db, payloads):
    return count(db, "responded", payloads)


def count(db, kind, payloads):
    """Add events not yet counted ({"invitation_id", "survey_id", "unit_id", sent_at or
    responded_at}). Returns how many were added."""
    moment = MOMENT[kind]
    valid = {p["invitation_id"]: p for p in payloads
             if all(p.get(k) is not None for k in ("invitation_id", "survey_id", "unit_id", moment))}
    if not valid:
        return 0
    tz = store.zone(db)
    with transaction(db):
        counted = _counted(db, kind, list(valid))
        fresh = [p for i, p in valid.items() if i not in counted]
        own = defaultdict(int)
        for p in fresh:
            own[(p["unit_id"], p["survey_id"], contrib.local_day(p[moment], tz))] += 1
        db.conn.executemany("INSERT INTO metric_sent_counted (invitation_id, kind) VALUES (?, ?)",
                            [(p["invitation_id"], kind) for p in fresh])
        _add(db, kind, own)
    return len(fresh)


def _counted(db, kind, ids):
    found = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(r[0] for r in db.execute(
            f"SELECT invitation_id FROM metric_sent_counted WHERE kind = ? AND invitation_id IN "
            f"({','.join('?' * len(chunk))})", [kind, *chunk]))
    return found


def _add(db, kind, own):
    ancestry = paths.ancestry(db, {key[0] for key in own})
    tree = defaultdict(int)
    for (unit, survey, day), n in own.items():
        for node in ancestry[unit]:
            tree[(node, "D", day, survey)] += n
            tree[(node, "M", day[:7], survey)] += n
    db.conn.executemany(f"INSERT INTO metric_sent_own (unit_id, survey_id, day, {kind}) VALUES "
                        f"(?, ?, ?, ?) ON CONFLICT (unit_id, survey_id, day) DO UPDATE SET "
                        f"{kind} = {kind} + excluded.{kind}", [k + (n,) for k, n in own.items()])
    db.conn.executemany(f"INSERT INTO metric_sent_tree (node_id, grain, period, survey_id, {kind}) "
                        f"VALUES (?, ?, ?, ?, ?) ON CONFLICT (node_id, grain, period, survey_id) "
                        f"DO UPDATE SET {kind} = {kind} + excluded.{kind}",
                        [k + (n,) for k, n in tree.items()])


def sums(db, node_ids, date_from, date_to, survey_id=None):
    """{node_id: (sent, responded)} over the inclusive local range."""
    node_ids = list(node_ids)
    result = dict.fromkeys(node_ids, (0, 0))
    if not node_ids:
        return result
    when, params = periods.sql(date_from, date_to,
                               f"node_id IN ({','.join('?' * len(node_ids))})", node_ids)
    survey = " AND survey_id = ?" if survey_id else ""
    rows = db.execute(f"SELECT node_id, SUM(sent), SUM(responded) FROM metric_sent_tree "
                      f"WHERE {when}{survey} GROUP BY node_id",
                      params + ([survey_id] if survey_id else []))
    for node_id, sent, responded in rows:
        result[node_id] = (sent or 0, responded or 0)
    return result


def response_rate(db, unit, date_from, date_to, survey_id=None):
    """{"sent", "responded", "rate"} of the node: invitations answered / sent in the period
    (rate None where nothing was sent)."""
    sent, responded = sums(db, [unit["id"]], date_from, date_to, survey_id)[unit["id"]]
    return as_rate(sent, responded)


def as_rate(sent, responded):
    return {"sent": sent, "responded": responded,
            "rate": round(min(responded / sent, 1.0), 4) if sent else None}


def by_survey(db, unit, date_from, date_to):
    """[{survey_id, sent, responded, rate}] of surveys with invitations sent in the period."""
    when, params = periods.sql(date_from, date_to, "node_id = ?", [unit["id"]])
    rows = db.execute(f"SELECT survey_id, SUM(sent), SUM(responded) FROM metric_sent_tree "
                      f"WHERE {when} GROUP BY survey_id HAVING SUM(sent) > 0 "
                      f"ORDER BY survey_id", params).fetchall()
    return [{"survey_id": s, **as_rate(sent, responded)} for s, sent, responded in rows]
