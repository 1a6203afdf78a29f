"""Figures shaped as the metrics and text services answer them, for the pure engine tests."""
from datetime import date


def _nps(score, n):
    return {"score": score, "promoters": n // 2, "passives": n // 4, "detractors": n // 4,
            "n": n, "ci95": None, "low_base": n < 30}


def _metrics(score, n):
    return {"responses": n, "nps": _nps(score, n),
            "csat": {"mean": 3.9, "top2": 0.66, "n": n, "low_base": n < 30},
            "ces": {"mean": None, "easy": None, "n": 0, "low_base": True}}


def _change(delta=-2.0):
    return {"delta": delta, "p_value": 0.3, "significant": False, "direction": "flat"}


def figures(unit_name="华东区", verbatim="服务很好，上菜快。", topic="service_attitude"):
    change = {"nps": _change(), "csat": _change(0.1), "csat_top2": _change(0.01),
              "ces": _change(None)}
    league = [{"unit": {"code": "EAST-01", "name": unit_name, "name_en": ""},
               **_metrics(20.0, 400), "change": change, "versus_parent": "up", "rank": 1}]
    return {
        "summary": {"indicators": []},
        "compare": {"current": _metrics(12.5, 800), "previous": _metrics(14.5, 790),
                    "previous_from": "2026-10-01", "previous_to": "2026-10-31",
                    "change": change},
        "trend": [{"period": f"2026-{m:02d}", **_metrics(10.0 + m, 700)} for m in range(1, 13)],
        "grain": "month", "league": league,
        "heatmap": {"touchpoints": ["serving"],
                    "rows": [{"unit": league[0]["unit"], "cells": {"serving": {"score": 70}}}]},
        "drivers": {"ok": False, "reason": "low_base", "n": 12, "min_base": 100},
        "touchpoints": [{"key": "serving", "name_zh": "用餐", "name_en": "Dining"}],
        "tag_names": {"service_attitude": "服务态度"},
        "topics": [{"term": topic, "n": 40, "negative": 10, "positive": 30}],
        "hot_words": [{"term": "上菜", "n": 12}],
        "text_total": 50,
        "verbatims": {"positive": [{"text": verbatim, "unit": unit_name, "day": "2026-11-03",
                                    "response_id": 1}],
                      "negative": [{"text": "等位太久了，联系我 13812345678", "unit": unit_name,
                                    "day": "2026-11-04", "response_id": 2}]},
    }


def meta(language="zh_CN", org_name="测试集团", node_name="华东区"):
    return {"org_name": org_name, "logo": "", "language": language, "timezone": "Asia/Shanghai",
            "node": {"code": "EAST", "name": node_name, "name_en": "East"},
            "date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30),
            "generated": "2026-12-01 09:00 (Asia/Shanghai)", "recipient": ""}
