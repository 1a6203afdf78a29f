"""The text_items table: upsert analysed verbatims idempotently, keep their terms
(keywords and tags, one row each, for fast counts) and re-apply analysts' labels
so a correction survives a re-analysis."""
import json

from ..core import clock
from ..core.db import query_all, query_one
from . import summary

SOURCE_FIELDS = ("kind", "response_id", "question_key", "external_id", "survey_id", "unit_id",
                 "occurred_at", "channel", "source", "text")
ANALYSIS_FIELDS = ("language", "sentiment", "score", "sentiment_by", "keywords", "tags",
                   "sensitive", "has_sensitive", "model_version", "analysed_at")
COLUMNS = SOURCE_FIELDS + ANALYSIS_FIELDS
_UPDATE = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c not in ("kind",))
_INSERT = (f"INSERT INTO text_items ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(COLUMNS))}) ")
UPSERT = {
    "response": _INSERT + f"ON CONFLICT(response_id, question_key) DO UPDATE SET {_UPDATE} RETURNING id",
    "external": _INSERT + f"ON CONFLICT(external_id) DO UPDATE SET {_UPDATE} RETURNING id",
}


def item_values(source, analysis):
    """One row for text_items from a source dict and an Analysis."""
    row = {field: source.get(field) for field in SOURCE_FIELDS}
    row.update(language=analysis.language, sentiment=analysis.sentiment, score=analysis.score,
               sentiment_by="model", keywords=_json(analysis.keywords), tags=_json(analysis.tags),
               sensitive=_json(analysis.sensitive), has_sensitive=int(bool(analysis.sensitive)),
               model_version=analysis.model_version, analysed_at=clock.now_iso())
    return row


def upsert(db, rows):
    """Insert or refresh items (a retry updates, never duplicates). Returns their ids.
    The text summaries change by the difference (summary.tracking)."""
    with summary.tracking(db, _existing(db, rows)) as tracked:
        ids = []
        for row in rows:
            ids.append(db.execute(UPSERT[row["kind"]], [row[c] for c in COLUMNS]).fetchone()[0])
        tracked.extend(ids)
        _replace_terms(db, ids, rows)
        _reapply_labels(db, ids)
    return ids


def _existing(db, rows):
    found = []
    for row in rows:
        hit = db.execute("SELECT id FROM text_items WHERE response_id = ? AND question_key = ?",
                         (row["response_id"], row["question_key"])) if row["kind"] == "response" \
            else db.execute("SELECT id FROM text_items WHERE external_id = ?", (row["external_id"],))
        found += [r[0] for r in hit]
    return found


TERM_INSERT = ("INSERT OR IGNORE INTO text_terms (item_id, kind, term, unit_id, day, sentiment) "
               "VALUES (?, ?, ?, ?, ?, ?)")


def _replace_terms(db, ids, rows):
    db.conn.executemany("DELETE FROM text_terms WHERE item_id = ?", [(i,) for i in ids])
    terms = []
    for item_id, row in zip(ids, rows):
        common = (row["unit_id"], row["occurred_at"][:10], row["sentiment"])
        terms += [(item_id, "word", w, *common) for w in json.loads(row["keywords"])]
        terms += [(item_id, "tag", t["tag"], *common) for t in json.loads(row["tags"])]
    db.conn.executemany(TERM_INSERT, terms)


def _reapply_labels(db, ids):
    labelled = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        labelled.update(r["item_id"] for r in query_all(
            db, f"SELECT DISTINCT item_id FROM text_labels WHERE item_id IN ({marks})", chunk))
    for item_id in sorted(labelled):
        _apply_labels(db, item_id)


def labels_of(db, item_id):
    return query_all(db, "SELECT * FROM text_labels WHERE item_id = ? ORDER BY id", (item_id,))


def apply_labels(db, item_id):
    """Rewrite an item's sentiment and tags from its labels (the latest label wins)."""
    with summary.tracking(db, [item_id]):
        _apply_labels(db, item_id)


def _apply_labels(db, item_id):
    item = query_one(db, "SELECT unit_id, occurred_at, sentiment, sentiment_by, tags "
                         "FROM text_items WHERE id = ?", (item_id,))
    sentiment, sentiment_by = item["sentiment"], item["sentiment_by"]
    tags = {t["tag"]: t for t in json.loads(item["tags"])}
    for label in labels_of(db, item_id):
        if label["field"] == "sentiment":
            sentiment, sentiment_by = label["value"], "analyst"
        elif label["present"]:
            tags[label["value"]] = {"tag": label["value"], "by": "analyst"}
        else:
            tags.pop(label["value"], None)
    db.execute("UPDATE text_items SET sentiment = ?, sentiment_by = ?, tags = ? WHERE id = ?",
               (sentiment, sentiment_by, _json(list(tags.values())), item_id))
    db.execute("UPDATE text_terms SET sentiment = ? WHERE item_id = ?", (sentiment, item_id))
    db.execute("DELETE FROM text_terms WHERE item_id = ? AND kind = 'tag'", (item_id,))
    common = (item["unit_id"], item["occurred_at"][:10], sentiment)
    db.conn.executemany(TERM_INSERT, [(item_id, "tag", tag, *common) for tag in tags])


def add_label(db, item_id, field, value, present, user):
    db.execute("INSERT INTO text_labels (item_id, field, value, present, user_id, username, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (item_id, field, value, int(present), user["id"] if user else None,
                user["username"] if user else "system", clock.now_iso()))
    apply_labels(db, item_id)


def items_for_response(db, response_id):
    """A response's analysed verbatims (sensitive words, sentiment, tags parsed), by question."""
    rows = query_all(db, "SELECT id, question_key, text, language, sentiment, score, tags, "
                         "sensitive, keywords FROM text_items WHERE response_id = ? "
                         "ORDER BY question_key", (response_id,))
    for row in rows:
        for field in ("tags", "sensitive", "keywords"):
            row[field] = json.loads(row[field])
    return rows


def delete_response_items(db, response_id, keep_keys=()):
    """Drop a response's items whose question no longer holds text (e.g. after erasure)."""
    keep = list(keep_keys)
    marks = ", ".join("?" * len(keep)) or "''"
    where = f"response_id = ? AND question_key NOT IN ({marks})"
    gone = [r[0] for r in db.execute(f"SELECT id FROM text_items WHERE {where}",
                                     [response_id, *keep])]
    if gone:
        with summary.tracking(db, gone):
            db.execute(f"DELETE FROM text_items WHERE {where}", [response_id, *keep])


def _json(value):
    return json.dumps(value, ensure_ascii=False)
