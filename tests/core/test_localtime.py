"""Times shown to a person are in the organisation's time zone, labelled; storage stays UTC."""
from appliance.core import db, localtime, settings


def test_a_utc_instant_is_shown_in_the_zone_asked_for():
    assert localtime.local_time("2026-01-31T16:30:00.000000Z", zone="Asia/Shanghai") == \
        "2026-02-01 00:30"
    assert localtime.local_time("2026-07-01T12:00:00Z", "date", zone="Europe/London") == "2026-07-01"
    assert localtime.local_time(None) == ""
    assert localtime.offset_label("Asia/Shanghai") == "UTC+08:00 Asia/Shanghai"


def test_the_audit_log_shows_local_times_and_says_which_zone(app, as_user):
    with app.app_context():
        database = db.get_db()
        with db.transaction(database):
            settings.set_many(database, {"org.timezone": "Asia/Shanghai"})
            database.execute("UPDATE audit_log SET at = '2026-03-01T23:15:00.000000Z'")
            database.execute("INSERT INTO audit_log (at, username, action, entity, entity_id) "
                             "VALUES ('2026-03-01T23:15:00.000000Z', 'system', 'unit.create', "
                             "'unit', '1')")
    page = as_user("alice").get("/org/audit").get_data(as_text=True)
    assert "2026-03-02 07:15:00" in page and "2026-03-01 23:15" not in page
    assert "UTC+08:00 Asia/Shanghai" in page
