"""`cem demo` step: the restaurant journey bound to the demo survey's touchpoints, an
indicator tree with targets, and 30 days of waiting-time O-data per store."""
import random
import time
from datetime import timedelta

from ..collection import demo as collection_demo
from ..core import clock, localtime
from ..core.db import transaction
from . import indicators, journeys, tree

JOURNEY = {"key": "restaurant", "name_zh": "餐厅就餐旅程", "name_en": "Restaurant visit", "stages": [
    {"key": "order", "name_zh": "点餐", "name_en": "Ordering", "touchpoints": [
        {"key": "ordering", "name_zh": "点餐", "name_en": "Ordering", "target": 66}]},
    {"key": "dine", "name_zh": "用餐", "name_en": "Dining", "touchpoints": [
        {"key": "serving", "name_zh": "上菜", "name_en": "Serving", "target": 70},
        {"key": "environment", "name_zh": "用餐环境", "name_en": "Environment", "target": 62}]},
    {"key": "pay", "name_zh": "结账", "name_en": "Paying", "touchpoints": [
        {"key": "checkout", "name_zh": "结账", "name_en": "Checkout", "target": 64}]}]}


def indicator_nodes(survey_id):
    def q(key, name_zh, name_en, question):
        return {"key": key, "parent": "journey", "name_zh": name_zh, "name_en": name_en,
                "weight": 0.25, "metric": "question_top", "survey_id": survey_id,
                "question": question, "target": 65}
    return [
        {"key": "cx_index", "name_zh": "顾客体验指数", "name_en": "Customer experience index",
         "target": 60},
        {"key": "loyalty", "parent": "cx_index", "name_zh": "推荐意愿", "name_en": "Loyalty",
         "weight": 0.4, "metric": "nps", "target": 52},
        {"key": "satisfaction", "parent": "cx_index", "name_zh": "总体满意", "name_en":
         "Satisfaction", "weight": 0.3, "metric": "csat_top2", "target": 65},
        {"key": "journey", "parent": "cx_index", "name_zh": "环节体验", "name_en": "Journey",
         "weight": 0.3, "target": 66},
        q("ordering", "点餐", "Ordering", "q3"), q("serving", "上菜", "Serving", "q4"),
        q("environment", "用餐环境", "Environment", "q5"), q("checkout", "结账", "Checkout", "q6"),
    ]


def seed(db, options, echo=print):
    seed_definitions(db)
    echo("  journeys, indicator tree and O-data (waiting minutes) seeded")
    fold(db, echo, bulk=bool(options.get("responses")))
    return []


def seed_definitions(db):
    """The journey, the indicator tree and the O-data (also the dashboards bench's)."""
    survey, _version = collection_demo.demo_survey(db)
    journeys.save_journey(db, JOURNEY)
    if indicators.current(db) is None:
        indicators.save(db, indicator_nodes(survey["id"]))
    _odata(db)


def fold(db, echo=print, bulk=False):
    """The demo's responses counted into the summaries now, so the first page view shows
    them: after a bulk seed by `cem metrics rebuild`'s staged GROUP BY path (2-3x faster
    than the events' upserts), then metrics' own subscribers are handed the events (the
    job runner finds them counted and nothing left to do)."""
    from ..core import queue
    from . import DOMAIN, rebuild
    started = time.monotonic()
    counted = rebuild.rebuild_all(db) if bulk else 0
    queue.deliver_pending(db, {f"{s.event}>{s.name}" for s in DOMAIN.subscribers})
    counted = counted or db.execute("SELECT COUNT(*) FROM metric_counted").fetchone()[0]
    echo(f"  {counted:,} responses folded into the metrics summaries in "
         f"{time.monotonic() - started:.1f} s")


def _odata(db, days=30):
    rng = random.Random(7)
    end = localtime.today(db)
    stores = [u for u in tree.units(db).values() if not u["child_ids"]]
    rows = [(s["id"], (end - timedelta(days=d)).isoformat(), "waiting_minutes",
             round(max(1.0, rng.gauss(12 + (s["id"] % 7), 4)), 1), clock.now_iso())
            for s in stores for d in range(days)]
    with transaction(db):
        db.conn.executemany("INSERT OR REPLACE INTO odata_values (unit_id, day, metric, value, "
                            "imported_at) VALUES (?, ?, ?, ?, ?)", rows)
