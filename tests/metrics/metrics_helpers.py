"""Responses written as intake writes them (row + response.accepted in one transaction),
the job runner's delivery, and an independent recomputation from the raw responses."""
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from appliance.core import events, queue
from appliance.core.db import query_all, transaction
from appliance.org import units as units_service
from appliance.surveys import service as surveys
from appliance.surveys import starter_designs


def restaurant_survey(database, name="餐厅问卷"):
    root = units_service.get_unit_by_code(database, "GROUP")
    survey = surveys.create(database, root, name, document=starter_designs.build("restaurant_visit"))
    version = surveys.publish(database, survey)
    return {"id": survey["id"], "version_id": version["id"]}


def add(database, survey, unit_code, submitted_at, nps=None, csat=None, ratings=(4, 4, 4, 4),
        channel="qr", language="zh_CN", version_id=None, answers=None):
    unit = units_service.get_unit_by_code(database, unit_code)
    given = answers if answers is not None else {
        **({"q1": nps} if nps is not None else {}), **({"q7": csat} if csat is not None else {}),
        **{f"q{i}": r for i, r in enumerate(ratings, start=3)}}
    with transaction(database):
        response_id = database.execute(
            "INSERT INTO responses (survey_id, version_id, unit_id, channel, language, answers, "
            "status, nps, csat, source, started_at, submitted_at) VALUES "
            "(?, ?, ?, ?, ?, ?, 'complete', ?, ?, 'web', ?, ?)",
            (survey["id"], version_id or survey["version_id"], unit["id"], channel, language,
             json.dumps(given), nps, csat, submitted_at, submitted_at)).lastrowid
        events.publish(database, "response.accepted", {"response_id": response_id})
    return response_id


def deliver(database):
    while queue.deliver_events(database, limit=500):
        pass
    queue.run_until_idle(database)


def recompute(database, code, day_from, day_to, zone="Asia/Shanghai"):
    """NPS counts, CSAT n/sum and responses of a node, straight from the raw responses."""
    node = units_service.get_unit_by_code(database, code)
    rows = query_all(database, "SELECT r.nps, r.csat, r.submitted_at FROM responses r JOIN units u "
                               "ON u.id = r.unit_id WHERE r.status = 'complete' AND u.path LIKE ?",
                     (node["path"] + "%",))
    totals = {"responses": 0, "promoters": 0, "passives": 0, "detractors": 0, "csat_n": 0,
              "csat_sum": 0.0}
    for row in rows:
        moment = datetime.strptime(row["submitted_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
        day = moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone)).date().isoformat()
        if not (day_from <= day <= day_to):
            continue
        totals["responses"] += 1
        if row["nps"] is not None:
            kind = "promoters" if row["nps"] >= 9 else "passives" if row["nps"] >= 7 else "detractors"
            totals[kind] += 1
        if row["csat"] is not None:
            totals["csat_n"] += 1
            totals["csat_sum"] += row["csat"]
    return totals
