"""Helpers for the distribution tests: a published NPS survey, the SMTP relay setting, a
loopback SMS gateway, contacts and a wave built through the services."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from appliance.core import db, settings
from appliance.distribution import (channels_service, importer, lists, messages, sending,
                                    waves)
from appliance.distribution.channels_views import _starter
from appliance.org import units as units_service
from appliance.surveys import service as surveys

NPS_DOC = {
    "schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
    "title": {"zh_CN": "推荐度", "en": "Recommend"},
    "thank_you": {"zh_CN": "谢谢！", "en": "Thanks!"},
    "hidden_fields": ["unit", "channel", "order_id"],
    "pages": [{"key": "p1", "title": {"zh_CN": "总体", "en": "Overall"}, "questions": [
        {"key": "q1", "type": "nps", "text": {"zh_CN": "推荐可能性", "en": "Recommend?"},
         "required": True, "metric": "nps"}]}],
}


def unit(database, code):
    return units_service.get_unit_by_code(database, code)


def publish_survey(database, code="GROUP"):
    survey = surveys.create(database, unit(database, code), "NPS 邀请", document=NPS_DOC)
    surveys.publish(database, survey)
    return surveys.get_survey(database, survey["id"])


def use_relay(database, port):
    settings.set_many(database, {"smtp.host": "127.0.0.1", "smtp.port": port,
                                 "smtp.security": "none", "smtp.sender": "cx@example.com",
                                 "org.base_url": "http://cx.example.com"})


def contacts_csv(count, unit_code="EAST-01", start=0, extra=""):
    lines = ["name,email,phone,unit,language,level" + ("," + extra if extra else "")]
    for n in range(start, start + count):
        lines.append(f"客人{n},guest{n}@example.com,1390000{n:04d},{unit_code},zh_CN,gold")
    return "\n".join(lines).encode()


def import_contacts(database, count, list_name="测试名单", unit_code="EAST-01", start=0):
    root = unit(database, "GROUP")
    found = lists.by_name(database, root, list_name)
    list_id = found["id"] if found else lists.create(database, root, list_name, "static")
    everyone = {u["code"]: u for u in units_service.list_units(
        database, __import__("appliance.org.scope", fromlist=["Scope"]).Scope([root["path"]]))}
    importer.import_contacts(database, "t.csv", contacts_csv(count, unit_code, start), root,
                             everyone, list_id)
    return list_id


def email_wave(database, list_id, form=None, rate=10_000, template=None, survey=None):
    root = unit(database, "GROUP")
    survey = survey or publish_survey(database)
    channel_id = channels_service.save(database, root, "email", "邮件", {"sender_name": "测试"},
                                       rate)
    template_id = messages.save(database, root, "邀请", "email", template or _starter("email"))
    scope = __import__("appliance.org.scope", fromlist=["Scope"]).Scope([root["path"]])
    return waves.create(database, root, "测试波次", survey, lists.get_list(database, scope, list_id),
                        {"id": channel_id, "kind": "email"},
                        {"id": template_id, "channel_kind": "email"},
                        {"schedule": "now", **(form or {})})


def start_and_send(database, **kw):
    """What the job runner's ticks do: due waves become invitations, due invitations go out."""
    waves.claim_due_runs(database)
    waves.build_pending_runs(database)
    return sending.send_due(database, **kw)


class Gateway:
    """A real HTTP server on loopback standing in for the enterprise's SMS gateway."""

    def __init__(self, fail_first=0, answer=b'{"result": "ok"}'):
        self.requests, self.fail_first, self.answer = [], fail_first, answer
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with gateway.lock:
                    failing = gateway.fail_first > 0
                    gateway.fail_first -= 1 if failing else 0
                    if not failing:
                        gateway.requests.append({"path": self.path, "headers": dict(self.headers),
                                                 "body": body.decode()})
                status, answer = (503, b"busy") if failing else (200, gateway.answer)
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self):
        return [json.loads(r["body"]) for r in self.requests]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def invitation_rows(database, wave_id):
    return [dict(r) for r in database.execute("SELECT * FROM invitations WHERE wave_id = ? "
                                              "ORDER BY id", (wave_id,))]


def app_db(app):
    return db.connect(app.config["DATABASE"])
