"""The registry of domains, seen from a fresh interpreter exactly as `cem` and the server see it."""
import ast
import json
import os
import subprocess
import sys

from babel.messages.pofile import read_po
from collection_helpers import FULL, publish_survey

from appliance import domains
from appliance.collection import links
from appliance.core import crypto, db
from appliance.core.config import REPO_ROOT

PACKAGE = REPO_ROOT / "appliance"
CATALOGUE = PACKAGE / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def fresh_interpreter(code, env=None):
    """Run code in a new Python process (nothing imported by this test process leaks in)."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, timeout=120, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def registry_in_a_fresh_process():
    return json.loads(fresh_interpreter(
        "import json\nfrom appliance import domains\nr = domains.load()\n"
        "print(json.dumps({'columns': [[c.table, c.column] for c in r.encrypted_columns],"
        " 'events': sorted(r.events), 'subscribed': sorted({s.event for s in r.subscribers}),"
        " 'labels': sorted(r.audit_labels)}))"))


def schema_columns(tmp_path):
    database = db.connect(tmp_path / "schema.db")
    db.migrate(database, REPO_ROOT / "migrations")
    return {(table, column["name"]) for table in database.table_names()
            for column in database.execute(f"PRAGMA table_info({table})").fetchall()}


def test_every_encrypted_column_in_the_schema_is_registered(tmp_path):
    registered = {tuple(c) for c in registry_in_a_fresh_process()["columns"]}
    encrypted = {(t, c) for t, c in schema_columns(tmp_path) if c.endswith("_enc")}
    assert encrypted and encrypted == registered


def _source_trees():
    for path in PACKAGE.rglob("*.py"):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _calls(tree, owner, name):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == name and isinstance(node.func.value, ast.Name)
                and node.func.value.id == owner):
            yield node


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def audit_actions_in_code():
    """Action codes passed to audit.record, literally or through an `action` parameter."""
    actions = set()
    for _path, tree in _source_trees():
        for call in _calls(tree, "audit", "record"):
            actions.add(_literal(call.args[1]) if len(call.args) > 1 else None)
            actions.update(_literal(k.value) for k in call.keywords if k.arg == "action")
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "action":
                actions.add(_literal(node.value))
            if isinstance(node, ast.arguments):
                names = node.args[-len(node.defaults):] if node.defaults else []
                actions.update(_literal(d) for a, d in zip(names, node.defaults) if a.arg == "action")
    return {a for a in actions if a and "." in a}


def test_every_audit_action_has_a_label_in_both_languages():
    labels = set(registry_in_a_fresh_process()["labels"])
    actions = audit_actions_in_code()
    assert actions and actions <= labels, f"unlabelled: {sorted(actions - labels)}"
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle)
    for code, label in domains.load().audit_labels.items():
        message = catalogue.get(label._args[0])
        assert message is not None and message.string, f"{code}: no Chinese label"


def test_every_event_is_declared_by_its_publisher_and_every_subscriber_has_one():
    published = {_literal(call.args[1]) for _path, tree in _source_trees()
                 for call in _calls(tree, "events", "publish")}
    registry = registry_in_a_fresh_process()
    assert published and published == set(registry["events"])
    assert set(registry["subscribed"]) <= published


def _distribution_personal_fields(database):
    """A contact (name, email, phone), an SMS gateway's secrets (sending, replies) and a
    reply: distribution's columns."""
    from appliance.distribution import channels_service, importer, replies
    from appliance.org import units as units_service
    root = units_service.get_unit_by_code(database, "GROUP")
    importer.import_contacts(database, "c.csv", "name,email,phone\n李雷,l@x.cn,13800000009\n"
                             .encode(), root, {})
    channel_id = channels_service.save(database, root, "sms", "gateway", {
        "url": "http://127.0.0.1:9/sms", "body": "{text}", "success": "ok"}, 10, secret="key",
        inbound_secret="reply-key")
    replies.receive(database, channels_service.channel_by_id(database, channel_id),
                    "13800000009", "几点开门？")


def test_cem_rotate_keys_in_a_fresh_process_reencrypts_every_personal_field(app, client):
    survey = publish_survey(app)
    with app.app_context():
        database = db.get_db()
        with db.transaction(database):
            links.create_invitations(database, survey["id"], [{"name": "韩梅梅", "email": "h@x.cn"}])
        _distribution_personal_fields(database)
    token = _shared_token(app, survey["id"])
    submitted = client.post("/api/v1/responses", json={"token": token, "answers": FULL})
    assert submitted.status_code == 201, submitted.get_data(as_text=True)
    _report_subscription_to(app, "board@example.com")
    fresh_interpreter("from appliance.cli import main\nmain(['rotate-keys'])",
                      env={"TINGJIAN_DATA_DIR": app.config["DATA_DIR"]})
    only_new = _only_the_active_key(app.config["DATA_DIR"])
    seen = {}
    with app.app_context():
        for column in domains.load().encrypted_columns:
            values = [r[0] for r in db.get_db().execute(
                f"SELECT {column.column} FROM {column.table} WHERE {column.column} != ''")]
            seen[f"{column.table}.{column.column}"] = [only_new.decrypt(v) for v in values]
    assert all(seen.values()), seen
    assert "韩梅梅" in seen["links.contact_enc"][0] and "王小明" in seen["responses.contact_enc"][0]
    again = client.post("/api/v1/responses", json={"token": token, "answers": FULL})
    with app.app_context():
        newest = db.get_db().execute("SELECT contact_enc FROM responses WHERE id = ?",
                                     (again.get_json()["response_id"],)).fetchone()[0]
    assert only_new.key_id_of(newest) == only_new.active   # the running app took the new key


def _report_subscription_to(app, address):
    """An external report recipient and its delivery row (report_recipients, report_deliveries)."""
    from appliance.org.scope import Scope
    from appliance.reports import runs, subscriptions
    with app.app_context():
        database = db.get_db()
        group = database.execute("SELECT path FROM units WHERE code = 'GROUP'").fetchone()[0]
        values = subscriptions.read(database, {
            "name": "weekly", "report_type": "executive", "node": "GROUP",
            "schedule": "weekly mon 08:00", "period": "last_week", "language": "en",
            "emails": address}, Scope([group]))
        subscriptions.create(database, values, None)
        with db.transaction(database):
            database.execute("UPDATE report_subscriptions SET next_run_at = '2000-01-01T00:00:00Z'")
        runs.plan_due(database)


def _shared_token(app, survey_id):
    with app.app_context():
        return links.shared_link(db.get_db(), survey_id)["token"]


def _only_the_active_key(data_dir):
    ring = crypto.Keyring.load(data_dir)
    return crypto.Keyring(ring.active, {ring.active: ring.keys[ring.active]})
