"""The text summaries the /text page reads equal a recomputation from text_items and
text_terms after analyses, retries, corrections, erasures and moved units."""
import random
from pathlib import Path

from test_text_pipeline import COMPLAINT, publish, run_queue, submit
from text_wiring_helpers import EAST_TEXTS, SOUTH_TEXTS, seed_texts

from appliance.collection import erasure, responses_query
from appliance.core import db, queue
from appliance.core.db import transaction
from appliance.org import units as units_service
from appliance.org.scope import Scope
from appliance.text import counts, pipeline, store, summary

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "0071_text_summaries.sql"
RAW_OWN = """
    SELECT unit_id, day, kind, term, source, channel, survey_id, sentiment, COUNT(*) FROM (
        SELECT i.unit_id, substr(i.occurred_at, 1, 10) AS day, 'item' AS kind, '' AS term,
               i.source, i.channel, COALESCE(i.survey_id, 0) AS survey_id, i.sentiment
        FROM text_items i
        UNION ALL
        SELECT i.unit_id, substr(i.occurred_at, 1, 10), t.kind, t.term, i.source, i.channel,
               COALESCE(i.survey_id, 0), i.sentiment
        FROM text_items i JOIN text_terms t ON t.item_id = i.id) AS c
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"""
RAW_TREE = f"""
    SELECT a.id, o.kind, o.day, o.term, o.source, o.channel, o.survey_id, o.sentiment, SUM(n)
    FROM ({RAW_OWN.replace('COUNT(*)', 'COUNT(*) AS n')}) AS o
    JOIN units u ON u.id = o.unit_id JOIN units a ON u.path LIKE a.path || '%'
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"""


def assert_equal_to_recomputation(database):
    summary.fold(database)
    assert database.execute("SELECT COUNT(*) FROM text_sum_pending").fetchone()[0] == 0
    own = sorted(tuple(r) for r in database.execute(
        "SELECT unit_id, day, kind, term, source, channel, survey_id, sentiment, n "
        "FROM text_sum_own"))
    assert own == sorted(tuple(r) for r in database.execute(RAW_OWN))
    tree = sorted(tuple(r) for r in database.execute(
        "SELECT node_id, kind, period, term, source, channel, survey_id, sentiment, n "
        "FROM text_sum_tree WHERE grain = 'D'"))
    assert tree == sorted(tuple(r) for r in database.execute(RAW_TREE))
    months = database.execute(
        "SELECT COUNT(*) FROM (SELECT node_id, kind, substr(period, 1, 7) AS m, term, source, "
        "channel, survey_id, sentiment, SUM(n) AS n FROM text_sum_tree WHERE grain = 'D' "
        "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 EXCEPT SELECT node_id, kind, period, term, source, "
        "channel, survey_id, sentiment, n FROM text_sum_tree WHERE grain = 'M')").fetchone()[0]
    assert months == 0 and len(own) > 0
    unfiltered = database.execute(
        "SELECT COUNT(*) FROM (SELECT node_id, kind, grain, period, term, SUM(n), "
        "SUM(CASE WHEN sentiment = 'negative' THEN n ELSE 0 END), "
        "SUM(CASE WHEN sentiment = 'positive' THEN n ELSE 0 END) FROM text_sum_tree "
        "GROUP BY 1, 2, 3, 4, 5 EXCEPT SELECT node_id, kind, grain, period, term, n, negative, "
        "positive FROM text_sum_all)").fetchone()[0]
    assert unfiltered == 0 and database.execute(
        "SELECT COUNT(*) FROM text_sum_all").fetchone()[0] == database.execute(
        "SELECT COUNT(DISTINCT node_id || kind || grain || period || term) "
        "FROM text_sum_tree").fetchone()[0]


def test_summaries_equal_a_recomputation_after_analyses_corrections_erasures_and_moves(
        app, client):
    ids = seed_texts(app)
    _survey, token = publish(app)
    responses = [submit(client, token, {"nps": n, "why": COMPLAINT if n < 5 else "环境干净整洁，服务很好",
                                        "more": "价格实惠"}) for n in (1, 9, 3, 10)]
    run_queue(app)
    rng = random.Random(7)
    with app.app_context():
        database = db.get_db()
        assert_equal_to_recomputation(database)
        for item_id in rng.sample(sorted(ids.values()), 4):      # analysts' corrections
            with transaction(database):
                store.add_label(database, item_id, "sentiment", rng.choice(
                    ["positive", "negative", "neutral"]), True, None)
                store.add_label(database, item_id, "tag", "price", rng.random() < 0.5, None)
        pipeline.analyse_external(database)                        # a retry re-upserts all
        response = responses_query.get_response(database, Scope(["/"]), responses[0])
        erasure.erase(database, response, "anonymise")
        east01 = units_service.get_unit_by_code(database, "EAST-01")
        south = units_service.get_unit_by_code(database, "SOUTH")
        units_service.update_unit(database, east01, east01["code"], east01["name"],
                                  east01["type"], south)
        while queue.deliver_events(database, limit=500):
            pass
        queue.run_until_idle(database)
        assert_equal_to_recomputation(database)
        south_words = counts.term_counts(database, Scope([south["path"]]), {
            "unit_path": "", "date_from": "2000-01-01", "date_to": "2100-12-31"}, "word", 400)
        assert sum(w["n"] for w in south_words) == database.execute(
            "SELECT COUNT(*) FROM text_terms t JOIN text_items i ON i.id = t.item_id JOIN units u "
            "ON u.id = i.unit_id WHERE t.kind = 'word' AND u.path LIKE ?",
            (south["path"] + "%",)).fetchone()[0]


def test_a_rebuild_gives_the_same_summaries_as_the_incremental_writes(app):
    seed_texts(app, EAST_TEXTS + SOUTH_TEXTS)
    with app.app_context():
        database = db.get_db()
        def snapshot():
            return {t: sorted(tuple(r) for r in database.execute(f"SELECT * FROM {t}"))
                    for t in ("text_sum_own", "text_sum_tree", "text_sum_all")}
        summary.fold(database)
        before = snapshot()
        assert summary.rebuild(database) == len(before["text_sum_own"])
        assert snapshot() == before
        # the migration's upgrade fill (plain SQL) gives the same sums
        sql = MIGRATION.read_text(encoding="utf-8").split("-- an upgrade fills", 1)[1]
        for table in ("text_sum_own", "text_sum_tree", "text_sum_all", "text_sum_paths"):
            database.execute(f"DELETE FROM {table}")
        database.conn.executescript(sql.split("\n", 1)[1])
        assert snapshot() == before


def test_a_store_manager_counts_only_their_store_and_a_mixed_scope_counts_once(app):
    seed_texts(app)
    with app.app_context():
        database = db.get_db()
        summary.fold(database)
        east, east01 = (units_service.get_unit_by_code(database, c) for c in ("EAST", "EAST-01"))
        window = {"unit_path": "", "date_from": "2000-01-01", "date_to": "2100-12-31"}
        mine = counts.count_items(database, Scope([east01["path"]]), window)
        both = counts.count_items(database, Scope([east["path"], east01["path"]]), window)
        asked_for_region = counts.count_items(database, Scope([east01["path"]]),
                                              {**window, "unit_path": east["path"]})
    assert mine == 4 and both == 6 and asked_for_region == 4


def test_the_unit_picker_shows_the_way_down_and_one_level_below(app, as_user):
    with app.app_context():
        database = db.get_db()
        east = units_service.get_unit_by_code(database, "EAST")
    def options(url):
        page = as_user("alice").get(url).get_data(as_text=True)
        picker = page.split('name="unit_id"', 1)[1].split("</select>", 1)[0]
        return {code for code in ("GROUP", "EAST", "SOUTH", "EAST-01", "EAST-02", "SOUTH-01")
                if f" {code} " in picker.replace("\u3000", " ").replace(">", "> ")}
    assert options("/text/") == {"GROUP", "EAST", "SOUTH"}
    assert options(f"/text/?unit_id={east['id']}") == {"GROUP", "EAST", "EAST-01", "EAST-02"}
