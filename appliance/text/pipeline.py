"""The text pipeline: one Analyzer per process, queue subscribers, and bulk (re)analysis.

The models and the text configuration are read from the directories core.config
resolves (settings text_models_dir and text_config_dir): the app's config inside an
app context (the server, the job runner, cem commands), else core.config.load().
"""
import logging
import threading
import time
from pathlib import Path

from flask import current_app, has_app_context

from ..core import events
from ..core.db import checkpoint, transaction
from . import sources, store, summary

log = logging.getLogger(__name__)
BATCH = 1000
WRITE_CHUNK = 50
_lock = threading.Lock()
_cache = {}   # (config_dir, models_dir) -> (models stamp, Analyzer)


def _setting(key):
    if has_app_context():
        return current_app.config[key]
    from ..core.config import load
    return load()[key]


def models_dir():
    return Path(_setting("TEXT_MODELS_DIR"))


def config_dir():
    return Path(_setting("TEXT_CONFIG_DIR"))


def _stamp(directory):
    from ..textengine.analyzer import SENTIMENT_FILE
    try:
        info = (directory / SENTIMENT_FILE).stat()
    except FileNotFoundError:
        return None
    return (info.st_mtime_ns, info.st_size)


def analyzer():
    """The process's Analyzer, loaded on first use and reloaded when the models are rebuilt.
    (Dictionary, taxonomy and tag-model edits are picked up by Analyzer.refresh itself.)"""
    from ..textengine.analyzer import Analyzer
    key = (str(config_dir()), str(models_dir()))
    stamp = _stamp(models_dir())
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached[0] != stamp:
            loaded = Analyzer.load(config_dir=key[0], models_dir=key[1])
            log.info("text analyser loaded (model %s) in %.1f s", loaded.model_version,
                     loaded.load_seconds)
            cached = _cache[key] = (stamp, loaded)
        return cached[1]


def analyse_sources(db, source_rows):
    """Analyse a batch of source dicts at once, then upsert them in short transactions
    (WRITE_CHUNK items each), so respondents' submissions wait at most a few
    milliseconds for the write lock. Returns item ids."""
    if not source_rows:
        return []
    analyses = analyzer().analyse_batch([s["text"] for s in source_rows])
    rows = [store.item_values(s, a) for s, a in zip(source_rows, analyses)]
    ids = []
    for start in range(0, len(rows), WRITE_CHUNK):
        with transaction(db):
            ids += store.upsert(db, rows[start:start + WRITE_CHUNK])
    return ids


def sync_responses(db, response_ids):
    """Bring responses' items in line with their open-text answers (idempotent), analysing
    all their texts in one batch."""
    versions, found = {}, {}
    responses = sources.responses(db, response_ids)
    for response_id in dict.fromkeys(response_ids):
        found[response_id] = sources.response_texts(db, responses.get(response_id), versions)
    ids = analyse_sources(db, [s for texts in found.values() for s in texts])
    with transaction(db):
        for response_id, texts in found.items():
            store.delete_response_items(db, response_id, [s["question_key"] for s in texts])
            if responses.get(response_id) is not None:   # its texts are known: alerts may run
                events.publish(db, "text.response_analysed", {"response_id": response_id})
    summary.fold(db)
    return ids


def sync_response(db, response_id):
    return sync_responses(db, [response_id])


def on_response_accepted(db, payloads):
    """Many accepted responses at once (the queue hands over a batch of due jobs)."""
    sync_responses(db, [int(p["response_id"]) for p in payloads])


def on_response_erased(db, payloads):
    """Drop what was derived from erased answers, then empty the WAL of the old text."""
    sync_responses(db, [int(p["response_id"]) for p in payloads])
    checkpoint(db, "TRUNCATE")


def on_batch_accepted(db, payload):
    analyse_responses(db, int(payload["from_id"]), int(payload["to_id"]))


def analyse_responses(db, from_id=1, to_id=2**62, since=None, progress=None):
    """Analyse complete responses in an id range, BATCH at a time. Returns items written."""
    written, cursor, versions = 0, from_id, {}
    while True:
        responses = sources.responses_in_range(db, cursor, to_id, since, BATCH)
        if not responses:
            summary.fold(db)
            return written
        found = [s for r in responses for s in sources.response_texts(db, r, versions)]
        written += len(analyse_sources(db, found))
        cursor = responses[-1]["id"] + 1
        if progress:
            progress(written)


def analyse_external(db, since=None, import_id=None, progress=None):
    written, cursor = 0, 0
    while True:
        rows = sources.external_in_range(db, cursor, since, import_id, BATCH)
        if not rows:
            summary.fold(db)
            return written
        written += len(analyse_sources(db, [sources.external_source(r) for r in rows]))
        cursor = rows[-1]["id"]
        if progress:
            progress(written)


def reanalyse(db, since=None, progress=None):
    """Re-run everything (after a model or dictionary change). Returns (items, seconds)."""
    started = time.monotonic()
    analyzer()
    total = analyse_responses(db, since=since, progress=progress)
    total += analyse_external(db, since=since,
                              progress=(lambda n: progress(total + n)) if progress else None)
    return total, time.monotonic() - started
