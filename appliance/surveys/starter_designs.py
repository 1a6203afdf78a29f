"""Starter survey designs (the designer's "templates"): ready-made survey documents in Chinese
and English.

Each template is a function returning a fresh document valid per definition.validate().
"""
from .definition import SCHEMA_VERSION


def t(zh, en):
    return {"zh_CN": zh, "en": en}


def q(key, kind, zh, en, **options):
    question = {"key": key, "type": kind, "text": t(zh, en), "required": False}
    question.update(options)
    return question


def choices(*pairs):
    return [{"key": key, "text": t(zh, en)} for key, zh, en in pairs]


def page(key, zh, en, questions, **options):
    return {"key": key, "title": t(zh, en), "questions": questions, **options}


def doc(title_zh, title_en, pages, intro=None, hidden=("unit", "channel")):
    document = {"schema": SCHEMA_VERSION, "languages": ["zh_CN", "en"],
                "default_language": "zh_CN", "title": t(title_zh, title_en),
                "thank_you": t("感谢您的反馈，我们会认真倾听。", "Thank you, we are listening."),
                "closed_message": t("本次调查已结束，感谢关注。", "This survey is closed. Thank you."),
                "hidden_fields": list(hidden), "pages": pages}
    if intro:
        document["intro"] = t(*intro)
    return document


def at_most(question, value):
    return {"question": question, "op": "lte", "value": value}


NPS_LABELS = {"low_label": t("完全不可能", "Not at all likely"),
              "high_label": t("极有可能", "Extremely likely")}


def relational_nps():
    return doc("客户关系调研 (NPS)", "Relationship survey (NPS)", [page("p1", "总体评价", "Overall", [
        q("q1", "nps", "您有多大可能向朋友或同事推荐我们？", "How likely are you to recommend us to a "
          "friend or colleague?", required=True, metric="nps", **NPS_LABELS),
    ]), page("p2", "评分原因", "Your reasons", [   # piping shows an answer from an earlier page
        q("q2", "text", "您给出 {{q1}} 分的主要原因是什么？", "What is the main reason for your score "
          "of {{q1}}?", multiline=True, max_length=1000),
        q("q3", "rating", "产品质量", "Product quality", scale=5, style="stars", metric="driver"),
        q("q4", "rating", "服务水平", "Service", scale=5, style="stars", metric="driver"),
        q("q5", "rating", "性价比", "Value for money", scale=5, style="stars", metric="driver"),
    ])], intro=("占用您一分钟，帮助我们做得更好。", "One minute of your time helps us do better."))


def transactional_csat():
    return doc("服务满意度 (CSAT)", "Service satisfaction (CSAT)", [page("p1", "本次服务", "This visit", [
        q("q1", "rating", "您对本次服务的整体满意度如何？", "How satisfied are you with this visit "
          "overall?", required=True, scale=5, style="faces", metric="csat"),
        q("q2", "multiple_choice", "哪些方面做得好？", "What went well?", choices=choices(
            ("speed", "速度快", "Speed"), ("staff", "员工热情", "Friendly staff"),
            ("solved", "问题得到解决", "Problem solved"), ("price", "价格合理", "Fair price"))),
        q("q3", "text", "我们哪里让您失望了？", "Where did we let you down?", multiline=True,
          display_if=at_most("q1", 3)),
    ])], hidden=("unit", "channel", "order_id"))


def ces_service():
    return doc("服务费力度 (CES)", "Customer effort (CES)", [page("p1", "问题处理", "Your request", [
        q("q1", "ces", "解决您的问题有多容易？", "How easy was it to get your issue resolved?",
          required=True, scale=7, metric="ces", low_label=t("非常困难", "Very difficult"),
          high_label=t("非常容易", "Very easy")),
        q("q2", "single_choice", "您的问题解决了吗？", "Was your issue resolved?", required=True,
          choices=choices(("yes", "已解决", "Yes"), ("partly", "部分解决", "Partly"),
                          ("no", "未解决", "No"))),
        q("q3", "text", "哪一步最费力？", "Which step took the most effort?", multiline=True,
          display_if={"any": [at_most("q1", 4), {"question": "q2", "op": "eq", "value": "no"}]}),
    ])], hidden=("unit", "channel", "ticket_id"))


def employee_enps():
    return doc("员工敬业度 (eNPS)", "Employee engagement (eNPS)", [page("p1", "您的工作", "Your work", [
        q("q1", "nps", "您有多大可能推荐朋友来我们公司工作？", "How likely are you to recommend us as "
          "a place to work?", required=True, metric="nps", **NPS_LABELS),
        q("q2", "matrix", "您在多大程度上同意以下说法？", "How far do you agree?", rows=choices(
            ("manager", "我的上级支持我", "My manager supports me"),
            ("growth", "我有成长机会", "I can grow here"),
            ("workload", "我的工作量合理", "My workload is reasonable")),
          scale=[{"value": v, "text": t(zh, en)} for v, zh, en in (
              (1, "很不同意", "Strongly disagree"), (2, "不同意", "Disagree"), (3, "一般", "Neutral"),
              (4, "同意", "Agree"), (5, "很同意", "Strongly agree"))]),
        q("q3", "text", "有什么能让这里成为更好的工作场所？", "What would make this a better place "
          "to work?", multiline=True),
    ])], intro=("本调查匿名进行。", "This survey is anonymous."), hidden=("unit",))


def restaurant_visit():
    touch = [("ordering", "点餐", "Ordering"), ("serving", "上菜", "Serving"),
             ("environment", "用餐环境", "Dining environment"), ("checkout", "结账", "Checkout")]
    ratings = [q(f"q{i}", "rating", f"您对{zh}的满意度", f"Your satisfaction with {en.lower()}",
                 required=True, scale=5, style="stars", touchpoint=key, metric="driver")
               for i, (key, zh, en) in enumerate(touch, start=3)]
    return doc("餐厅就餐体验", "Restaurant visit", [
        page("p1", "总体评价", "Overall", [
            q("q1", "nps", "您有多大可能向亲友推荐本店？", "How likely are you to recommend this "
              "restaurant to friends and family?", required=True, metric="nps", **NPS_LABELS),
        ]),
        page("p2", "就餐环节", "Your visit, step by step", [   # q2 pipes q1 from the page before
            q("q2", "text", "您给了 {{q1}} 分，请告诉我们原因，帮助我们改进。", "You gave us {{q1}}. "
              "Please tell us why, so we can improve.", multiline=True, max_length=1000,
              display_if=at_most("q1", 6))] + ratings + [
            q("q7", "rating", "总体满意度", "Overall satisfaction", required=True, scale=5,
              style="faces", metric="csat")]),
        page("p3", "再次光临", "Next time", [
            q("q8", "single_choice", "您会再次光临吗？", "Will you come back?", choices=choices(
                ("yes", "会", "Yes"), ("maybe", "不确定", "Maybe"), ("no", "不会", "No"))),
            q("q9", "contact", "如需回访，请留下联系方式（选填）", "Leave your details if you would "
              "like us to call you back (optional)", fields=["name", "phone"]),
        ]),
    ], hidden=("unit", "channel", "order_id"))


def mall_journey():
    arrive = {"question": "q1", "op": "eq", "value": "car"}
    return doc("商场购物旅程", "Mall shopping journey", [
        page("p1", "到达", "Arriving", [
            q("q1", "single_choice", "您今天如何到达商场？", "How did you come to the mall today?",
              required=True, choices=choices(("car", "自驾", "By car"), ("metro", "地铁", "Metro"),
                                             ("bus", "公交", "Bus"), ("walk", "步行", "On foot")))]),
        page("p2", "停车", "Parking", [
            q("q2", "ces", "找车位、缴费离场有多容易？", "How easy was parking and paying to leave?",
              required=True, scale=7, touchpoint="parking", metric="ces",
              low_label=t("非常困难", "Very difficult"), high_label=t("非常容易", "Very easy"))],
             display_if=arrive),
        page("p3", "购物", "Shopping", [
            q("q3", "rating", "商品与品牌的丰富程度", "Range of shops and brands", required=True,
              scale=5, style="stars", touchpoint="shopping", metric="driver"),
            q("q4", "matrix", "请评价商场设施", "Rate the facilities", touchpoint="shopping",
              rows=choices(("signage", "导视标识", "Signage"), ("restrooms", "洗手间", "Restrooms"),
                           ("clean", "清洁卫生", "Cleanliness")),
              scale=[{"value": v, "text": t(str(v), str(v))} for v in range(1, 6)])]),
        page("p4", "支付", "Payment", [
            q("q5", "rating", "收银与支付是否便捷？", "How convenient was paying?", required=True,
              scale=5, style="stars", touchpoint="payment", metric="driver"),
            q("q6", "single_choice", "您是否使用了售后服务（退换货、维修）？", "Did you use after-sales "
              "service (returns, repairs)?", required=True,
              choices=choices(("yes", "是", "Yes"), ("no", "否", "No")))],
             skip_to=[{"if": {"question": "q6", "op": "eq", "value": "no"}, "page": "p6"}]),
        page("p5", "售后", "After-sales", [
            q("q7", "rating", "售后服务满意度", "Satisfaction with after-sales", required=True,
              scale=5, style="faces", touchpoint="after_sales", metric="csat")]),
        page("p6", "总体", "Overall", [
            q("q8", "nps", "您有多大可能向亲友推荐本商场？", "How likely are you to recommend this mall?",
              required=True, metric="nps", **NPS_LABELS)]),
        page("p7", "您的建议", "Your suggestions", [
            q("q9", "text", "您给了 {{q8}} 分，我们最该改进什么？", "You gave {{q8}}: what should we "
              "improve first?", multiline=True, display_if=at_most("q8", 6)),
            q("q10", "date", "您的到访日期", "Date of your visit")]),
    ], hidden=("unit", "channel"))


TEMPLATES = {  # key -> (name, description, builder)
    "relational_nps": (t("客户关系 NPS", "Relationship NPS"),
                       t("定期衡量客户忠诚度与驱动因素", "Loyalty and its drivers, asked periodically"),
                       relational_nps),
    "transactional_csat": (t("交易后满意度 CSAT", "Transactional CSAT"),
                           t("每次服务或购买后的满意度", "Satisfaction after each visit or purchase"),
                           transactional_csat),
    "ces_service": (t("服务费力度 CES", "Customer effort (CES)"),
                    t("客服或办理业务后的费力程度", "Effort after a service request"), ces_service),
    "employee_enps": (t("员工 eNPS", "Employee eNPS"),
                      t("员工推荐度与敬业度", "Employee advocacy and engagement"), employee_enps),
    "restaurant_visit": (t("餐厅就餐体验", "Restaurant visit"),
                         t("点餐 > 上菜 > 用餐环境 > 结账", "Ordering > serving > dining > checkout"),
                         restaurant_visit),
    "mall_journey": (t("商场购物旅程", "Mall journey"),
                     t("停车 > 购物 > 支付 > 售后", "Parking > shopping > payment > after-sales"),
                     mall_journey),
}


def build(key):
    """A fresh document for the template key (KeyError when unknown)."""
    return TEMPLATES[key][2]()
