"""The release directories of an installation (HOME/releases/*, HOME/current -> one of them).

Each install or upgrade makes a fresh release (a virtual environment cannot be moved), so
after a successful upgrade the old ones are pruned: the newest KEEP stay (default 2: the
current one and the previous one, to roll back to). Never removed, whatever KEEP says: the
release `current` points to, the one this `cem` runs from, and the one the running
Tingjian (HOME/tingjian.pid) was started from.
"""
import contextlib
import os
import shutil
import sys
from pathlib import Path

DEFAULT_KEEP = 2


def _age_key(release):
    marker = release / "venv" / "pyvenv.cfg"     # written once, when the release was made
    return (marker if marker.exists() else release).stat().st_mtime_ns


def _release_of(path, releases):
    """The release directory under releases that path (symlinks not followed) is in, or None."""
    try:
        relative = Path(os.path.abspath(path)).relative_to(os.path.abspath(releases))
    except ValueError:
        return None
    return (releases / relative.parts[0]).resolve() if relative.parts else None


def _process_tree(pid):
    """pid and its descendants (the supervisor's gunicorn workers and job runner)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            queue += [int(child) for child in task.read_text().split()]
    return found


def _running_paths(home):
    """Paths the Tingjian in HOME/tingjian.pid runs from: its command lines and the files
    (the virtual environment's compiled modules) its processes have mapped."""
    paths = []
    try:
        for pid in _process_tree(int((home / "tingjian.pid").read_text())):
            with contextlib.suppress(OSError):
                paths += Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
                paths += [line.split(None, 5)[-1] for line in
                          Path(f"/proc/{pid}/maps").read_text().splitlines() if "/releases/" in line]
    except (OSError, ValueError):
        pass
    return [p for p in paths if p.startswith("/")]


def protected(home):
    releases = home / "releases"
    spared = {(home / "current").resolve()}
    for path in [sys.prefix, *_running_paths(home)]:
        spared.add(_release_of(path, releases))
    return spared - {None}


def prune(home, keep=DEFAULT_KEEP):
    """Remove all but the newest `keep` releases (at least 1), never a protected one.
    Returns the names removed."""
    releases = Path(home) / "releases"
    if not releases.is_dir():
        return []
    found = sorted((p.resolve() for p in releases.iterdir() if p.is_dir() and not p.is_symlink()),
                   key=_age_key, reverse=True)
    spared = protected(Path(home))
    removed = []
    for release in found[max(keep, 1):]:
        if release not in spared:
            shutil.rmtree(release)
            removed.append(release.name)
    return removed


def describe(removed):
    return f"removed old releases: {', '.join(removed)}" if removed else "no old release to remove"

