"""`cem demo` step: one API token for the demo POS, printed once so a newcomer can call the API."""
from ..org import units as units_service
from . import tokens


def seed(db, options, echo=print):
    if db.execute("SELECT 1 FROM api_tokens LIMIT 1").fetchone():
        echo("demo API token already present (its secret was shown when it was made)")
        return []
    unit = units_service.get_unit_by_code(db, "DEMO") or units_service.root_unit(db)
    _row, raw = tokens.create_token(db, "Demo POS", unit, ["submit_responses", "read_metrics",
                                                             "read_tickets", "trigger_surveys"])
    echo(f"demo API token (Authorization: Bearer ...): {raw}")
    return []
