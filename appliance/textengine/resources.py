"""Admin-editable files in the config directory, reloaded when they change."""
import logging
import tomllib
from pathlib import Path

log = logging.getLogger(__name__)
DEFAULT_SETTINGS = {
    "neutral_band": 0.1,
    "keywords_per_text": 5,
    "tag_model_threshold": 0.5,
    "max_chars": 20000,
}


class WatchedFile:
    """A parsed file that is parsed again when its mtime or size changes."""

    def __init__(self, path, parse, missing=None):
        self.path = Path(path)
        self.parse = parse
        self.missing = missing
        self.stamp = None
        self.value = missing
        self.error = None

    def _current_stamp(self):
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return "missing"
        return (info.st_mtime_ns, info.st_size)

    def changed(self):
        """True (and reloaded) when the file differs from the last load."""
        stamp = self._current_stamp()
        if stamp == self.stamp:
            return False
        self.stamp = stamp
        try:
            self.value = self.missing if stamp == "missing" else self.parse(self.path)
            self.error = None
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
            # a bad edit keeps the last good version instead of stopping the analysis
            self.error = f"{self.path}: {error}"
            log.error("text config not reloaded, keeping the previous version: %s", self.error)
            return False
        return True

    def get(self):
        self.changed()
        return self.value


def read_lines(path):
    """Non-empty lines without comments (# at line start)."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def read_toml(path):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def read_settings(path):
    return {**DEFAULT_SETTINGS, **read_toml(path).get("text", {})}
