"""A small per-process cache for the two slow-changing models a dashboard shows beside the
summaries: key drivers (a regression on a sample of answers) and O-data correlations.
Entries live `ttl` seconds; an O-data import clears this process's entries at once."""
import threading
import time

_ENTRIES = {}
_LOCK = threading.Lock()
LIMIT = 512


def cached(db, name, key, ttl, compute):
    full = (getattr(db, "path", None), name, key)
    now = time.monotonic()
    with _LOCK:
        hit = _ENTRIES.get(full)
    if hit and hit[0] > now:
        return hit[1]
    value = compute()
    with _LOCK:
        if len(_ENTRIES) >= LIMIT:
            _ENTRIES.clear()
        _ENTRIES[full] = (now + ttl, value)
    return value


def forget(name):
    with _LOCK:
        for full in [k for k in _ENTRIES if k[1] == name]:
            del _ENTRIES[full]
