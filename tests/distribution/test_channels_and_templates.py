"""Channels from the registry and message templates: checked on save (4xx with a message,
nothing written), previewed, test-sent; SMS through a real HTTP gateway on loopback."""
from distribution_helpers import import_contacts, invitation_rows, start_and_send, unit

from appliance.core import settings
from appliance.distribution import channels_service, lists, messages, waves
from appliance.org.scope import Scope


def template_form(text, subject="您好 {name}", html=""):
    return {"name": "T", "unit_id": "1", "zh_CN.subject": subject, "zh_CN.text": text,
            "zh_CN.html": html, "action": "save"}


def count(database, table):
    return database.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_a_template_with_an_unknown_placeholder_or_no_survey_link_is_refused(as_user, database):
    client = as_user("alice")
    unknown = client.post("/distribution/templates/new/email",
                          data=template_form("看这里 {survey_link} {coupon}"))
    assert unknown.status_code == 400 and "{coupon}" in unknown.get_data(as_text=True)
    missing = client.post("/distribution/templates/new/email", data=template_form("没有链接"))
    assert missing.status_code == 400
    assert "must contain the survey link" in missing.get_data(as_text=True)
    assert count(database, "message_templates") == 0


def test_a_template_is_saved_and_previewed_with_escaped_sample_values(as_user, database):
    client = as_user("alice")
    form = template_form("请评价 {survey_link}", html="<p>{name}: <a href=\"{survey_link}\">go</a></p>")
    preview = client.post("/distribution/templates/new/email", data={**form, "action": "preview"})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "https://cx.example.com/s/EXAMPLE-TOKEN" in text
    assert "退订" in text   # the unsubscribe line added to a template without one
    assert client.post("/distribution/templates/new/email", data=form).status_code == 302
    assert count(database, "message_templates") == 1


def test_the_chinese_interface_explains_the_refusal_in_chinese(as_user):
    client = as_user("alice")
    client.post("/language", data={"language": "zh_CN"})
    refused = client.post("/distribution/templates/new/email", data=template_form("没有链接"))
    assert refused.status_code == 400
    assert "消息中必须包含调查链接" in refused.get_data(as_text=True)


def test_a_gateway_url_that_is_not_http_is_refused(as_user, database):
    response = as_user("alice").post("/distribution/channels/new/sms", data={
        "name": "网关", "unit_id": "1", "url": "ftp://gateway.example.com/send", "method": "POST",
        "body": '{"to": "{phone}", "text": "{text}"}', "encoding": "json", "success": "ok",
        "rate_per_second": "10"})
    assert response.status_code == 400
    assert "must start with http:// or https://" in response.get_data(as_text=True)
    assert count(database, "channels") == 0


def test_the_gateway_secret_is_encrypted_at_rest(as_user, database, gateway):
    assert as_user("alice").post("/distribution/channels/new/sms", data={
        "name": "网关", "unit_id": "1", "url": gateway.url, "method": "POST",
        "headers": "Authorization: Bearer {secret}", "body": '{"to": "{phone}", "text": "{text}"}',
        "encoding": "json", "success": "ok", "rate_per_second": "10",
        "secret": "s3cr3t-token"}).status_code == 302
    row = database.execute("SELECT config, secret_enc FROM channels").fetchone()
    assert "s3cr3t-token" not in row[0] + row[1] and row[1].startswith("enc1:")


def sms_wave(database, gateway_url, form=None):
    root = unit(database, "GROUP")
    from distribution_helpers import publish_survey
    channel_id = channels_service.save(database, root, "sms", "网关", {
        "url": gateway_url, "method": "POST", "headers": "X-Api-Key: {secret}",
        "body": '{"mobile": "{phone}", "content": "{text}"}', "encoding": "json",
        "success": '"ok"'}, 1000, secret="key-123")
    template_id = messages.save(database, root, "短信", "sms", {
        "zh_CN": {"text": "{name}您好，请评价：{survey_link}"}, "en": {"text": ""}})
    list_id = import_contacts(database, 2)
    return waves.create(database, root, "短信波次", publish_survey(database),
                        lists.get_list(database, Scope([root["path"]]), list_id),
                        {"id": channel_id, "kind": "sms"}, {"id": template_id, "channel_kind": "sms"},
                        {"schedule": "now", **(form or {})})


def test_an_sms_wave_goes_through_the_gateway_with_the_secret_and_the_opt_out(database, gateway):
    settings.set_many(database, {"distribution.quiet_start": "", "distribution.quiet_end": "",
                                 "org.base_url": "https://cx.example.com"})
    wave_id = sms_wave(database, gateway.url)
    start_and_send(database)
    assert len(gateway.requests) == 2
    first = gateway.requests[0]
    assert first["headers"]["X-Api-Key"] == "key-123"
    body = gateway.bodies()[0]
    assert body["mobile"] == "13900000000" and "https://cx.example.com/s/" in body["content"]
    assert "退订" in body["content"] and "/u/" in body["content"]
    rows = invitation_rows(database, wave_id)
    assert [r["status"] for r in rows] == ["sent", "sent"]
    assert database.execute("SELECT detail FROM delivery_log WHERE event = 'sent'"
                            ).fetchone()[0].startswith("HTTP 200")


def test_a_gateway_that_answers_failure_is_retried_with_its_answer_logged(database, gateway):
    settings.set_many(database, {"distribution.quiet_start": "", "distribution.quiet_end": ""})
    gateway.fail_first = 2
    wave_id = sms_wave(database, gateway.url)
    start_and_send(database)
    rows = invitation_rows(database, wave_id)
    assert [r["status"] for r in rows] == ["scheduled", "scheduled"]
    assert "HTTP 503: busy" in rows[0]["last_error"]


def test_a_test_send_reaches_the_relay(as_user, database, relay):
    root = unit(database, "GROUP")
    channel_id = channels_service.save(database, root, "email", "邮件", {}, 10)
    template_id = messages.save(database, root, "邀请", "email", {
        "zh_CN": {"subject": "测试", "text": "链接 {survey_link}", "html": ""}})
    response = as_user("alice").post(f"/distribution/templates/{template_id}/test", data={
        "channel_id": str(channel_id), "address": "me@example.com", "language": "zh_CN"})
    assert response.status_code == 302 and len(relay.messages) == 1
    assert relay.messages[0].rcpt_tos == ["me@example.com"]


def test_a_customer_channel_registers_like_the_built_in_ones(app):
    from appliance.distribution import channels
    with app.test_request_context():
        assert {"email", "sms"} <= set(channels.registry())
        assert channels.registry()["sms"].FIELDS[0].name == "url"
