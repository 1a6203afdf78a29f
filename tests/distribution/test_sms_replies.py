"""SMS replies posted by the gateway: signed with the channel's inbound secret; an opt-out
word ("STOP", "TD", "退订", "T", "N", any case, spaces or full-width) opts the contact out of
SMS (audited) so the next wave skips them; any other reply is kept on the contact."""
import hashlib
import hmac
import json

import pytest
from distribution_helpers import import_contacts, invitation_rows, publish_survey, start_and_send, unit

from appliance.core import settings
from appliance.distribution import channels_service, lists, messages, replies, waves
from appliance.org.scope import Scope

SECRET = "reply-secret-42"


@pytest.fixture
def sms(database, gateway):
    """An SMS channel to the loopback gateway, with an inbound secret, and 2 contacts."""
    settings.set_many(database, {"distribution.quiet_start": "", "distribution.quiet_end": ""})
    root = unit(database, "GROUP")
    channel_id = channels_service.save(database, root, "sms", "网关", {
        "url": gateway.url, "body": '{"mobile": "{phone}", "content": "{text}"}',
        "success": '"ok"'}, 1000, secret="key-123", inbound_secret=SECRET)
    template_id = messages.save(database, root, "短信", "sms", {
        "zh_CN": {"text": "{name}您好，请评价：{survey_link}"}, "en": {"text": ""}})
    list_id = import_contacts(database, 2)
    return {"channel_id": channel_id, "template_id": template_id, "list_id": list_id,
            "survey": publish_survey(database)}


def sms_wave(database, sms):
    root = unit(database, "GROUP")
    return waves.create(database, root, "短信波次", sms["survey"],
                        lists.get_list(database, Scope([root["path"]]), sms["list_id"]),
                        {"id": sms["channel_id"], "kind": "sms"},
                        {"id": sms["template_id"], "channel_kind": "sms"}, {"schedule": "now"})


def post_reply(client, channel_id, payload, secret=SECRET):
    body = json.dumps(payload, ensure_ascii=False).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(f"/api/v1/channels/{channel_id}/replies", data=body,
                       headers={"X-Signature": signature, "Content-Type": "application/json"})


@pytest.mark.parametrize("text", ["STOP", "stop", " Stop ", "ＳＴＯＰ", "td", "ＴＤ", "退订",
                                  " 退 订。", "t", "N", "n!", "Ｎ"])
def test_every_form_of_an_opt_out_word_is_recognised(text):
    assert replies.is_stop(text)


@pytest.mark.parametrize("text", ["no", "stop it", "退订吗", "谢谢", "", "NT"])
def test_other_replies_are_not_opt_outs(text):
    assert not replies.is_stop(text)


def test_a_stop_reply_opts_the_contact_out_and_the_next_wave_skips_them(app, database, sms,
                                                                          gateway):
    first = sms_wave(database, sms)
    start_and_send(database)
    assert len(gateway.requests) == 2
    response = post_reply(app.test_client(), sms["channel_id"],
                          {"from": "+86 139-0000-0000", "text": " ＴＤ "})
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "contact": True, "opted_out": True}
    contact_id = invitation_rows(database, first)[0]["contact_id"]
    assert database.execute("SELECT channel FROM contact_optouts WHERE contact_id = ?",
                            (contact_id,)).fetchall()[0][0] == "sms"
    audit = database.execute("SELECT after FROM audit_log WHERE action = 'contact.opt_out'"
                             ).fetchone()
    assert json.loads(audit[0]) == {"channel": "sms", "source": "sms_reply"}
    assert database.execute("SELECT event FROM delivery_log WHERE invitation_id = ? ORDER BY id "
                            "DESC", (invitation_rows(database, first)[0]["id"],)
                            ).fetchone()[0] == "replied"
    second = sms_wave(database, sms)
    start_and_send(database)
    assert len(gateway.requests) == 3
    assert gateway.bodies()[2]["mobile"] == "13900000001"
    statuses = {r["contact_id"]: r["status"] for r in invitation_rows(database, second)}
    assert statuses[contact_id] == "opted_out"


def test_another_reply_is_kept_encrypted_on_the_contacts_timeline(app, as_user, database, sms,
                                                                  gateway):
    sms_wave(database, sms)
    start_and_send(database)
    response = post_reply(app.test_client(), sms["channel_id"],
                          {"from": "13900000001", "text": "<b>几点营业？</b>"})
    assert response.get_json() == {"ok": True, "contact": True, "opted_out": False}
    row = database.execute("SELECT contact_id, text_enc, action FROM contact_replies").fetchone()
    assert row["action"] == "kept" and "营业" not in row["text_enc"]
    assert database.execute("SELECT COUNT(*) FROM contact_optouts").fetchone()[0] == 0
    page = as_user("alice").get(f"/distribution/contacts/{row['contact_id']}").get_data(
        as_text=True)
    assert "&lt;b&gt;几点营业？&lt;/b&gt;" in page and "<b>几点营业" not in page


def test_a_reply_from_an_unknown_number_changes_nothing(app, database, sms):
    response = post_reply(app.test_client(), sms["channel_id"],
                          {"from": "13800000000", "text": "STOP"})
    assert response.get_json() == {"ok": True, "contact": False, "opted_out": False}
    assert database.execute("SELECT COUNT(*) FROM contact_replies").fetchone()[0] == 0


def test_a_reply_with_a_wrong_signature_is_refused_and_nothing_written(app, database, sms):
    response = post_reply(app.test_client(), sms["channel_id"],
                          {"from": "13900000000", "text": "STOP"}, "guessed")
    assert response.status_code == 401
    envelope = response.get_json()   # in the organisation's language: Chinese
    assert envelope["ok"] is False and envelope["error"] == "回复的签名与渠道的回复密钥不符。"
    assert database.execute("SELECT COUNT(*) FROM contact_optouts").fetchone()[0] == 0


def test_a_reply_without_a_sender_is_a_400_naming_the_field(app, sms):
    response = post_reply(app.test_client(), sms["channel_id"], {"text": "STOP"})
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "from"


@pytest.mark.parametrize("body", [b"not json", b"[" * 10_000, b"\xff\xfe", b'{"from": "1"}'])
def test_a_signed_but_unreadable_reply_is_a_400_with_the_envelope(app, sms, body):
    response = app.test_client().post(
        f"/api/v1/channels/{sms['channel_id']}/replies", data=body,
        headers={"X-Signature": hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest(),
                 "Content-Type": "application/json"})
    assert response.status_code == 400 and response.get_json()["ok"] is False


def test_a_reply_to_an_unknown_or_email_channel_is_a_404(app, database, sms):
    email_id = channels_service.save(database, unit(database, "GROUP"), "email", "邮件", {}, 10)
    for channel_id in (email_id, 999):
        assert post_reply(app.test_client(), channel_id, {"from": "1", "text": "T"}
                          ).status_code == 404


def test_a_gateway_that_sends_the_secret_itself_and_a_form_body_is_understood(app, database,
                                                                             sms):
    channel = channels_service.channel_by_id(database, sms["channel_id"])
    config = {**json.loads(channel["config"]), "inbound_auth": "token",
              "inbound_header": "X-Token", "inbound_from": "mobile", "inbound_text": "content"}
    channels_service.save(database, unit(database, "GROUP"), "sms", "网关", config, 1000,
                          channel=channel)
    response = app.test_client().post(
        f"/api/v1/channels/{sms['channel_id']}/replies", headers={"X-Token": SECRET},
        data={"mobile": "13900000000", "content": "退订"})
    assert response.get_json()["opted_out"] is True


def test_the_inbound_secret_is_encrypted_at_rest(database, sms):
    row = database.execute("SELECT config, inbound_secret_enc FROM channels").fetchone()
    assert SECRET not in row[0] + row[1] and row[1].startswith("enc1:")


def test_a_reply_larger_than_16_kb_is_refused_with_a_413(app, sms):
    response = post_reply(app.test_client(), sms["channel_id"],
                          {"from": "13900000000", "text": "x" * 20_000})
    assert response.status_code == 413 and response.get_json()["ok"] is False
