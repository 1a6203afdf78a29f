"""What customers said: the latest detractors (collection.feed) and negative or sensitive
verbatims, hot words and topics (the text domain's insights)."""
import json

from ..collection import feed
from ..text import queries
from . import store, tree

DETRACTOR_MAX = 6


def _bounds(db, date_from, date_to):
    tz = store.zone(db)
    return store.day_bounds(str(date_from), tz)[0], store.day_bounds(str(date_to), tz)[1]


def detractors(db, unit, date_from, date_to, limit=5):
    """[{id, nps, unit_id, submitted_at, texts}] newest first."""
    rows = feed.latest(db, tree.subtree_ids(db, unit), *_bounds(db, date_from, date_to), limit,
                       max_nps=DETRACTOR_MAX)
    everything = tree.units(db)
    for row in rows:
        answers = json.loads(row["answers"])
        doc = feed.document(db, row["version_id"]) or {"pages": []}
        texts = [q["key"] for page in doc["pages"] for q in page["questions"] if q["type"] == "text"]
        row["texts"] = [answers[k] for k in texts if isinstance(answers.get(k), str)][:2]
        row["unit"] = tree.public(everything[row["unit_id"]])
    return rows


def _text_filters(unit, date_from, date_to, sentiment=""):
    return {"unit_path": unit["path"], "date_from": str(date_from), "date_to": str(date_to),
            "source": "", "channel": "", "survey_id": None, "sentiment": sentiment, "tag": "",
            "word": ""}


def negative(db, scope, unit, date_from, date_to, limit=5):
    """{negative: [...], sensitive: [...]} latest items from the text analysis."""
    found, _more = queries.verbatims(db, scope, _text_filters(unit, date_from, date_to,
                                                               "negative"), size=limit)
    sensitive = queries.sensitive_hits(db, scope, _text_filters(unit, date_from, date_to),
                                        limit=limit)
    return {"negative": found, "sensitive": sensitive}


def hot_words(db, scope, unit, date_from, date_to, limit=20):
    return queries.term_counts(db, scope, _text_filters(unit, date_from, date_to), "word",
                                limit=limit)


def topics(db, scope, unit, date_from, date_to, language="zh_CN", limit=10):
    """[{term, name, n, negative, positive}] the most frequent tags, named in the language."""
    from ..text import display_names as text_dashboard
    names = text_dashboard.tag_names(language)
    rows = queries.term_counts(db, scope, _text_filters(unit, date_from, date_to), "tag",
                                limit=limit)
    return [{**row, "name": names.get(row["term"], row["term"])} for row in rows]
