"""Contacts through the staff pages: import (UTF-8, BOM, GBK, XLSX), all or nothing with the
bad rows listed, upsert by email or phone, encrypted at rest, export audit-logged, erasure."""
import io

from distribution_helpers import (contacts_csv, email_wave, import_contacts, invitation_rows,
                                  start_and_send, unit)
from openpyxl import Workbook

from appliance.distribution import keys


def upload(client, name, raw, unit_id, list_name=""):
    return client.post("/distribution/contacts/import", data={
        "file": (io.BytesIO(raw), name), "unit_id": str(unit_id), "list_name": list_name},
        content_type="multipart/form-data")


def count(database):
    return database.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]


def test_a_csv_in_utf8_with_bom_or_gbk_imports_and_nothing_is_stored_in_plain(
        as_user, database):
    client, group = as_user("alice"), unit(database, "GROUP")["id"]
    assert upload(client, "a.csv", contacts_csv(2), group).status_code == 302
    gbk = "姓名,手机,门店\n王芳,13800000001,EAST-02\n".encode("gbk")
    assert upload(client, "b.csv", gbk, group).status_code == 302
    bom = "\ufeffname,email\nLi,li@example.com\n".encode("utf-8")
    assert upload(client, "c.csv", bom, group, list_name="VIP").status_code == 302
    assert count(database) == 4
    raw = " ".join(str(tuple(r)) for r in database.execute("SELECT * FROM contacts"))
    assert "guest0@example.com" not in raw and "王芳" not in raw and "13800000001" not in raw
    page = client.get("/distribution/contacts").get_data(as_text=True)
    assert "王芳" in page and "guest1@example.com" in page and "VIP" in page


def test_an_xlsx_imports_and_a_second_import_updates_by_email_or_phone(as_user, database):
    client, group = as_user("alice"), unit(database, "GROUP")["id"]
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "email", "phone", "level"])
    sheet.append(["张三", "zhang@example.com", "13900000001", "silver"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert upload(client, "a.xlsx", buffer.getvalue(), group).status_code == 302
    again = "name,phone,level\n张三丰,+86 139-0000-0001,gold\n".encode()
    assert upload(client, "b.csv", again, group).status_code == 302
    assert count(database) == 1
    row = database.execute("SELECT attributes, name_enc FROM contacts").fetchone()
    assert "gold" in row[0] and keys.keyring().decrypt(row[1]) == "张三丰"


def test_a_file_with_bad_rows_changes_nothing_and_lists_them(as_user, database):
    client, group = as_user("alice"), unit(database, "GROUP")["id"]
    bad = ("name,email,phone,unit\nok,ok@example.com,,\nbad,not-an-email,,\n"
           "nobody,,,\nfar,far@example.com,,NOWHERE\n").encode()
    response = upload(client, "bad.csv", bad, group)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported: 3 rows need correcting" in text
    assert "not-an-email" in text and "NOWHERE" in text
    assert count(database) == 0


def test_a_10_mb_cell_is_refused(as_user, database):
    client, group = as_user("alice"), unit(database, "GROUP")["id"]
    huge = b"name,email\n" + b"x" * (10 * 1024 * 1024) + b",a@example.com\n"
    boundary = "----tingjian-test"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"unit_id\"\r\n\r\n{group}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"h.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + huge + f"\r\n--{boundary}--\r\n".encode()
    response = client.post("/distribution/contacts/import", data=body,   # bytes: no spooled file
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400 and "cannot be read" in response.get_data(as_text=True)
    assert count(database) == 0


def test_contact_data_is_escaped_on_the_pages(as_user, database):
    client, group = as_user("alice"), unit(database, "GROUP")["id"]
    raw = 'name,email,note\n<img src=x onerror=alert(1)>,x@example.com,<b>hi</b>\n'.encode()
    assert upload(client, "x.csv", raw, group).status_code == 302
    page = client.get("/distribution/contacts").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page and "<b>hi</b>" not in page


def test_a_unit_manager_sees_no_contacts_of_another_unit(as_user, database):
    import_contacts(database, 2, unit_code="SOUTH-01")
    contact_id = database.execute("SELECT id FROM contacts LIMIT 1").fetchone()[0]
    assert as_user("bob").get("/distribution/contacts").status_code == 403
    assert as_user("alice").get(f"/distribution/contacts/{contact_id}").status_code == 200


def test_the_export_is_audit_logged_and_safe_from_formulas(as_user, database):
    client, group = as_user("alice"), unit(database, "GROUP")["id"]
    assert upload(client, "f.csv", b"name,email\n=HYPERLINK(1),f@example.com\n",
                  group).status_code == 302
    exported = client.get("/distribution/contacts/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in exported and "f@example.com" in exported
    assert database.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'export.contacts'"
                            ).fetchone()[0] == 1


def test_erasing_a_contact_removes_their_invitations_personal_data(as_user, database, relay):
    list_id = import_contacts(database, 1)
    wave_id = email_wave(database, list_id)
    start_and_send(database)
    contact_id = database.execute("SELECT id FROM contacts").fetchone()[0]
    link_id = invitation_rows(database, wave_id)[0]["link_id"]
    assert database.execute("SELECT contact_enc FROM links WHERE id = ?", (link_id,)).fetchone()[0]
    assert as_user("alice").post(f"/distribution/contacts/{contact_id}/erase").status_code == 302
    assert count(database) == 0
    assert database.execute("SELECT contact_enc FROM links WHERE id = ?",
                            (link_id,)).fetchone()[0] == ""
    assert invitation_rows(database, wave_id)[0]["contact_id"] is None
    assert database.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.erase'"
                            ).fetchone()[0] == 1


def test_a_segment_on_history_selects_last_times_detractors(as_user, database, relay):
    from appliance.distribution import lists
    from appliance.org.scope import Scope
    import_contacts(database, 3)
    database.execute("UPDATE contacts SET attributes = '{\"level\": \"silver\"}' WHERE id = "
                     "(SELECT MIN(id) FROM contacts)")
    root = unit(database, "GROUP")
    wave_id = email_wave(database, lists.by_name(database, root, "测试名单")["id"])
    start_and_send(database)
    first, second, _third = invitation_rows(database, wave_id)
    database.execute("UPDATE invitations SET responded_at = '2026-01-01T00:00:00.000000Z', nps = 3 "
                     "WHERE id = ?", (first["id"],))
    database.execute("UPDATE invitations SET responded_at = '2026-01-01T00:00:00.000000Z', nps = 10 "
                     "WHERE id = ?", (second["id"],))
    scope = Scope([root["path"]])
    detractors = lists.get_list(database, scope, lists.create(
        database, root, "贬损者", "segment", {"last_nps": "detractor"}))
    gold = lists.get_list(database, scope, lists.create(
        database, root, "金卡", "segment", {"attribute": "level", "value": "gold"}))
    assert lists.count_members(database, detractors) == 1
    assert lists.count_members(database, gold) == 2
