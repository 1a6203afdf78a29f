"""`cem demo` step for intake integrity: the demo survey's collection rules, a burst held
for review and a detractor who agreed to be called back, all through the real services."""
from ..core.db import query_one
from ..org import lookups
from ..surveys import service as surveys
from . import answers as answer_rules
from . import admission, intake, links

PURPOSE = {"zh_CN": "为安排门店经理回访", "en": "so that the store manager can call you back"}
BURST = 8   # NPS 10 from one address on one store link within seconds
RATINGS = {"q3": 3, "q4": 2, "q5": 3, "q6": 3}


def seed(db, survey, echo=print):
    """Once per database: settings on the survey, a burst (held), a call-back request."""
    if query_one(db, "SELECT 1 FROM responses WHERE survey_id = ? AND held = 1 LIMIT 1",
                 (survey["id"],)):
        return
    stores = sorted(lookups.leaf_units(db), key=lambda u: (u["code"] != "EAST-01", u["path"]))
    store = stores[0] if stores else None
    if store is None:
        return
    _collection_rules(db, survey)
    token = links.shared_link(db, survey["id"], store["id"])["token"]
    for _ in range(BURST):
        _submit(db, token, {"q1": 10, **RATINGS, "q7": 5}, "198.51.100.7")
    _submit(db, token, _callback(), "203.0.113.9")
    echo(f"  intake integrity: {BURST} responses held for review at {store['code']}, "
         "a call-back request with consent")


def _collection_rules(db, survey):
    survey = surveys.get_survey(db, survey["id"])
    values = {k: survey[k] for k in ("name", "opens_at", "closes_at", "quota_total",
                                     "quota_per_unit", "close_message")}
    surveys.update_settings(db, survey, {**values, "device_days": 30,
                                         "contact_purpose": PURPOSE})


def _submit(db, token, answers, ip):
    visit = admission.open_visit(db, token, {})
    clean, errors = answer_rules.check_answers(visit.doc, answers, visit.hidden)
    if errors:
        raise ValueError(f"demo answers do not fit the survey: {errors}")
    intake.complete(db, visit, clean, ip=ip, source="demo")


def _callback():
    return {"q1": 2, "q2": "上菜等了四十分钟，没有人解释。", **RATINGS, "q7": 1,
            "q9": {"name": "陈女士", "phone": "139 1234 5678"}, "q9.consent": True}
