"""`cem demo` step: a first backup, so the overview, /healthz and /metrics show one."""
from flask import current_app

from .schedule import run_backup


def seed(db, options, echo=print):
    row = run_backup(db, current_app.config, "manual")
    if row["status"] == "ok":
        echo(f"demo backup written to {row['archive']} (data only: keep a keys file from "
             "`cem backup ARCHIVE --keys KEYFILE`)")
    else:
        echo(f"demo backup failed: {row['error']}")
    return []
