"""Analysts' corrections (stored as labels, applied to the item, audit-logged) and
the training set they make for the tag classifier."""
import json

from ..core import audit
from ..core.db import query_all, transaction
from . import store, summary
from .queries import SENTIMENTS

RULE_SAMPLE = 5000   # analysed texts whose rule tags teach the classifier besides the labels


class BadLabel(ValueError):
    """A correction that does not make sense (unknown tag or sentiment)."""


def correct(db, item, field, value, present, user, known_tags):
    """Store one correction and apply it. Raises BadLabel."""
    if field == "sentiment":
        if value not in SENTIMENTS:
            raise BadLabel("sentiment")
        present = True
    elif field == "tag":
        if value not in known_tags:
            raise BadLabel("tag")
    else:
        raise BadLabel("field")
    before = {"sentiment": item["sentiment"], "tags": [t["tag"] for t in item["tags"]]}
    with transaction(db):
        store.add_label(db, item["id"], field, value, present, user)
        after = query_all(db, "SELECT sentiment, tags FROM text_items WHERE id = ?", (item["id"],))[0]
        audit.record(db, "text.label", "text_item", item["id"], item["unit_id"], before=before,
                     after={"sentiment": after["sentiment"],
                            "tags": [t["tag"] for t in json.loads(after["tags"])],
                            "label": {"field": field, "value": value, "present": bool(present)}})
    summary.fold(db)


def training_set(db, sample=RULE_SAMPLE):
    """[(text, [tags])]: every tag-labelled item with its corrected tags, plus a sample of
    analysed items with the tags the keyword rules (and earlier labels) gave them."""
    labelled = query_all(db, "SELECT i.id, i.text, i.tags FROM text_items i WHERE i.id IN "
                             "(SELECT item_id FROM text_labels WHERE field = 'tag')")
    seen = {row["id"] for row in labelled}
    ruled = query_all(db, "SELECT id, text, tags FROM text_items ORDER BY id DESC LIMIT ?",
                      (sample + len(seen),))
    rows = labelled + [r for r in ruled if r["id"] not in seen][:sample]
    return [(r["text"], [t["tag"] for t in json.loads(r["tags"]) if t["by"] != "model"])
            for r in rows], len(labelled)


def sentiment_labels(db):
    """{language: [(text, 1 positive | 0 negative)]}: each text's latest sentiment correction
    (neutral corrections teach nothing to a two-class model and are left out)."""
    rows = query_all(db, "SELECT i.text, i.language, l.value FROM text_labels l "
                         "JOIN text_items i ON i.id = l.item_id WHERE l.field = 'sentiment' "
                         "AND l.id = (SELECT MAX(id) FROM text_labels WHERE item_id = l.item_id "
                         "AND field = 'sentiment') ORDER BY l.id")
    found = {}
    for row in rows:
        if row["value"] in ("positive", "negative") and row["language"] in ("zh", "en"):
            found.setdefault(row["language"], []).append(
                (row["text"], int(row["value"] == "positive")))
    return found


def tag_counts(labelled):
    counts = {}
    for _text, tags in labelled:
        for tag in tags:
            counts[tag] = counts.get(tag, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
