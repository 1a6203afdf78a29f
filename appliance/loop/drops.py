"""Unit-level alert rules (an NPS drop, a volume collapse), checked by a job for each store
under the rule's unit, through the metrics service (summaries) and appliance.stats (the
one definition of NPS and its significance test). A store raises a rule once a local day.

The last 7 days are compared with the 90 days before them (not overlapping, so the two
samples are independent). A volume collapse: fewer responses than percent % of what the
90 days' daily rate predicts, and a one-sided Poisson test below 5 %."""
import contextlib
from datetime import timedelta

from scipy import stats as scipy_stats

from .. import stats
from ..core import clock, localtime
from ..core.db import connect, transaction
from ..metrics import service as metrics
from ..metrics import tree
from . import alerting, conditions, rules

RECENT_DAYS, BASELINE_DAYS = 7, 90
RECHECK_SECONDS = 3600
ALPHA = 0.05


def tick(app):
    with app.app_context(), contextlib.closing(connect(app.config["DATABASE"])) as db:
        run(db)


def _nps(summary):
    n = summary["nps"]
    return stats.nps_of(n["promoters"], n["passives"], n["detractors"])


def unit_facts(db, unit, day):
    """The store's last 7 days (to day, inclusive) against the 90 days before."""
    recent = metrics.summary(db, unit, day - timedelta(days=RECENT_DAYS - 1), day,
                             with_indicators=False)
    base_to = day - timedelta(days=RECENT_DAYS)
    baseline = metrics.summary(db, unit, base_to - timedelta(days=BASELINE_DAYS - 1), base_to,
                               with_indicators=False)
    before, now = _nps(baseline), _nps(recent)
    change = stats.nps_change(before, now)
    expected = baseline["responses"] * RECENT_DAYS / BASELINE_DAYS
    p_value = float(scipy_stats.poisson.cdf(recent["responses"], expected)) if expected else 1.0
    return {"nps_before": before.score or 0, "nps_now": now.score or 0,
            "nps_change": {"delta": change.delta, "significant": change.significant},
            "volume": {"now": recent["responses"], "expected": expected,
                       "significant": p_value < ALPHA}}


def _leaves(db, unit):
    return [u for u in tree.units(db).values()
            if u["path"].startswith(unit["path"]) and not u["child_ids"]]


def due_rules(db):
    """Claim the unit rules whose check is due (compare-and-set on next_check_at)."""
    now, later = clock.now_iso(), clock.in_seconds(RECHECK_SECONDS)
    claimed = []
    for rule in rules.active_rules(db):
        if not conditions.is_unit_rule(rule["conditions"]):
            continue
        if rule["next_check_at"] and rule["next_check_at"] > now:
            continue
        with transaction(db):
            won = db.execute("UPDATE alert_rules SET next_check_at = ? WHERE id = ? AND "
                             "COALESCE(next_check_at, '') = ?",
                             (later, rule["id"], rule["next_check_at"] or "")).rowcount
        if won:
            claimed.append(rule)
    return claimed


def run(db, day=None):
    """Check every due unit rule on every store below it. Returns the new alert ids."""
    day = day or localtime.today(db)
    raised = []
    for rule in due_rules(db):
        root = tree.units(db).get(rule["unit_id"])
        for unit in _leaves(db, root) if root else []:
            hit, matched = rules.evaluate(rule, {"unit": unit_facts(db, unit, day), "scales": []})
            if hit:
                raised.append(alerting.raise_alert(db, rule, None, matched, unit,
                                                   period=day.isoformat()))
    return [a for a in raised if a]


def recent_unit_matches(db, rule, limit=20):
    """The test button of a unit rule: which stores would raise it today."""
    root = tree.units(db).get(rule["unit_id"])
    hits = []
    for unit in _leaves(db, root) if root else []:
        facts = unit_facts(db, unit, localtime.today(db))
        hit, matched = rules.evaluate(rule, {"unit": facts, "scales": []})
        if hit:
            hits.append({"unit": unit, "matched": matched})
            if len(hits) >= limit:
                break
    return hits
