"""Key drivers from summed moments: equal to Johnson's relative weights on every complete
answer after a random mix of inserts, erasures and unit moves; rebuilt and back-filled
(an upgrade) to the same rows; read without touching a raw response."""
import json
import random

import pytest

from appliance import stats
from appliance.core import events
from appliance.core.db import query_all
from appliance.metrics import drivers, moments
from appliance.metrics import events as metric_events
from appliance.org import units as units_service
from metrics_helpers import add, deliver, restaurant_survey

STORES = ["EAST-01", "EAST-02", "SOUTH-01"]
TABLES = ("metric_drv_own", "metric_drv_tree")


def unit(database, code):
    return units_service.get_unit_by_code(database, code)


def at(day, hour=4):
    return f"{day}T{hour:02d}:30:00.000000Z"


def regression_on_raw_answers(database, code, day_from, day_to):
    """Johnson's weights straight from the raw complete answers of the node's subtree."""
    from appliance.metrics import contrib
    node = unit(database, code)
    rows = query_all(database, "SELECT r.answers, r.submitted_at FROM responses r JOIN units u "
                               "ON u.id = r.unit_id WHERE r.status = 'complete' AND u.path LIKE ?",
                     (node["path"] + "%",))
    x, y = [], []
    for row in rows:
        day = contrib.local_day(row["submitted_at"], "Asia/Shanghai")
        answers = json.loads(row["answers"])
        values = [answers.get(k) for k in ("q1", "q3", "q4", "q5", "q6")]
        if day_from <= day <= day_to and all(isinstance(v, int) for v in values):
            y.append(values[0])
            x.append(values[1:])
    return stats.relative_weights_from_data(x, y, min_base=drivers.MIN_BASE)


def random_mix(database, survey, rng, steps=220):
    ids = []
    for step in range(steps):
        action = rng.random()
        if action < 0.8 or not ids:
            quality = rng.randint(1, 5)
            ratings = (quality, rng.randint(1, 5), max(1, quality - rng.randint(0, 2)),
                       rng.randint(1, 5))
            answers = {"q1": min(10, 2 * quality + rng.randint(-1, 1)),
                       **{f"q{i}": r for i, r in enumerate(ratings, start=3)}}
            if rng.random() < 0.1:
                del answers["q5"]            # not a complete case for the drivers
            ids.append(add(database, survey, rng.choice(STORES),
                           at(f"2026-02-{rng.randint(1, 28):02d}", rng.randint(0, 23)),
                           nps=answers["q1"], answers=answers))
        elif action < 0.92:
            victim = ids.pop(rng.randrange(len(ids)))
            database.execute("DELETE FROM responses WHERE id = ?", (victim,))
            events.publish(database, "response.erased", {"response_id": victim})
        else:
            store = unit(database, rng.choice(STORES))
            region = unit(database, rng.choice(["EAST", "SOUTH"]))
            units_service.update_unit(database, store, store["code"], store["name"],
                                      store["type"], region)
        if step % 23 == 0:
            deliver(database)
    deliver(database)


def snapshot(database):
    return {t: sorted(tuple(r) for r in database.execute(f"SELECT * FROM {t}")) for t in TABLES}


def test_key_drivers_equal_a_regression_on_every_complete_answer_after_a_random_mix(database):
    random_mix(database, restaurant_survey(database), random.Random(17))
    for code in ("GROUP", "EAST", "SOUTH"):
        for day_from, day_to in (("2026-02-01", "2026-02-28"), ("2026-02-05", "2026-02-19")):
            expected = regression_on_raw_answers(database, code, day_from, day_to)
            found = drivers.analyse(database, unit(database, code), day_from, day_to)
            if expected.reason:
                assert found["reason"] == expected.reason, code
                continue
            assert found["n"] == expected.n, code
            assert found["r2"] == pytest.approx(expected.r2, abs=1e-4), code
            weights = {d["key"]: d["weight"] for d in found["drivers"]}
            assert [weights[k] for k in ("q3", "q4", "q5", "q6")] == \
                pytest.approx(expected.weights, abs=1e-4), code


def test_a_full_rebuild_gives_the_same_driver_moments_as_the_events(database):
    random_mix(database, restaurant_survey(database), random.Random(4), steps=120)
    before = snapshot(database)
    assert before["metric_drv_tree"]
    metric_events.rebuild_all(database)
    assert snapshot(database) == before


def test_an_upgrade_backfill_fills_the_moments_once_however_often_it_runs(database):
    random_mix(database, restaurant_survey(database), random.Random(8), steps=120)
    before = snapshot(database)
    group = unit(database, "GROUP")
    for table in TABLES:                   # as migration 0075 leaves an upgraded database
        database.execute(f"DELETE FROM {table}")
    database.execute("INSERT INTO metric_drv_backfill (unit_id, month) SELECT DISTINCT "
                     "unit_id, substr(day, 1, 7) FROM metric_counted")
    assert drivers.analyse(database, group, "2026-02-01", "2026-02-28")["reason"] == "filling"
    months = database.execute("SELECT COUNT(DISTINCT unit_id || substr(day, 1, 7)) "
                              "FROM metric_counted").fetchone()[0]
    assert months >= 3
    assert moments.backfill(database) == months      # one transaction per unit and month
    assert moments.backfill(database) == 0
    assert snapshot(database) == before
    database.execute("INSERT INTO metric_drv_backfill (unit_id, month) SELECT DISTINCT "
                     "unit_id, substr(day, 1, 7) FROM metric_counted")
    assert moments.backfill(database) == months
    assert snapshot(database) == before
    assert drivers.analyse(database, group, "2026-02-01", "2026-02-28")["ok"]
