"""Rebuilding the text summaries from scratch: the own rows by GROUP BY over the items and
their terms, the subtree rows through each unit's ancestors, the unfiltered rows from
those (the same statements the upgrade in migration 0071 runs)."""
from ..org import lookups
from .summary import _ITEMS, _TERMS, ALL_FROM_TREE, KEY, _ids


def rebuild_all(db):
    """Recompute every summary from text_items / text_terms, in one transaction. Returns
    the own rows written."""
    from ..core.db import transaction
    with transaction(db):
        for table in ("text_sum_own", "text_sum_tree", "text_sum_all", "text_sum_paths",
                      "text_sum_pending"):
            db.execute(f"DELETE FROM {table}")
        for sql in (_ITEMS, _TERMS):
            select = sql.replace(", i.id FROM", " FROM").replace(" WHERE i.id IN ({})", "")
            db.execute(f"INSERT INTO text_sum_own ({', '.join(KEY)}, n) SELECT *, COUNT(*) "
                       f"FROM ({select}) AS c GROUP BY 1, 2, 3, 4, 5, 6, 7, 8")
        now = lookups.unit_paths(db)
        db.conn.executemany("INSERT INTO text_sum_paths (unit_id, path) VALUES (?, ?)",
                            now.items())
        db.execute("CREATE TEMP TABLE text_ancestors (unit_id, node_id)")
        db.conn.executemany("INSERT INTO text_ancestors VALUES (?, ?)",
                            [(u, n) for u, p in now.items() for n in _ids(p)])
        rest = "o.kind, o.term, o.source, o.channel, o.survey_id, o.sentiment"
        for grain, period in (("D", "o.day"), ("M", "substr(o.day, 1, 7)")):
            db.execute(f"INSERT INTO text_sum_tree (node_id, grain, period, kind, term, source, "
                       f"channel, survey_id, sentiment, n) SELECT a.node_id, '{grain}', {period}, "
                       f"{rest}, SUM(o.n) FROM text_sum_own o JOIN text_ancestors a "
                       f"ON a.unit_id = o.unit_id GROUP BY a.node_id, {period}, {rest}")
        db.execute(f"INSERT INTO text_sum_all {ALL_FROM_TREE} "
                   f"GROUP BY node_id, kind, grain, period, term")
        db.execute("DROP TABLE temp.text_ancestors")
        return db.execute("SELECT COUNT(*) FROM text_sum_own").fetchone()[0]
