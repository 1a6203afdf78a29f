"""Journeys > stages > touchpoints: defining them, and the journey map's scores."""
import re

from flask_babel import lazy_gettext as _l

from ..core import audit, clock
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from . import periods, touchpoints

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def touchpoint_exists(db, key):
    return query_one(db, "SELECT 1 AS x FROM touchpoints WHERE key = ?", (key,)) is not None


def all_touchpoints(db):
    """[{key, name_zh, name_en, target, stage, journey}] in journey order (the designer's list)."""
    return query_all(db, "SELECT t.key, t.name_zh, t.name_en, t.target, s.key AS stage, "
                         "j.key AS journey FROM touchpoints t JOIN journey_stages s ON "
                         "s.id = t.stage_id JOIN journeys j ON j.id = s.journey_id "
                         "ORDER BY j.position, j.id, s.position, t.position")


def list_journeys(db):
    journeys = query_all(db, "SELECT * FROM journeys ORDER BY position, id")
    for journey in journeys:
        journey["stages"] = query_all(db, "SELECT * FROM journey_stages WHERE journey_id = ? "
                                          "ORDER BY position", (journey["id"],))
        for stage in journey["stages"]:
            stage["touchpoints"] = query_all(db, "SELECT * FROM touchpoints WHERE stage_id = ? "
                                                 "ORDER BY position", (stage["id"],))
    return journeys


def _check(definition):
    errors = {}
    if not KEY.match(definition.get("key", "")):
        errors["key"] = _l("A key: lower-case letters, digits and _, starting with a letter.")
    if not (definition.get("name_zh") or "").strip():
        errors["name_zh"] = _l("The journey needs a Chinese name.")
    keys = [t["key"] for s in definition.get("stages", []) for t in s.get("touchpoints", [])]
    if any(not KEY.match(k or "") for k in keys) or len(keys) != len(set(keys)):
        errors["touchpoints"] = _l("Touchpoint keys must be unique lower-case keys.")
    for stage in definition.get("stages", []):
        for tp in stage.get("touchpoints", []):
            target = tp.get("target")
            if target is not None and not (isinstance(target, (int, float)) and 0 <= target <= 100):
                errors["target"] = _l("A target is a number from 0 to 100.")
    if errors:
        raise ValidationError(errors)


def save_journey(db, definition, actor=None):
    """Create or replace a journey {key, name_zh, name_en, stages: [{key, name_zh, name_en,
    touchpoints: [{key, name_zh, name_en, target}]}]} in one transaction, audit-logged."""
    _check(definition)
    with transaction(db):
        before = query_one(db, "SELECT * FROM journeys WHERE key = ?", (definition["key"],))
        if before:
            db.execute("DELETE FROM journeys WHERE id = ?", (before["id"],))
        taken = {r["key"] for r in query_all(db, "SELECT key FROM touchpoints")}
        clash = taken & {t["key"] for s in definition["stages"] for t in s["touchpoints"]}
        if clash:
            raise ValidationError({"touchpoints": _l("Touchpoint %(key)s belongs to another "
                                                     "journey.", key=sorted(clash)[0])})
        journey_id = db.execute("INSERT INTO journeys (key, name_zh, name_en, position, "
                                "created_at) VALUES (?, ?, ?, ?, ?)",
                                (definition["key"], definition["name_zh"],
                                 definition.get("name_en", ""), definition.get("position", 0),
                                 clock.now_iso())).lastrowid
        for i, stage in enumerate(definition["stages"]):
            stage_id = db.execute("INSERT INTO journey_stages (journey_id, key, name_zh, name_en, "
                                  "position) VALUES (?, ?, ?, ?, ?)",
                                  (journey_id, stage["key"], stage["name_zh"],
                                   stage.get("name_en", ""), i)).lastrowid
            db.conn.executemany("INSERT INTO touchpoints (stage_id, key, name_zh, name_en, target, "
                                "position) VALUES (?, ?, ?, ?, ?, ?)",
                                [(stage_id, t["key"], t["name_zh"], t.get("name_en", ""),
                                  t.get("target"), j) for j, t in enumerate(stage["touchpoints"])])
        audit.record(db, "journeys.save", "journey", journey_id, None, before=before,
                     after=definition)
    return journey_id


def journey_map(db, unit, date_from, date_to, survey_id=None):
    """Each journey's stages and touchpoints with score, target, RAG, n and change."""
    from .. import stats
    prev_from, prev_to = periods.previous(date_from, date_to)
    now = touchpoints.scores(db, unit, date_from, date_to, survey_id)
    before = touchpoints.scores(db, unit, prev_from, prev_to, survey_id)
    journeys = list_journeys(db)
    for journey in journeys:
        for stage in journey["stages"]:
            for tp in stage["touchpoints"]:
                score = now.get(tp["key"], {"score": None, "n": 0, "low_base": True})
                old = before.get(tp["key"], {"score": None, "n": 0})
                tp.update(score=score["score"], n=score["n"], low_base=score["low_base"],
                          rag=stats.rag(score["score"], tp["target"]),
                          delta=None if score["score"] is None or old["score"] is None
                          else round(score["score"] - old["score"], 1))
    return journeys
