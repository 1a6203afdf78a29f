"""Flood protection: in-process sliding-window counters (no network service needed).

Each gunicorn worker counts on its own, so the effective limit is up to
workers x limit; that is enough to stop a flood from one address or on one
link. Limits are runtime settings (settings table, names below), read at most
every 30 seconds.
"""
import threading
import time
from collections import deque

from ..core import settings

DEFAULTS = {
    "collection.rate_ip_per_minute": 60,        # respondent page posts per address
    "collection.rate_link_per_minute": 1200,    # posts per link (a QR poster in a busy store)
    "collection.rate_resume_per_minute": 30,    # page posts per resume token (one respondent)
    "collection.api_rate_ip_per_minute": 6000,  # JSON submissions per integrating address
    "collection.api_rate_link_per_minute": 60000,  # JSON submissions per link
}
MAX_KEYS = 50_000
_settings_cache = {"at": 0.0, "values": dict(DEFAULTS)}


class SlidingWindow:
    def __init__(self):
        self.hits = {}
        self.lock = threading.Lock()

    def allow(self, key, limit, window=60.0, now=None):
        now = time.monotonic() if now is None else now
        with self.lock:
            if len(self.hits) > MAX_KEYS:
                self._forget_idle(now, window)
            stamps = self.hits.setdefault(key, deque())
            while stamps and stamps[0] <= now - window:
                stamps.popleft()
            if len(stamps) >= limit:
                return False
            stamps.append(now)
            return True

    def _forget_idle(self, now, window):
        for key in [k for k, v in self.hits.items() if not v or v[-1] <= now - window]:
            del self.hits[key]

    def reset(self):
        with self.lock:
            self.hits.clear()


WINDOW = SlidingWindow()


def limit(db, name):
    cached = _settings_cache
    if time.monotonic() - cached["at"] > 30:
        cached["values"] = {k: settings.get(db, k) or v for k, v in DEFAULTS.items()}
        cached["at"] = time.monotonic()
    return cached["values"][name]


def forget_settings():
    _settings_cache["at"] = 0.0


def allow_page_post(db, ip, link_id, resume_token=None):
    """Per client address, per link and per resume token (one respondent's device), so
    behind a proxy (core/proxies.py) one flooder does not block everyone."""
    if resume_token and not WINDOW.allow(f"resume:{resume_token[:64]}",
                                         limit(db, "collection.rate_resume_per_minute")):
        return False
    return (WINDOW.allow(f"ip:{ip}", limit(db, "collection.rate_ip_per_minute"))
            and WINDOW.allow(f"link:{link_id}", limit(db, "collection.rate_link_per_minute")))


def allow_api_post(db, ip, link_id):
    return (WINDOW.allow(f"api:{ip}", limit(db, "collection.api_rate_ip_per_minute"))
            and WINDOW.allow(f"api-link:{link_id}", limit(db, "collection.api_rate_link_per_minute")))
