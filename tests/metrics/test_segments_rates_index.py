"""Hidden-field segments, response rates from distribution's events, and the index trend:
served from summaries, equal to a recomputation, scoped to the caller."""
import json
import random

import pytest

from appliance.core import events
from appliance.core.db import get_db, transaction
from appliance.metrics import demo as metrics_demo
from appliance.metrics import index_trend, indicators, invitations, queries, service, tree
from appliance.org import units as units_service
from metrics_helpers import deliver, restaurant_survey

DAY = "2026-03-10"


def add(database, survey, code, submitted_at, nps, hidden, csat=4):
    unit = units_service.get_unit_by_code(database, code)
    with transaction(database):
        response_id = database.execute(
            "INSERT INTO responses (survey_id, version_id, unit_id, channel, language, hidden, "
            "answers, status, nps, csat, source, started_at, submitted_at) VALUES "
            "(?, ?, ?, 'link', 'zh_CN', ?, ?, 'complete', ?, ?, 'web', ?, ?)",
            (survey["id"], survey["version_id"], unit["id"], json.dumps(hidden),
             json.dumps({"q1": nps, "q7": csat}), nps, csat, submitted_at, submitted_at)).lastrowid
        events.publish(database, "response.accepted", {"response_id": response_id})
    return response_id


@pytest.fixture
def members(app):
    """EAST-01: gold 10, gold 9, silver 0; SOUTH-01: platinum 10 (a value only south has)."""
    with app.app_context():
        database = get_db()
        survey = restaurant_survey(database)
        for code, nps, level in (("EAST-01", 10, "gold"), ("EAST-01", 9, "gold"),
                                 ("EAST-01", 0, "silver"), ("SOUTH-01", 10, "platinum")):
            add(database, survey, code, f"{DAY}T04:00:00.000000Z", nps,
                {"member_level": level, "order_id": f"{code}-{nps}"})
        deliver(database)
        return survey


def api(client, path="/api/v1/metrics", **args):
    return client.get(path, query_string={"from": DAY, "to": DAY, **args})


def test_a_segment_filters_the_metrics_api_from_the_summaries(as_user, members):
    alice = as_user("alice")
    gold = api(alice, node="EAST-01", segment="member_level:gold").get_json()
    assert (gold["responses"], gold["nps"]["score"]) == (2, 100.0)
    silver = api(alice, node="GROUP", segment="member_level:silver").get_json()
    assert (silver["responses"], silver["nps"]["detractors"]) == (1, 1)


def test_an_order_id_is_not_a_segment_and_bad_segments_are_refused(as_user, members):
    alice = as_user("alice")
    for segment in ("order_id:EAST-01-10", "member_level:", "nonsense", "x" * 50 + ":y"):
        response = api(alice, node="GROUP", segment=segment)
        assert response.status_code == 400, segment
        assert response.get_json()["errors"][0]["field"] == "segment"
    both = api(alice, node="GROUP", segment="member_level:gold", channel="qr")
    assert both.status_code == 400


def test_the_dashboard_lists_only_segment_values_inside_the_callers_scope(as_user, members):
    page = as_user("bob").get("/dashboard?period=365d").get_data(as_text=True)
    assert "member_level:gold" in page and "member_level:silver" in page
    assert "platinum" not in page
    filtered = as_user("bob").get("/dashboard?period=365d&segment=member_level:gold")
    assert filtered.status_code == 200
    assert api(as_user("bob"), node="SOUTH-01", segment="member_level:platinum").status_code == 404


def test_segment_summaries_equal_a_recomputation_after_inserts_erasures_and_moves(database):
    survey = restaurant_survey(database)
    rng, ids = random.Random(3), []
    stores = ["EAST-01", "EAST-02", "SOUTH-01"]
    for step in range(90):
        if rng.random() < 0.8 or not ids:
            ids.append(add(database, survey, rng.choice(stores),
                           f"2026-02-{rng.randint(1, 28):02d}T03:00:00.000000Z",
                           rng.randint(0, 10), {"member_level": rng.choice(["gold", "silver"])}))
        elif rng.random() < 0.7:
            victim = ids.pop(rng.randrange(len(ids)))
            database.execute("DELETE FROM responses WHERE id = ?", (victim,))
            events.publish(database, "response.erased", {"response_id": victim})
        else:
            store = units_service.get_unit_by_code(database, rng.choice(stores))
            region = units_service.get_unit_by_code(database, rng.choice(["EAST", "SOUTH"]))
            units_service.update_unit(database, store, store["code"], store["name"],
                                      store["type"], region)
        if step % 13 == 0:
            deliver(database)
    deliver(database)
    for code in ("GROUP", "EAST", "SOUTH", *stores):
        node = units_service.get_unit_by_code(database, code)
        for level in ("gold", "silver"):
            raw = database.execute(
                "SELECT COUNT(*), SUM(r.nps >= 9), SUM(r.nps <= 6) FROM responses r JOIN units u "
                "ON u.id = r.unit_id WHERE u.path LIKE ? AND json_extract(r.hidden, "
                "'$.member_level') = ?", (node["path"] + "%", level)).fetchone()
            sums = queries.cells(database, [node["id"]], "2026-02-01", "2026-02-28",
                                 segment=("member_level", level))[node["id"]]
            assert (sums["responses"], sums["promoters"], sums["detractors"]) == \
                (raw[0], raw[1] or 0, raw[2] or 0), (code, level)


def sent(database, invitation_id, code, survey_id, at="2026-03-10T02:00:00.000000Z"):
    unit = units_service.get_unit_by_code(database, code)
    with transaction(database):
        events.publish(database, "invitation.sent", {"invitation_id": invitation_id,
                                                     "survey_id": survey_id,
                                                     "unit_id": unit["id"], "sent_at": at})


def responded(database, invitation_id, code, survey_id, at="2026-03-10T05:00:00.000000Z"):
    unit = units_service.get_unit_by_code(database, code)
    with transaction(database):
        events.publish(database, "invitation.responded", {"invitation_id": invitation_id,
                                                          "survey_id": survey_id,
                                                          "unit_id": unit["id"],
                                                          "responded_at": at})


def test_response_rate_counts_each_invitation_event_once_and_rolls_up(as_user, app, members):
    with app.app_context():
        database = get_db()
        for i, code in enumerate(["EAST-01"] * 4 + ["SOUTH-01"] * 2, start=1):
            sent(database, i, code, members["id"])
        for i in (1, 2, 5):
            responded(database, i, "EAST-01" if i < 5 else "SOUTH-01", members["id"])
        sent(database, 1, "EAST-01", members["id"])            # delivered twice: counted once
        responded(database, 1, "EAST-01", members["id"])
        deliver(database)
        group = tree.by_code(database, "GROUP")
        league = service.league(database, group, None, DAY, DAY)
    east = api(as_user("bob"), node="EAST-01").get_json()["response_rate"]
    assert east == {"sent": 4, "responded": 2, "rate": 0.5}
    assert api(as_user("alice"), node="GROUP").get_json()["response_rate"] == \
        {"sent": 6, "responded": 3, "rate": 0.5}
    assert api(as_user("alice"), node="EAST-02").get_json()["response_rate"]["rate"] is None
    rates = {r["unit"]["code"]: r["response_rate"]["rate"] for r in league}
    assert rates == {"EAST": 0.5, "SOUTH": 0.5}
    page = as_user("alice").get(f"/dashboard?from={DAY}&to={DAY}").get_data(as_text=True)
    assert 'id="rr-h"' in page and "<td class=\"r\">50.0 %</td>" in page


def test_a_moved_store_takes_its_invitations_to_its_new_region(app, members):
    with app.app_context():
        database = get_db()
        for i in range(3):
            sent(database, 100 + i, "EAST-01", members["id"])
        deliver(database)
        store = units_service.get_unit_by_code(database, "EAST-01")
        south = units_service.get_unit_by_code(database, "SOUTH")
        units_service.update_unit(database, store, store["code"], store["name"], store["type"],
                                  south)
        deliver(database)
        totals = invitations.sums(database, [tree.by_code(database, c)["id"]
                                             for c in ("EAST", "SOUTH", "GROUP")], DAY, DAY)
    assert sorted(totals.values()) == [(0, 0), (3, 0), (3, 0)]


def test_distribution_publishes_invitation_sent_declared_in_its_domain():
    from appliance.distribution import DOMAIN
    assert {"invitation.sent", "invitation.responded"} <= set(DOMAIN.events)


@pytest.fixture
def months(app):
    """Two months of EAST-01 answers: January all promoters, February half detractors."""
    with app.app_context():
        database = get_db()
        survey = restaurant_survey(database)
        for day, nps in (("2026-01-05", 10), ("2026-01-20", 10), ("2026-02-03", 10),
                         ("2026-02-10", 0)):
            add(database, survey, "EAST-01", f"{day}T04:00:00.000000Z", nps, {})
        deliver(database)
        indicators.save(database, metrics_demo.indicator_nodes(survey["id"]))
        return survey


def test_the_index_trend_equals_the_index_of_each_period(app, months):
    with app.app_context():
        database = get_db()
        east = tree.by_code(database, "EAST-01")
        trend = index_trend.index_trend(database, east, "2026-01-01", "2026-02-28", "month")
        by_month = [indicators.evaluate(database, east, first, last)[0]["score"]
                    for first, last in (("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-02-28"))]
        weekly = index_trend.index_trend(database, east, "2026-01-01", "2026-02-28", "week")
    assert [p["period"] for p in trend["points"]] == ["2026-01", "2026-02"]
    assert [p["score"] for p in trend["points"]] == by_month
    assert by_month[0] > by_month[1]
    assert trend["index"]["key"] == "cx_index"
    assert len(weekly["points"]) == 9 and sum(p["score"] is not None for p in weekly["points"]) == 4


def test_the_index_trend_api_and_the_programme_managers_dashboard(as_user, months):
    alice = as_user("alice")
    body = alice.get("/api/v1/metrics/index-trend", query_string={
        "node": "GROUP", "from": "2026-01-01", "to": "2026-02-28", "grain": "month"}).get_json()
    assert body["ok"] and body["grain"] == "month" and len(body["points"]) == 2
    assert alice.get("/api/v1/metrics/index-trend", query_string={
        "node": "GROUP", "from": "2026-01-01", "to": "2026-02-28", "grain": "hour"}).status_code == 400
    assert as_user("bob").get("/api/v1/metrics/index-trend", query_string={
        "node": "SOUTH-01", "from": "2026-01-01", "to": "2026-02-28"}).status_code == 404
    page = alice.get("/dashboard?from=2026-01-01&to=2026-02-28&grain=month")
    assert page.status_code == 200 and 'data-chart="index"' in page.get_data(as_text=True)
