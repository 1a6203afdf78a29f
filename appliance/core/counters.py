"""Counters for /metrics that add up across processes (gunicorn workers, the job runner).

Each process counts in memory and writes its totals, at most every FLUSH_SECONDS, to
DATA_DIR/metrics/<pid>-<start>.json; /metrics adds up every process's file (those of
processes that have ended too, so a counter only falls when the files are removed).
Counting costs a dict update; nothing is written on the hot path of a request.
"""
import json
import os
import threading
import time
from pathlib import Path

FLUSH_SECONDS = 5
_lock = threading.Lock()
_state = {"dir": None, "file": None, "counts": {}, "flushed": 0.0}


def configure(data_dir):
    directory = Path(data_dir) / "metrics"
    with _lock:
        if _state["dir"] != directory or _state.get("pid") != os.getpid():
            _state.update(dir=directory, pid=os.getpid(), counts={}, flushed=0.0,
                          file=directory / f"{os.getpid()}-{int(time.time() * 1000)}.json")


def _count_afresh_after_fork():
    """A forked process (a gunicorn worker of a preloaded app) counts in a file of its own."""
    if _state["dir"] is not None:
        configure(_state["dir"].parent)


os.register_at_fork(after_in_child=_count_afresh_after_fork)


def increment(name, labels=(), by=1):
    """labels: a tuple of (label, value) pairs."""
    key = (name, labels)
    with _lock:
        _state["counts"][key] = _state["counts"].get(key, 0) + by


def maybe_flush(force=False):
    if _state["file"] is None or _state.get("pid") != os.getpid():
        return
    now = time.monotonic()
    if not force and now - _state["flushed"] < FLUSH_SECONDS:
        return
    with _lock:
        _state["flushed"] = now
        body = json.dumps({json.dumps([name, list(labels)]): count
                           for (name, labels), count in _state["counts"].items()})
    _state["dir"].mkdir(mode=0o700, exist_ok=True)
    tmp = _state["file"].with_suffix(".tmp")
    tmp.write_text(body)
    os.replace(tmp, _state["file"])


def totals(data_dir):
    """{(name, ((label, value), ...)): count} over every process's file."""
    maybe_flush(force=True)
    summed = {}
    for path in (Path(data_dir) / "metrics").glob("*.json"):
        try:
            counts = json.loads(path.read_text())
        except (OSError, ValueError):
            continue   # a file being replaced right now
        for key, value in counts.items():
            name, labels = json.loads(key)
            metric = (name, tuple(tuple(pair) for pair in labels))
            summed[metric] = summed.get(metric, 0) + value
    return summed
