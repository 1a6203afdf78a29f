"""Tickets as their handlers use them: the state machine, assignment, deadlines, contact
reveal, bulk actions, scoping by list, id, search and API, and bad input answered 4xx."""
import pytest
from helpers import PASSWORD, login
from loop_helpers import add_rule, rows, run_queue, submit

from appliance.core import db
from appliance.org import units as units_service
from appliance.org import users as users_service


@pytest.fixture
def ticket(app, client, token):
    """ticket(code, text) -> the id of a ticket opened by a detractor at that store."""
    add_rule(app)

    def make(code="EAST-01", text="上菜太慢了，要投诉", email="wang@example.com"):
        submit(client, token(code), 2, text, email=email)
        run_queue(app)
        return rows(app, "SELECT MAX(id) AS id FROM tickets")[0]["id"]
    return make


def api(app, username):
    """A signed-in client: GET /api/v1/ reads the session (as an API token's principal
    would set g.user, the endpoint only reads g.user and current_scope())."""
    return login(app.test_client(), username)


def status_of(app, ticket_id):
    return rows(app, "SELECT status FROM tickets WHERE id = ?", (ticket_id,))[0]["status"]


def test_a_ticket_moves_through_its_states_and_reopens(app, ticket):
    ticket_id = ticket()
    bob = login(app.test_client(), "bob")
    for action, status in (("acknowledge", "acknowledged"), ("start", "in_progress"),
                           ("resolve", "resolved"), ("close", "closed"),
                           ("reopen", "in_progress")):
        assert bob.post(f"/tickets/{ticket_id}/status", data={"action": action}).status_code == 302
        assert status_of(app, ticket_id) == status
    [row] = rows(app, "SELECT * FROM tickets WHERE id = ?", (ticket_id,))
    assert row["reopen_count"] == 1 and row["due_at"] and row["acknowledged_at"]
    page = bob.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert page.count("moved it to") == 5


def test_an_illegal_state_change_is_refused_with_a_message_and_changes_nothing(app, ticket):
    ticket_id = ticket()
    bob = login(app.test_client(), "bob")
    answer = bob.post(f"/tickets/{ticket_id}/status", data={"action": "close"})
    assert answer.status_code == 400
    assert "cannot be" in answer.get_data(as_text=True)
    assert status_of(app, ticket_id) == "open"
    assert len(rows(app, "SELECT id FROM ticket_events WHERE ticket_id = ?", (ticket_id,))) == 1


def test_assignment_refuses_unknown_users_and_users_outside_the_units_subtree(app, ticket):
    ticket_id = ticket()
    bob = login(app.test_client(), "bob")
    for name, words in (("nobody", "No active user"), ("charlie", "does not handle")):
        answer = bob.post(f"/tickets/{ticket_id}/assign", data={"assignee": name})
        assert answer.status_code == 400 and words in answer.get_data(as_text=True)
    assert bob.post(f"/tickets/{ticket_id}/assign", data={"assignee": "pat"}).status_code == 302
    assert rows(app, "SELECT a.username FROM tickets t JOIN users a ON a.id = t.assignee_id "
                     "WHERE t.id = ?", (ticket_id,))[0]["username"] == "pat"


def test_a_due_date_in_the_past_is_refused(app, ticket):
    ticket_id = ticket()
    bob = login(app.test_client(), "bob")
    answer = bob.post(f"/tickets/{ticket_id}/due", data={"due_at": "2020-01-01T10:00"})
    assert answer.status_code == 400 and "in the past" in answer.get_data(as_text=True)
    assert bob.post(f"/tickets/{ticket_id}/due", data={"due_at": "2099-01-01T10:00"}
                    ).status_code == 302
    assert rows(app, "SELECT due_at FROM tickets")[0]["due_at"].startswith("2099-01-01T02:00")


def test_notes_root_cause_and_callbacks_land_on_the_timeline_escaped(app, ticket):
    ticket_id = ticket(text="菜里有头发 <b>bold</b>")
    bob = login(app.test_client(), "bob")
    bob.post(f"/tickets/{ticket_id}/note", data={"note": "已联系厨房 <i>x</i>"})
    bob.post(f"/tickets/{ticket_id}/root_cause", data={"root_cause": "hygiene"})
    bob.post(f"/tickets/{ticket_id}/callback", data={"reached": "yes", "outcome": "道歉并赠券"})
    assert bob.post(f"/tickets/{ticket_id}/root_cause", data={"root_cause": "nonsense"}
                    ).status_code == 400
    page = bob.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert "&lt;i&gt;x&lt;/i&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "道歉并赠券" in page and 'selected>Hygiene' in page.replace('" selected', ' selected')


def test_sensitive_words_are_highlighted_in_the_verbatim(app, ticket):
    ticket_id = ticket(text="太差了，我要投诉到消协")
    page = login(app.test_client(), "bob").get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert "<mark" in page and "消协</mark>" in page.replace("投诉到", "")


def test_the_contact_is_revealed_on_request_with_an_audit_row_and_never_to_a_viewer(app, ticket):
    ticket_id = ticket()
    bob = login(app.test_client(), "bob")
    assert "wang@example.com" not in bob.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    shown = bob.post(f"/tickets/{ticket_id}/contact").get_data(as_text=True)
    assert "wang@example.com" in shown and "13800000000" in shown
    assert rows(app, "SELECT username FROM audit_log WHERE action = 'ticket.contact_reveal'") == \
        [{"username": "bob"}]
    assert login(app.test_client(), "erin").post(f"/tickets/{ticket_id}/contact").status_code == 403


def test_a_viewer_sees_a_ticket_but_cannot_change_it(app, ticket):
    ticket_id = ticket()
    erin = login(app.test_client(), "erin")
    page = erin.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert "上菜太慢了" in page and 'name="action"' not in page
    assert erin.post(f"/tickets/{ticket_id}/status", data={"action": "acknowledge"}
                     ).status_code == 403
    assert status_of(app, ticket_id) == "open"


def test_store_a_never_sees_a_ticket_of_store_b_by_list_id_search_or_api(app, ticket):
    south = ticket("SOUTH-01", "广州店洗手间很脏")
    east = ticket("EAST-01", "上海店上菜慢")
    bob = login(app.test_client(), "bob")
    assert "洗手间" not in bob.get("/tickets/?status=any").get_data(as_text=True)
    assert bob.get("/tickets/?q=洗手间").get_data(as_text=True).count("lp-card-body") == 0
    assert bob.get("/tickets/?q=上海店").get_data(as_text=True).count("lp-card-body") == 1
    assert bob.get(f"/tickets/?q={south}").get_data(as_text=True).count("lp-card-body") == 0
    assert bob.get(f"/tickets/{south}").status_code == 404
    assert bob.post(f"/tickets/{south}/status", data={"action": "acknowledge"}).status_code == 404
    assert [t["id"] for t in api(app, "bob").get("/api/v1/tickets").get_json()["tickets"]] == [east]
    everything = api(app, "alice").get("/api/v1/tickets").get_json()["tickets"]
    assert sorted(t["id"] for t in everything) == sorted([south, east])


def test_bulk_acknowledge_is_all_or_nothing(app, ticket):
    first, second = ticket(), ticket(text="又是很慢")
    bob = login(app.test_client(), "bob")
    bob.post(f"/tickets/{second}/status", data={"action": "acknowledge"})
    answer = bob.post("/tickets/bulk", data={"ids": [first, second], "bulk_action": "acknowledge"})
    assert answer.status_code == 400 and f"#{second}" in answer.get_data(as_text=True)
    assert status_of(app, first) == "open"
    third = ticket(text="第三次")
    assert bob.post("/tickets/bulk", data={"ids": [first, third], "bulk_action": "acknowledge"}
                    ).status_code == 302
    assert {status_of(app, i) for i in (first, third)} == {"acknowledged"}
    refused = bob.post("/tickets/bulk", data={"ids": [first, third], "bulk_action": "assign",
                                              "assignee": "charlie"})
    assert refused.status_code == 400
    assert rows(app, "SELECT COUNT(*) AS n FROM ticket_events WHERE kind = 'assigned'")[0]["n"] == 0


def test_the_api_answers_the_product_shape_and_the_envelope_on_bad_input(app, ticket):
    ticket_id = ticket()
    bob = api(app, "bob")
    body = bob.get("/api/v1/tickets?unit=EAST-01&status=open").get_json()
    assert body["ok"] is True
    [row] = body["tickets"]
    assert set(row) == {"id", "unit", "status", "priority", "response_id", "rule", "opened_at",
                        "due_at", "escalation_level"}
    assert (row["id"], row["unit"], row["status"], row["rule"]) == (ticket_id, "EAST-01",
                                                                    "open", "差评工单")
    for query, field in (("status=lost", "status"), ("unit=SOUTH-01", "unit"),
                         ("unit=NOPE", "unit")):
        bad = bob.get(f"/api/v1/tickets?{query}")
        assert bad.status_code == 400
        assert bad.get_json()["ok"] is False and bad.get_json()["errors"][0]["field"] == field
    assert app.test_client().get("/api/v1/tickets").get_json()["ok"] is False


def test_the_calendar_and_sla_forms_refuse_bad_input_and_keep_what_was_there(app):
    alice = login(app.test_client(), "alice")
    bad = alice.post("/alerts/settings/calendar", data={"open_0": "25:00", "close_0": "18:00",
                                                        "holidays": "2026-13-01 坏"})
    assert bad.status_code == 400 and "HH:MM" in bad.get_data(as_text=True)
    assert rows(app, "SELECT id FROM calendars") == []
    good = alice.post("/alerts/settings/calendar", data={
        **{f"open_{d}": "09:00" for d in range(5)}, **{f"close_{d}": "18:00" for d in range(5)},
        "holidays": "2026-10-01..2026-10-07 国庆节", "workdays": "2026-09-27 调休"})
    assert good.status_code == 302
    assert len(rows(app, "SELECT day FROM calendar_days")) == 8
    sla = alice.post("/alerts/settings/sla", data={"urgent_ack": "50", "urgent_resolve": "10"})
    assert sla.status_code == 400
    assert rows(app, "SELECT ack_minutes FROM sla_policies WHERE priority = 'urgent'") == \
        [{"ack_minutes": 30}]
    fields = {f"{p}_{f}": str(v) for p in ("urgent", "high", "normal", "low")
              for f, v in (("ack", 20), ("resolve", 120), ("escalate", 60), ("levels", 2))}
    assert alice.post("/alerts/settings/sla", data=fields).status_code == 302
    assert rows(app, "SELECT ack_minutes FROM sla_policies WHERE priority = 'urgent'") == \
        [{"ack_minutes": 20}]


def region_manager(app):
    with app.app_context():
        database = db.get_db()
        users_service.create_user(database, "rita", "Rita", "rita@example.com", PASSWORD,
                                  "unit_manager", units_service.get_unit_by_code(database, "EAST"),
                                  language="zh_CN")


def test_anonymising_the_response_removes_the_customers_words_from_the_ticket(app, ticket):
    from appliance.collection import erasure, responses_query
    from appliance.org.scope import Scope
    ticket_id = ticket(text="菜里有头发，我要曝光")
    with app.app_context():
        database = db.get_db()
        response_id = rows(app, "SELECT response_id FROM tickets")[0]["response_id"]
        erasure.erase(database, responses_query.get_response(database, Scope(["/"]), response_id),
                      "anonymise")
    run_queue(app)
    assert rows(app, "SELECT summary FROM tickets") == [{"summary": ""}]
    page = login(app.test_client(), "bob").get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert "头发" not in page
