"""The demo's escalation chain ends at a person: every escalation of the demo's tickets,
up to the group (which has no unit manager) and past it, tells someone, and past the top
it is the group's programme manager."""
import json

from click.testing import CliRunner
from helpers import make_app

from appliance.cli import main
from appliance.core import clock, db
from appliance.loop import escalation


def test_every_escalation_of_the_demo_tells_a_person(tmp_path):
    env = {"TINGJIAN_DATA_DIR": str(tmp_path), "TINGJIAN_MIN_FREE_DISK_MB": "1"}
    assert CliRunner().invoke(main, ["migrate"], env=env).exit_code == 0
    result = CliRunner().invoke(main, ["demo", "--responses", "300"], env=env)
    assert result.exit_code == 0, result.output
    app = make_app(tmp_path)
    with app.app_context():
        database = db.get_db()
        for _day in range(4):
            clock.shift(2 * 86400)   # past every deadline and escalation interval
            escalation.run(database)
        events = db.query_all(database, "SELECT e.ticket_id, e.kind, e.detail FROM ticket_events e "
                                        "WHERE e.kind IN ('escalated', 'escalated_top') "
                                        "ORDER BY e.ticket_id, e.id")
    assert events and {e["kind"] for e in events} == {"escalated", "escalated_top"}
    told = [json.loads(e["detail"])["notified"] for e in events]
    assert all(told), "an escalation told no one"
    assert all(names == ["王芳 (CX 项目经理)"] for names, e in zip(told, events)
               if e["kind"] == "escalated_top")
