"""Alert evaluation, after a response's text analysis (event text.response_analysed).

Idempotent whatever retries, restarts or workers: the alert row is unique per
(rule, response) and inserted with ON CONFLICT DO NOTHING; the ticket, the
notifications and their queued emails are written in the same transaction, only
by the one insert that created the alert. A crash anywhere before the commit leaves
nothing, and the event is delivered again."""
import json

from ..core import clock
from ..core.db import query_all, transaction
from ..org import units as units_service
from ..org import users as users_service
from . import facts as facts_module
from . import followup, notify, rules, tickets


def on_response_analysed(db, payloads):
    evaluate_responses(db, [int(p["response_id"]) for p in payloads])


RESPONSES_PER_COMMIT = 25   # one commit for many alerts, yet intake never waits long for the lock


def evaluate_responses(db, response_ids):
    """Raise every active rule each response matches. Returns the new alert ids."""
    found = facts_module.for_responses(db, response_ids)
    if not found:
        return []
    active = rules.active_rules(db)
    units = _units(db, {f["response"]["unit_id"] for f in found.values()})
    memo = {}   # recipients, SLA policies, calendars and managers, for this batch
    raised, pending = [], list(found.values())
    while pending:
        chunk, pending = pending[:RESPONSES_PER_COMMIT], pending[RESPONSES_PER_COMMIT:]
        with transaction(db):
            for facts in chunk:
                raised += _raise_matching(db, active, facts, units[facts["response"]["unit_id"]],
                                          memo)
    return [a for a in raised if a]


def _raise_matching(db, active, facts, unit, memo):
    if followup.record_answer(db, facts):
        return []   # a follow-up answer closes its own loop; it opens no new one
    raised = []
    for rule in active:
        if rules.applies(rule, facts, unit["path"]):
            hit, matched = rules.evaluate(rule, facts)
            if hit:
                raised.append(raise_alert(db, rule, facts, matched, unit, memo=memo))
    return raised


def _units(db, unit_ids):
    return {i: units_service.get_unit(db, i) for i in unit_ids}


def raise_alert(db, rule, facts, matched, unit, period=None, memo=None):
    """Insert the alert and everything it causes, once: per (rule, response), or for a unit
    rule (facts None) per (rule, unit, period). Returns its id, or None if raised before.
    memo: a dict remembering recipients and ticket settings per unit over a batch."""
    memo = {} if memo is None else memo
    response_id = facts["response"]["id"] if facts else None
    with transaction(db):
        row = db.execute(
            "INSERT INTO alerts (rule_id, response_id, unit_id, period, matched, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (rule["id"], response_id, unit["id"], period,
             json.dumps(matched[:20], ensure_ascii=False), clock.now_iso())).fetchone()
        if row is None:
            return None
        alert_id = row[0]
        ticket_id = None
        if rule["open_ticket"]:
            ticket_id = tickets.open_for_alert(db, rule, alert_id, facts, unit, matched,
                                               memo=memo)
            db.execute("UPDATE alerts SET ticket_id = ? WHERE id = ?", (ticket_id, alert_id))
        if rule["notify_email"] or rule["notify_app"]:
            params = {"rule": rule["name"], "unit": unit["name"], "matched": matched[:5],
                      "response_id": response_id}
            key = ("recipients", rule["id"], unit["id"])
            if key not in memo:
                memo[key] = recipients(db, rule, unit)
            notify.add(db, memo[key], "alert", unit["id"], params,
                       alert_id=alert_id, ticket_id=ticket_id, in_app=bool(rule["notify_app"]),
                       email=bool(rule["notify_email"]), digest_minutes=rule["digest_minutes"])
    return alert_id


def recipients(db, rule, unit):
    """User ids: roles on the unit or an ancestor ("unit_manager@1" = one level up), named users."""
    chain = units_service.ancestors(db, unit)   # root ... unit
    wanted = {}
    for entry in rule["recipient_roles"]:
        role, _at, level = entry.partition("@")
        if int(level) < len(chain):
            wanted.setdefault(role, []).append(chain[-1 - int(level)]["id"])
    found = [u["id"] for role, unit_ids in wanted.items()
             for u in users_service.users_with_role(db, unit_ids, [role])]
    return list(dict.fromkeys(found + list(rule["recipient_users"])))


def recent_matches(db, rule, scope, responses, limit=20):
    """The test button: which of these recent responses the rule would have matched."""
    versions, hits = {}, []
    for response in responses:
        facts = facts_module.of_response(db, response, versions)
        if not rules.applies(rule, facts, response["unit_path"]):
            continue
        hit, matched = rules.evaluate(rule, facts)
        if hit:
            hits.append({"response": response, "matched": matched})
            if len(hits) >= limit:
                break
    return hits


def alerts_for_response(db, response_id):
    return query_all(db, "SELECT a.*, r.name AS rule_name FROM alerts a JOIN alert_rules r "
                         "ON r.id = a.rule_id WHERE a.response_id = ? ORDER BY a.id",
                         (response_id,))


def on_response_erased(db, payloads):
    """A customer's data erased: their words leave the tickets too (the ticket stays)."""
    ids = [int(p["response_id"]) for p in payloads if p.get("mode") != "contact"]
    with transaction(db):
        db.conn.executemany("UPDATE tickets SET summary = '' WHERE response_id = ?",
                            [(i,) for i in ids])
