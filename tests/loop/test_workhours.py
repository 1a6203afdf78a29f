"""Business-hours deadlines (pure): working hours, weekends, holidays and make-up days."""
from datetime import datetime, timezone

from appliance.loop import workhours

WEEKDAYS = {str(d): ["09:00", "18:00"] for d in range(5)}
SHANGHAI = "Asia/Shanghai"


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_minutes_count_only_inside_working_hours():
    # Friday 17:00 Shanghai (09:00 UTC) + 2 h = Monday 10:00 Shanghai
    due = workhours.add_business_minutes(at("2026-12-04T09:00"), 120, WEEKDAYS, {}, SHANGHAI)
    assert due == at("2026-12-07T02:00")


def test_a_start_before_opening_counts_from_the_opening():
    due = workhours.add_business_minutes(at("2026-12-07T00:00"), 30, WEEKDAYS, {}, SHANGHAI)
    assert due == at("2026-12-07T01:30")


def test_holidays_are_skipped_and_make_up_days_worked():
    exceptions = {"2026-12-07": "holiday", "2026-12-05": "workday"}
    due = workhours.add_business_minutes(at("2026-12-04T09:00"), 120, WEEKDAYS, exceptions,
                                         SHANGHAI)
    assert due == at("2026-12-05T02:00")   # the make-up Saturday, 10:00 Shanghai


def test_a_calendar_that_is_never_open_falls_back_to_the_clock():
    due = workhours.add_business_minutes(at("2026-12-04T09:00"), 60, {}, {}, SHANGHAI)
    assert due == at("2026-12-04T10:00")


def test_holiday_lines_accept_ranges_and_report_bad_lines():
    found, bad = workhours.parse_days("2026-10-01..2026-10-03 国庆节\n2026-02-30 x\nnonsense\n")
    assert found == {"2026-10-01": "国庆节", "2026-10-02": "国庆节", "2026-10-03": "国庆节"}
    assert bad == ["2026-02-30 x", "nonsense"]
    assert workhours.check_hours({"0": ["18:00", "09:00"], "1": ["09:00", "24:00"]}) == ["0"]
