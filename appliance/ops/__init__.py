"""Operations: backup and restore, scheduled backups, upgrades from an offline bundle,
/metrics, request logging and `cem check`."""
from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, Job

DOMAIN = Domain(
    "ops",
    tables=["backup_runs", "ops_schedule"],
    blueprints=["metrics:bp"],
    jobs=[Job("ops.backup", "schedule:backup_tick", {"minutes": 1})],
    commands=[("backup", "commands:backup"), ("restore", "commands:restore"),
              ("check", "check:check"), ("upgrade", "upgrade:upgrade")],
    init_app="web:init_app",
    audit_labels={"backup.create": _l("backed up the appliance")},
    demo="demo:seed",
)
