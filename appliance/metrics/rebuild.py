"""Rebuilding every summary from scratch (`cem metrics rebuild`, a time-zone change, the
benchmark): each response's contribution is staged once, then the own rows and every
node's subtree rows are made by a few GROUP BY inserts, not millions of upserts."""
from ..collection import feed
from ..core.db import transaction
from . import contrib, moments, paths, store
from .contrib import MEASURES, Q_MEASURES

CHUNK = 20_000
TABLES = ("metric_own", "metric_tree", "metric_q_own", "metric_q_tree", "metric_seg_own",
          "metric_seg_tree", "metric_counted", "metric_paths", "metric_drv_own",
          "metric_drv_tree", "metric_drv_backfill")


def rebuild_all(db, echo=lambda line: None):
    tz = store.zone(db)
    with transaction(db):
        for table in TABLES + ("metric_sent_tree",):
            db.execute(f"DELETE FROM {table}")
        _stage_tables(db)
        last, start, counted, drivers = feed.last_id(db), 1, 0, {}
        while start <= last:
            counted += _stage(db, feed.countable_in_id_range(db, start, start + CHUNK - 1), tz,
                              drivers)
            start += CHUNK
            echo(f"  staged {counted:,} responses")
        _own_from_stage(db)
        _tree_from_own(db)
        moments.write_all(db, drivers, {u: paths._ids(p) for u, p in
                                        paths.current_paths(db).items()})
        db.execute("DROP TABLE temp.stage_cells")
        db.execute("DROP TABLE temp.stage_q")
        db.execute("DROP TABLE temp.stage_seg")
        db.execute("DROP TABLE temp.stage_ancestors")
    return counted


def _stage_tables(db):
    db.execute(f"CREATE TEMP TABLE stage_cells (unit_id, survey_id, day, channel, language, "
               f"{', '.join(MEASURES)})")
    db.execute(f"CREATE TEMP TABLE stage_q (unit_id, survey_id, day, question, "
               f"{', '.join(Q_MEASURES)})")
    db.execute(f"CREATE TEMP TABLE stage_seg (unit_id, survey_id, day, field, value, "
               f"{', '.join(MEASURES)})")
    db.execute("CREATE TEMP TABLE stage_ancestors (unit_id, node_id)")


def _stage(db, rows, tz, drivers):
    cells, questions, segments, marks = [], [], [], []
    for row in rows:
        doc = feed.document(db, row["version_id"])
        day = contrib.local_day(row["submitted_at"], tz)
        key = (row["unit_id"], row["survey_id"], day)
        values = contrib.cell(row, doc)
        measured = tuple(values[m] for m in MEASURES)
        cells.append(key + (row["channel"] or "", row["language"]) + measured)
        segments += [key + pair + measured for pair in contrib.segments_of(row)]
        questions += [key + (q,) + tuple(v[m] for m in Q_MEASURES)
                      for q, v in contrib.questions(row, doc).items()]
        marks.append((row["id"],) + key)
        moments.add_response(drivers, db, row, doc, day)
    db.conn.executemany(f"INSERT INTO stage_cells VALUES ({','.join('?' * (5 + len(MEASURES)))})",
                        cells)
    db.conn.executemany(f"INSERT INTO stage_q VALUES ({','.join('?' * (4 + len(Q_MEASURES)))})",
                        questions)
    db.conn.executemany(f"INSERT INTO stage_seg VALUES ({','.join('?' * (5 + len(MEASURES)))})",
                        segments)
    db.conn.executemany("INSERT INTO metric_counted (response_id, unit_id, survey_id, day) "
                        "VALUES (?, ?, ?, ?)", marks)
    return len(marks)


def _sums(measures):
    return ", ".join(f"SUM({m})" for m in measures)


def _own_from_stage(db):
    db.execute(f"INSERT INTO metric_own (unit_id, survey_id, day, channel, language, "
               f"{', '.join(MEASURES)}) SELECT unit_id, survey_id, day, channel, language, "
               f"{_sums(MEASURES)} FROM stage_cells GROUP BY unit_id, survey_id, day, channel, "
               f"language")
    db.execute(f"INSERT INTO metric_q_own (unit_id, survey_id, day, question, "
               f"{', '.join(Q_MEASURES)}) SELECT unit_id, survey_id, day, question, "
               f"{_sums(Q_MEASURES)} FROM stage_q GROUP BY unit_id, survey_id, day, question")
    db.execute(f"INSERT INTO metric_seg_own (unit_id, survey_id, day, field, value, "
               f"{', '.join(MEASURES)}) SELECT unit_id, survey_id, day, field, value, "
               f"{_sums(MEASURES)} FROM stage_seg GROUP BY unit_id, survey_id, day, field, value")


def _tree_from_own(db):
    now = paths.current_paths(db)
    db.conn.executemany("INSERT INTO metric_paths (unit_id, path) VALUES (?, ?)", now.items())
    db.conn.executemany("INSERT INTO stage_ancestors VALUES (?, ?)",
                        [(u, n) for u, p in now.items() for n in paths._ids(p)])
    for grain, period in (("D", "o.day"), ("M", "substr(o.day, 1, 7)")):
        db.execute(f"INSERT INTO metric_tree (node_id, grain, period, survey_id, channel, language, "
                   f"{', '.join(MEASURES)}) SELECT a.node_id, '{grain}', {period}, o.survey_id, "
                   f"o.channel, o.language, {_sums('o.' + m for m in MEASURES)} FROM metric_own o "
                   f"JOIN stage_ancestors a ON a.unit_id = o.unit_id GROUP BY a.node_id, {period}, "
                   f"o.survey_id, o.channel, o.language")
        db.execute(f"INSERT INTO metric_q_tree (node_id, grain, period, survey_id, question, "
                   f"{', '.join(Q_MEASURES)}) SELECT a.node_id, '{grain}', {period}, o.survey_id, "
                   f"o.question, {_sums('o.' + m for m in Q_MEASURES)} FROM metric_q_own o "
                   f"JOIN stage_ancestors a ON a.unit_id = o.unit_id GROUP BY a.node_id, {period}, "
                   f"o.survey_id, o.question")
        db.execute(f"INSERT INTO metric_seg_tree (node_id, grain, period, survey_id, field, value, "
                   f"{', '.join(MEASURES)}) SELECT a.node_id, '{grain}', {period}, o.survey_id, "
                   f"o.field, o.value, {_sums('o.' + m for m in MEASURES)} FROM metric_seg_own o "
                   f"JOIN stage_ancestors a ON a.unit_id = o.unit_id GROUP BY a.node_id, {period}, "
                   f"o.survey_id, o.field, o.value")
        db.execute(f"INSERT INTO metric_sent_tree (node_id, grain, period, survey_id, sent, "
                   f"responded) SELECT a.node_id, '{grain}', {period}, o.survey_id, SUM(o.sent), "
                   f"SUM(o.responded) "
                   f"FROM metric_sent_own o JOIN stage_ancestors a ON a.unit_id = o.unit_id "
                   f"GROUP BY a.node_id, {period}, o.survey_id")
