"""Summaries kept from events: hand-computed metrics, roll-up, time zones, late, erased,
survey versions and moved units; and equal to a recomputation after a random mix."""
import copy
import json
import random

import pytest

from appliance.collection import erasure, responses_query
from appliance.metrics import queries, service, tree
from appliance.org import units as units_service
from appliance.surveys import definition
from appliance.surveys import service as surveys
from metrics_helpers import add, deliver, recompute, restaurant_survey

DAY = "2026-03-10"


def at(day=DAY, time="04:00:00"):
    return f"{day}T{time}.000000Z"


def unit(database, code):
    return units_service.get_unit_by_code(database, code)


def test_nps_and_csat_of_a_store_match_hand_computed_values(database):
    survey = restaurant_survey(database)
    for nps, csat in [(10, 5), (9, 4), (8, 4), (7, 3), (6, 2), (3, 1), (10, 5), (9, 5)]:
        add(database, survey, "EAST-01", at(), nps=nps, csat=csat)
    deliver(database)
    result = service.summary(database, unit(database, "EAST-01"), DAY, DAY)
    # 4 promoters, 2 passives, 2 detractors of 8: NPS 25; CSAT mean 29/8, top-2 5/8
    assert result["responses"] == 8
    assert result["nps"]["score"] == 25.0
    assert (result["nps"]["promoters"], result["nps"]["passives"],
            result["nps"]["detractors"]) == (4, 2, 2)
    assert result["nps"]["low_base"] is True
    assert result["csat"] == {"mean": 3.625, "top2": 0.625, "n": 8, "low_base": True}


def test_scores_roll_up_over_three_levels(database):
    survey = restaurant_survey(database)
    for code, scores in (("EAST-01", [10, 10, 0]), ("EAST-02", [9, 7]), ("SOUTH-01", [2, 2, 10])):
        for score in scores:
            add(database, survey, code, at(), nps=score)
    deliver(database)
    def nps(code):
        return service.summary(database, unit(database, code), DAY, DAY)["nps"]
    assert nps("EAST-01")["score"] == pytest.approx(100 * (2 - 1) / 3, abs=0.05)
    assert (nps("EAST")["promoters"], nps("EAST")["n"]) == (3, 5)
    assert nps("EAST")["score"] == 40.0                    # (3 - 1) / 5
    assert nps("GROUP")["n"] == 8 and nps("GROUP")["score"] == 12.5   # (4 - 3) / 8


def test_a_day_is_the_organisations_day_in_asia_shanghai(database):
    survey = restaurant_survey(database)
    add(database, survey, "EAST-01", at("2026-03-09", "15:59:59"), nps=10)   # 23:59:59 in Shanghai
    add(database, survey, "EAST-01", at("2026-03-09", "16:00:00"), nps=0)    # 00:00 on the 10th
    deliver(database)
    store = unit(database, "EAST-01")
    assert service.summary(database, store, "2026-03-09", "2026-03-09")["nps"]["score"] == 100
    assert service.summary(database, store, "2026-03-10", "2026-03-10")["nps"]["score"] == -100
    assert service.summary(database, store, "2026-03-01", "2026-03-31")["responses"] == 2


def test_month_rows_and_day_rows_give_the_same_sums(database):
    survey = restaurant_survey(database)
    rng = random.Random(3)
    for _ in range(60):
        day = f"2026-0{rng.randint(1, 4)}-{rng.randint(1, 28):02d}"
        add(database, survey, rng.choice(["EAST-01", "SOUTH-01"]), at(day), nps=rng.randint(0, 10))
    deliver(database)
    group = unit(database, "GROUP")
    whole = service.summary(database, group, "2026-01-01", "2026-04-30")
    pieces = [service.summary(database, group, a, b)["nps"]["promoters"] for a, b in
              (("2026-01-01", "2026-01-17"), ("2026-01-18", "2026-03-02"),
               ("2026-03-03", "2026-04-30"))]
    assert whole["responses"] == 60 and sum(pieces) == whole["nps"]["promoters"]


def test_a_late_response_lands_on_its_own_day(database):
    survey = restaurant_survey(database)
    add(database, survey, "EAST-01", at(), nps=10)
    deliver(database)
    add(database, survey, "EAST-01", at("2025-12-01"), nps=0)   # arrives later, dated earlier
    deliver(database)
    store = unit(database, "EAST-01")
    assert service.summary(database, store, "2025-12-01", "2025-12-01")["nps"]["detractors"] == 1
    assert service.summary(database, store, DAY, DAY)["nps"]["score"] == 100


def test_an_event_delivered_twice_counts_once(database):
    from appliance.metrics import events as metric_events
    survey = restaurant_survey(database)
    response_id = add(database, survey, "EAST-01", at(), nps=10)
    deliver(database)
    metric_events.on_accepted(database, [{"response_id": response_id}])
    assert service.summary(database, unit(database, "EAST-01"), DAY, DAY)["responses"] == 1


def test_an_erased_response_is_recounted_and_an_anonymised_one_keeps_its_scores(database):
    survey = restaurant_survey(database)
    first = add(database, survey, "EAST-01", at(), nps=10)
    add(database, survey, "EAST-01", at(), nps=0)
    deliver(database)
    response = responses_query.get_response(database, _everything(), first)
    erasure.erase(database, response, "anonymise")
    deliver(database)
    assert service.summary(database, unit(database, "GROUP"), DAY, DAY)["nps"]["score"] == 0
    database.execute("UPDATE responses SET status = 'partial' WHERE id = ?", (first,))
    from appliance.metrics import events as metric_events
    metric_events.on_changed(database, [{"response_id": first}])
    result = service.summary(database, unit(database, "GROUP"), DAY, DAY)
    assert result["responses"] == 1 and result["nps"]["score"] == -100


def _everything():
    from appliance.org.scope import Scope
    return Scope(["/"])


def test_responses_keep_the_survey_version_they_answered(database):
    survey = restaurant_survey(database)
    add(database, survey, "EAST-01", at(), nps=9, ratings=(5, 5, 5, 5))
    current = surveys.get_survey(database, survey["id"])
    document = copy.deepcopy(current["document"])
    rating = definition.question_map(document)["q3"]   # found by key: the design may move it
    rating["scale"] = 10                       # version 2 asks q3 on a 10-point scale
    surveys.save_draft(database, current, document)
    v2 = surveys.publish(database, surveys.get_survey(database, survey["id"]))
    add(database, survey, "EAST-01", at(), nps=9, ratings=(5, 5, 5, 5), version_id=v2["id"])
    deliver(database)
    cells = queries.question_cells(database, [unit(database, "EAST-01")["id"]], DAY, DAY)
    q3 = cells[unit(database, "EAST-01")["id"]][(survey["id"], "q3")]
    assert (q3["n"], q3["top"]) == (2, 1)      # 5 of 5 is top-2; 5 of 10 is not


def test_a_moved_store_counts_under_its_new_region_once(database):
    survey = restaurant_survey(database)
    add(database, survey, "EAST-02", at(), nps=10)
    add(database, survey, "EAST-01", at(), nps=0)
    deliver(database)
    store, south = unit(database, "EAST-02"), unit(database, "SOUTH")
    units_service.update_unit(database, store, store["code"], store["name"], store["type"], south)
    deliver(database)
    def n(code):
        return service.summary(database, unit(database, code), DAY, DAY)["responses"]
    assert (n("EAST"), n("SOUTH"), n("GROUP")) == (1, 1, 2)


def test_summaries_equal_a_recomputation_after_random_inserts_erasures_and_moves(database):
    survey = restaurant_survey(database)
    rng = random.Random(11)
    stores = ["EAST-01", "EAST-02", "SOUTH-01"]
    ids = []
    for step in range(120):
        action = rng.random()
        if action < 0.75 or not ids:
            day = f"2026-02-{rng.randint(1, 28):02d}"
            ids.append(add(database, survey, rng.choice(stores),
                           at(day, f"{rng.randint(0, 23):02d}:30:00"), nps=rng.randint(0, 10),
                           csat=rng.choice([None, 1, 2, 3, 4, 5])))
        elif action < 0.9:
            victim = ids.pop(rng.randrange(len(ids)))
            database.execute("DELETE FROM responses WHERE id = ?", (victim,))
            from appliance.core import events
            events.publish(database, "response.erased", {"response_id": victim})
        else:
            store = unit(database, rng.choice(stores))
            region = unit(database, rng.choice(["EAST", "SOUTH"]))
            units_service.update_unit(database, store, store["code"], store["name"],
                                      store["type"], region)
        if step % 17 == 0:
            deliver(database)
    deliver(database)
    for code in ("GROUP", "EAST", "SOUTH", *stores):
        raw = recompute(database, code, "2026-02-01", "2026-02-28")
        sums = queries.cells(database, [unit(database, code)["id"]], "2026-02-01",
                             "2026-02-28")[unit(database, code)["id"]]
        assert {k: sums[k] for k in raw} == pytest.approx(raw), code
    assert tree.units(database)
    _ = json


def test_a_full_rebuild_gives_the_same_summaries_as_the_events(database):
    from appliance.metrics import events as metric_events
    survey = restaurant_survey(database)
    rng = random.Random(5)
    for _ in range(80):
        add(database, survey, rng.choice(["EAST-01", "EAST-02", "SOUTH-01"]),
            at(f"2026-01-{rng.randint(1, 31):02d}"), nps=rng.randint(0, 10),
            csat=rng.randint(1, 5), channel=rng.choice(["qr", "sms"]))
    deliver(database)
    tables = ("metric_own", "metric_tree", "metric_q_own", "metric_q_tree", "metric_counted")
    def snapshot():
        return {t: sorted(tuple(r) for r in database.execute(f"SELECT * FROM {t}")) for t in tables}
    before = snapshot()
    assert metric_events.rebuild_all(database) == 80
    assert snapshot() == before
