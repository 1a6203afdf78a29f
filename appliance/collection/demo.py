"""`cem demo --responses N`: realistic restaurant feedback, fast enough for a million rows.

Rows go in with executemany in large transactions and without per-row events:
one "response.batch_accepted" event per BATCH ({"from_id", "to_id"}), committed with
the rows, lets text analysis run over them in bulk.
"""
import json
import random
import time
from datetime import datetime, timedelta, timezone

from ..core import events
from ..core.db import transaction
from ..org import lookups
from ..org import units as units_service
from ..org import users as users_service
from ..surveys import definition
from ..surveys import service as surveys
from ..surveys import starter_designs
from . import demo_integrity, demo_text

SURVEY_NAME = "餐厅就餐体验 (demo)"
BATCH = 10_000
CHANNELS = [("qr", 45), ("wechat", 25), ("sms", 15), ("email", 10), ("pos", 5)]
COLUMNS = ("survey_id", "version_id", "unit_id", "link_id", "channel", "language", "hidden",
           "answers", "status", "nps", "csat", "source", "started_at",
           "submitted_at")


def demo_survey(db):
    """The demo restaurant survey (published), created from the template if missing."""
    row = surveys.find_by_name(db, SURVEY_NAME)
    if row is None:
        root = units_service.root_unit(db)
        document = starter_designs.build("restaurant_visit")
        definition.question_map(document)["q2"].pop("display_if", None)   # every guest may comment
        survey = surveys.create(db, root, SURVEY_NAME, document=document)
        surveys.publish(db, survey)
        row = survey
    return surveys.get_survey(db, row["id"]), surveys.published_version(db, row["id"])


def _stores(db):
    return lookups.leaf_units(db)


def generate_responses(db, n, echo=print, seed=2026):
    """Insert n complete responses across every store and the last 12 months."""
    rng = random.Random(seed)
    survey, version = demo_survey(db)
    stores = [(s["id"], s["code"], rng.uniform(-1.2, 1.2)) for s in _stores(db)]
    end = datetime.now(timezone.utc)
    started, done = time.monotonic(), 0
    while done < n:
        size = min(BATCH * 5, n - done)
        rows = [_row(rng, survey["id"], version["id"], stores, end) for _ in range(size)]
        with transaction(db):
            first = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM responses").fetchone()[0]
            db.conn.executemany(f"INSERT INTO responses ({', '.join(COLUMNS)}) VALUES "
                                f"({', '.join('?' * len(COLUMNS))})", rows)
            for start in range(first, first + size, BATCH):
                last = min(start + BATCH, first + size) - 1
                events.publish(db, "response.batch_accepted", {"from_id": start, "to_id": last})
        done += size
        echo(f"  {done:,} / {n:,} responses ({time.monotonic() - started:.0f} s)")
    return done


def _row(rng, survey_id, version_id, stores, end):
    unit_id, code, quality = rng.choice(stores)
    moment = end - timedelta(seconds=rng.randrange(365 * 86400))
    season = 0.4 if moment.month in (1, 2) else (-0.3 if moment.month in (7, 8) else 0.0)
    mood = rng.gauss(quality + season, 1.3)
    nps = max(0, min(10, round(7.6 + 1.6 * mood)))
    ratings = [max(1, min(5, round(3.9 + 0.7 * mood + rng.gauss(0, 0.7)))) for _ in range(4)]
    csat = max(1, min(5, round(sum(ratings) / 4 + rng.gauss(0, 0.4))))
    language = "en" if rng.random() < 0.18 else "zh_CN"
    answers = {"q1": nps, "q3": ratings[0], "q4": ratings[1], "q5": ratings[2],
               "q6": ratings[3], "q7": csat}
    if rng.random() < 0.62:
        answers["q2"] = demo_text.verbatim(rng, nps, ratings, language)
    if rng.random() < 0.7:
        answers["q8"] = "yes" if nps >= 8 else ("maybe" if nps >= 5 else "no")
    channel = rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0]
    hidden = {"unit": code, "channel": channel, "order_id": f"{code}-{rng.randrange(10**7):07d}"}
    start = moment - timedelta(seconds=rng.randrange(40, 300))
    return (survey_id, version_id, unit_id, None, channel, language,
            json.dumps(hidden), json.dumps(answers, ensure_ascii=False), "complete", nps, csat,
            "demo", _iso(start), _iso(moment))


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def seed_responses(db, options, echo=print):
    """`cem demo` step: the demo survey, and `--responses N` responses if asked."""
    survey, _version = demo_survey(db)
    if options.get("responses"):
        generate_responses(db, options["responses"], echo=echo)
        _demo_export(db, echo)
    demo_integrity.seed(db, survey, echo)
    return []


def _demo_export(db, echo):
    """An XLSX export asked for by the demo admin: the job runner builds it on its first tick,
    and the responses page offers the download."""
    from flask import current_app
    from werkzeug.datastructures import MultiDict
    from ..org.scope import Scope
    from . import exports, responses_query
    admin = users_service.get_user_by_username(db, "admin")
    root = units_service.root_unit(db)
    if admin and root:
        exports.request_export(db, admin, "xlsx", False, responses_query.read_filters(MultiDict()),
                               Scope([root["path"]]), current_app.config["DATA_DIR"])
        echo("an XLSX export of the responses is queued for admin (Responses > Exports)")
