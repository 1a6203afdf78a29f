"""`cem demo` step: alert rules, the SLA calendar, a follow-up survey, and tickets opened
at once from the most recent demo detractors (their texts analysed, their alerts raised
through the same services as live intake)."""
from werkzeug.datastructures import MultiDict

from ..collection import responses_query
from ..core.db import query_all, query_one
from ..org import units as units_service
from ..org.scope import Scope
from ..surveys import service as surveys
from ..surveys.starter_designs import NPS_LABELS, choices, doc, page, q
from . import alerting, followup, rules, sla, tickets

FOLLOWUP_NAME = "问题解决回访 (demo)"
HOURS = {str(day): ["10:00", "22:00"] for day in range(7)}
DAYS_2026 = {  # examples to edit per year: Chinese public holidays are published each year
    "2026-01-01": ("holiday", "元旦"), "2026-02-17": ("holiday", "春节"),
    "2026-02-18": ("holiday", "春节"), "2026-10-01": ("holiday", "国庆节"),
    "2026-10-02": ("holiday", "国庆节"), "2026-02-14": ("workday", "春节调休"),
}
RULES = [
    {"name": "差评或敏感词 → 工单 (Detractor or sensitive word)", "match": "any",
     "conditions": [{"kind": "detractor"}, {"kind": "sensitive", "categories": []}],
     "open_ticket": 1, "priority": "high", "recipient_roles": ["unit_manager@0"]},
    {"name": "监管/媒体风险 (Regulator or media)", "match": "any",
     "conditions": [{"kind": "sensitive", "categories": ["regulator", "media", "legal",
                                                         "food_safety"]}],
     "open_ticket": 0, "priority": "urgent",
     "recipient_roles": ["unit_manager@0", "unit_manager@1"]},
    {"name": "负面评价摘要 (Negative comments digest)", "match": "all",
     "conditions": [{"kind": "sentiment"}, {"kind": "score", "metric": "csat", "max": 2}],
     "open_ticket": 0, "priority": "normal", "recipient_roles": ["unit_manager@1"],
     "digest_minutes": 60},
    {"name": "门店 NPS 下滑 (Store NPS falling)", "match": "all",
     "conditions": [{"kind": "nps_drop", "points": 15}], "open_ticket": 0, "priority": "high",
     "recipient_roles": ["unit_manager@1"]},
]
CAUSES = ("waiting_time", "staff_attitude", "product_quality", "hygiene")


def _followup_document():
    return doc("问题解决回访", "Did we put it right?", [page("p1", "回访", "Follow-up", [
        q("resolved", "single_choice", "您反映的问题解决了吗？", "Was your problem resolved?",
          required=True, choices=choices(("yes", "解决了", "Yes"), ("no", "没有", "No"))),
        q("q2", "nps", "您现在有多大可能向朋友推荐我们？", "How likely are you now to recommend us?",
          metric="nps", **NPS_LABELS),
    ])])


def seed(db, options, echo=print):
    root = units_service.root_unit(db)
    if not query_one(db, "SELECT 1 FROM alert_rules LIMIT 1"):
        for rule in RULES:
            rules.create(db, {"unit_id": root["id"], "survey_id": None, "touchpoint": "",
                              "notify_email": 1, "notify_app": 1, "recipient_users": [],
                              "digest_minutes": 0, **rule})
        sla.save_calendar(db, root, HOURS, DAYS_2026)
        echo(f"alert rules: {len(RULES)}; working calendar 10:00-22:00 daily with 2026 holidays")
    if not followup.survey_id(db):
        survey = surveys.create(db, root, FOLLOWUP_NAME, document=_followup_document())
        surveys.publish(db, survey)
        followup.configure(db, survey["id"], None)
    recent = _latest_detractors(db, root, 25)
    if recent:
        from ..text import pipeline
        pipeline.sync_responses(db, recent)   # analyses them and publishes text.response_analysed
        raised = alerting.evaluate_responses(db, recent)
        echo(f"tickets and alerts from the {len(recent)} latest detractors: {len(raised)} alerts")
        _work_some(db)
    return []


def _latest_detractors(db, root, limit):
    """Ids of the latest complete responses with NPS <= 6 (collection's list service)."""
    filters = responses_query.read_filters(MultiDict({"metric": "nps", "score_max": "6"}))
    rows, _more = responses_query.list_responses(db, Scope([root["path"]]), filters)
    return [row["id"] for row in rows[:limit]]


def _work_some(db):
    """Some tickets already handled, so the closed-loop KPIs show figures from the start."""
    opened = query_all(db, "SELECT * FROM tickets WHERE status = 'open' ORDER BY id")
    for n, ticket in enumerate(opened):
        if n % 2:
            continue
        ticket = tickets.change_status(db, ticket, "acknowledge", None)
        if n % 4 == 0:
            tickets.set_root_cause(db, ticket, CAUSES[n // 4 % len(CAUSES)], None)
            tickets.change_status(db, ticket, "resolve", None)
