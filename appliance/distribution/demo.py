"""`cem demo` step: contacts, a list, a segment, an email and an SMS channel, templates, a
monthly relationship wave and a triggered (transactional) wave."""
import random

from ..core.db import query_one
from ..collection.demo import demo_survey
from ..org import lookups
from ..org import units as units_service
from ..org.scope import Scope
from . import channels_service, demo_sends, importer, lists, messages, waves
from .channels_views import _starter

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛"]
LEVELS = ["普通", "银卡", "金卡"]


def _csv(stores, count, rng):
    lines = ["name,email,phone,unit,language,level,city"]
    for n in range(count):
        code, city = rng.choice(stores)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if n % 3 else "")
        language = "en" if n % 7 == 0 else "zh_CN"
        lines.append(f"{name},guest{n:04d}@demo.tingjian.local,138{n:08d},{code},{language},"
                     f"{rng.choice(LEVELS)},{city}")
    return "\n".join(lines).encode("utf-8")


def seed(db, options, echo=print):
    if query_one(db, "SELECT 1 FROM contact_lists WHERE name = '会员 (demo)'"):
        echo("demo contacts already present")
        return []
    rng = random.Random(13)
    root = units_service.root_unit(db)
    stores = [(r["code"], r["name"][:2]) for r in lookups.leaf_units(db)]
    members = lists.create(db, root, "会员 (demo)", "static")
    units = {u["code"]: u for u in units_service.list_units(db, Scope([root["path"]]))}
    created, _updated = importer.import_contacts(db, "demo.csv", _csv(stores, 300, rng), root,
                                                 units, members)
    lists.create(db, root, "金卡会员 (demo)", "segment", {"conditions": [
        {"attribute": "level", "op": "equals", "value": "金卡"}]})
    lists.create(db, root, "银卡或金卡、近期未答 (demo)", "segment", {
        "match": "all", "not_responded_days": 90,
        "conditions": [{"attribute": "level", "op": "in", "value": "银卡, 金卡"}]})
    lists.create(db, root, "上次贬损者 (demo)", "segment", {"last_nps": "detractor"})
    email = channels_service.save(db, root, "email", "邮件 (SMTP 中继)", {"sender_name": "味道餐饮"}, 20)
    sms = channels_service.save(db, root, "sms", "短信网关 (demo)", {
        "url": "http://127.0.0.1:9009/sms", "method": "POST",
        "headers": "Authorization: Bearer {secret}", "body": '{"to": "{phone}", "text": "{text}"}',
        "encoding": "json", "success": "ok"}, 10, secret="demo-gateway-key",
        inbound_secret="demo-reply-secret")
    email_template = messages.save(db, root, "就餐体验邀请 (邮件)", "email", _starter("email"))
    sms_template = messages.save(db, root, "就餐体验邀请 (短信)", "sms", _starter("sms"))
    survey, _version = demo_survey(db)
    scope = Scope([root["path"]])
    monthly = waves.create(
        db, root, "月度关系 NPS (demo)", survey, lists.get_list(db, scope, members),
        {"id": email, "kind": "email"}, {"id": email_template, "channel_kind": "email"},
        {"schedule": "cron", "cron": "0 10 1 * *", "reminder_days": "3", "reminder_max": "1"})
    waves.create(db, root, "结账后短信 (demo)", survey, None, {"id": sms, "kind": "sms"},
                 {"id": sms_template, "channel_kind": "sms"},
                 {"schedule": "trigger", "delay_minutes": "120", "window_start": "09:00",
                  "window_end": "21:00", "sampling_percent": "50", "per_contact_days": "30"})
    sent, answered = demo_sends.send_and_answer(db, monthly)
    echo(f"demo distribution: {created} contacts, a list, three segments, a monthly email wave "
         f"({sent} invitations of its latest run recorded as sent, {answered} answered) "
         f"and a triggered SMS wave; the gateway posts replies to /api/v1/channels/{sms}/replies "
         f"signed with the inbound secret demo-reply-secret")
    return []
