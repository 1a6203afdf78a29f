"""The closed-loop KPIs count business hours of the ticket's unit calendar, the clock its
SLA runs on: a ticket opened on Friday evening and resolved on Monday morning took the
Monday hours, not the weekend."""
from datetime import datetime, timezone

import pytest
from helpers import login
from loop_helpers import add_rule, rows, run_queue, submit

from appliance.core import clock, db
from appliance.loop import kpis, sla, workhours
from appliance.org import units as units_service

WEEKDAYS = {str(day): ["09:00", "18:00"] for day in range(5)}   # Monday to Friday
SHANGHAI = "Asia/Shanghai"


def at(text):
    """A moment given in Shanghai local time (UTC+8, no summer time)."""
    return datetime.fromisoformat(text + "+08:00").astimezone(timezone.utc)


def set_clock(moment):
    clock.shift(None)
    clock.shift((moment - clock.utcnow()).total_seconds())


def _weekday_calendar(app):
    with app.app_context():
        database = db.get_db()
        sla.save_calendar(database, units_service.get_unit_by_code(database, "GROUP"),
                          WEEKDAYS, {})


def test_working_minutes_between_two_moments_skip_nights_weekends_and_holidays():
    friday_evening, monday = at("2026-12-04T20:00"), at("2026-12-07T11:00")
    assert workhours.business_minutes_between(friday_evening, monday, WEEKDAYS, {},
                                              SHANGHAI) == 120
    assert workhours.business_minutes_between(friday_evening, monday, WEEKDAYS,
                                              {"2026-12-07": "holiday"}, SHANGHAI) == 0
    assert workhours.business_minutes_between(monday, friday_evening, WEEKDAYS, {},
                                              SHANGHAI) == 0


def test_a_deadline_and_a_duration_are_one_clock():
    start = at("2026-12-04T17:10")
    for minutes in (1, 50, 51, 600, 2000):
        due = workhours.add_business_minutes(start, minutes, WEEKDAYS, {}, SHANGHAI)
        assert workhours.business_minutes_between(start, due, WEEKDAYS, {}, SHANGHAI) == minutes


def test_a_ticket_opened_friday_evening_and_resolved_monday_morning_counts_monday_hours(
        app, client, token):
    _weekday_calendar(app)
    add_rule(app)   # high priority: acknowledge within 60, resolve within 480 business minutes
    set_clock(at("2026-12-04T20:00"))   # Friday evening, after closing
    submit(client, token("EAST-01"), 1, "周五晚上等了一个小时")
    run_queue(app)
    [ticket] = rows(app, "SELECT * FROM tickets")
    assert ticket["ack_due_at"] == clock.iso(at("2026-12-07T10:00"))   # the SLA's clock
    set_clock(at("2026-12-07T09:30"))   # Monday morning
    bob = login(app.test_client(), "bob")
    bob.post(f"/tickets/{ticket['id']}/status", data={"action": "acknowledge"})
    set_clock(at("2026-12-07T11:00"))
    bob.post(f"/tickets/{ticket['id']}/status", data={"action": "resolve"})
    [row] = rows(app, "SELECT status, ack_business_minutes, resolve_business_minutes, "
                      "ack_breached, resolve_breached FROM tickets")
    assert row == {"status": "resolved", "ack_business_minutes": pytest.approx(30, abs=0.5),
                   "resolve_business_minutes": pytest.approx(120, abs=0.5),
                   "ack_breached": 0, "resolve_breached": 0}
    page = bob.get("/tickets/kpis").get_data(as_text=True)
    assert 'data-kpi="hours_to_ack">0.5 h' in page        # wall clock: 61.5 h
    assert 'data-kpi="hours_to_resolve">2.0 h' in page    # wall clock: 63 h
    assert 'data-kpi="sla">100.0 %' in page


def test_tickets_from_before_the_business_columns_are_filled_in_by_the_job(app, client, token):
    _weekday_calendar(app)
    add_rule(app)
    set_clock(at("2026-12-04T20:00"))
    submit(client, token("EAST-01"), 1, "差")
    run_queue(app)
    ticket_id = rows(app, "SELECT id FROM tickets")[0]["id"]
    set_clock(at("2026-12-07T12:00"))
    login(app.test_client(), "bob").post(f"/tickets/{ticket_id}/status",
                                         data={"action": "resolve"})
    with app.app_context():
        database = db.get_db()
        with db.transaction(database):   # as a ticket resolved before migration 50 looks
            database.execute("UPDATE tickets SET ack_business_minutes = NULL, "
                             "resolve_business_minutes = NULL")
        assert kpis.backfill(database) == 1
        assert kpis.backfill(database) == 0
    assert rows(app, "SELECT ack_business_minutes, resolve_business_minutes FROM tickets") == [
        {"ack_business_minutes": pytest.approx(180, abs=0.5),
         "resolve_business_minutes": pytest.approx(180, abs=0.5)}]
