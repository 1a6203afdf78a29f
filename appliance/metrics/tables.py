"""Every dashboard number as a table (shown under its chart, read by screen readers and
exported to CSV/XLSX): {name: {"title", "headers", "rows"}} from a dashboard context."""
from flask_babel import get_locale
from flask_babel import gettext as _


def english():
    return str(get_locale() or "zh_CN").startswith("en")


def _name(unit):
    return (unit.get("name_en") or unit["name"]) if english() else unit["name"]


def _sig(change):
    if not change or not change.get("significant"):
        return ""
    return "▲" if change["direction"] == "up" else "▼"


def _fmt(value, digits=1):
    return "" if value is None else round(value, digits)


def kpis(ctx):
    now, before, change = ctx["compare"]["current"], ctx["compare"]["previous"], \
        ctx["compare"]["change"]
    rows = [[_("Responses"), now["responses"], before["responses"], "", ""],
            ["NPS", _fmt(now["nps"]["score"]), _fmt(before["nps"]["score"]),
             _fmt(change["nps"]["delta"]), _sig(change["nps"])],
            [_("CSAT (mean)"), _fmt(now["csat"]["mean"], 2), _fmt(before["csat"]["mean"], 2),
             _fmt(change["csat"]["delta"], 2), _sig(change["csat"])],
            [_("CSAT top-2 box %"), _pct(now["csat"]["top2"]), _pct(before["csat"]["top2"]),
             _fmt(None if change["csat_top2"]["delta"] is None else
                  change["csat_top2"]["delta"] * 100), _sig(change["csat_top2"])]]
    return {"title": _("Key figures"), "headers": [_("Metric"), _("This period"),
            _("Previous period"), _("Change"), _("Significant (95 %)")], "rows": rows}


def _pct(share):
    return "" if share is None else round(share * 100, 1)


def trend(ctx):
    return {"title": _("Trend"), "headers": [_("Period"), _("Responses"), "NPS", _("CSAT (mean)"),
            _("CSAT top-2 box %")],
            "rows": [[p["period"], p["responses"], _fmt(p["nps"]["score"]),
                      _fmt(p["csat"]["mean"], 2), _pct(p["csat"]["top2"])] for p in ctx["trend"]]}


def league(ctx):
    return {"title": _("League table"), "headers": [_("Rank"), _("Code"), _("Unit"),
            _("Responses"), "NPS", _("Confidence interval") + " (95 %)", _("Change"), _("Significant (95 %)"),
            _("Against the whole"), _("Invitations sent"), _("Response rate %")],
            "rows": [[r["rank"], r["unit"]["code"], _name(r["unit"]), r["responses"],
                      _fmt(r["nps"]["score"]),
                      "" if not r["nps"]["ci95"] else f"{r['nps']['ci95'][0]} – {r['nps']['ci95'][1]}",
                      _fmt(r["change"]["nps"]["delta"]), _sig(r["change"]["nps"]),
                      {"up": _("above"), "down": _("below")}.get(r["versus_parent"], ""),
                      r["response_rate"]["sent"], _pct(r["response_rate"]["rate"])]
                     for r in ctx.get("league", [])]}


def heatmap(ctx):
    heat, names = ctx.get("heatmap") or {"touchpoints": [], "rows": []}, ctx.get("touchpoint_names", {})
    return {"title": _("Touchpoints by unit (top-2 box %)"),
            "headers": [_("Unit")] + [_tp_name(names, t) for t in heat["touchpoints"]],
            "rows": [[_name(r["unit"])] + [_fmt(r["cells"][t]["score"]) for t in heat["touchpoints"]]
                     for r in heat["rows"]]}


def _tp_name(names, key):
    tp = names.get(key)
    if not tp:
        return key
    return (tp["name_en"] or tp["name_zh"]) if english() else tp["name_zh"]


def journey(ctx):
    rows = [[j["name_zh"], s["name_zh"], t["name_zh"], _fmt(t["score"]), _fmt(t["target"]), t["n"],
             _fmt(t["delta"])]
            for j in ctx.get("journey_map", []) for s in j["stages"] for t in s["touchpoints"]]
    return {"title": _("Journey map"), "headers": [_("Journey"), _("Stage"), _("Touchpoint"),
            _("Score"), _("Target"), _("Answers"), _("Change")], "rows": rows}


def indicators(ctx):
    return {"title": _("Indicator system"), "headers": [_("Indicator"), _("Level"), _("Weight"),
            _("Score (0-100)"), _("Target"), _("Status")],
            "rows": [[i["name_zh"], i["level"], "" if i["weight"] is None else i["weight"],
                      _fmt(i["score"]), _fmt(i["target"]), i["rag"]] for i in ctx["indicators"]]}


def drivers(ctx):
    found = ctx.get("drivers") or {}
    return {"title": _("Key drivers"), "headers": [_("Question"), _("Importance %"),
            _("Performance (0-100)")],
            "rows": [[d["text"].get("zh_CN") or d["key"], round(d["importance"] * 100, 1),
                      d["performance"]] for d in found.get("drivers", [])]}


def index_trend(ctx):
    found = ctx.get("index_trend") or {"points": []}
    return {"title": _("Index trend"), "headers": [_("Period"), _("Score (0-100)"), _("Status")],
            "rows": [[p["period"], _fmt(p["score"]), p["rag"]] for p in found["points"]]}


def response_rates(ctx):
    return {"title": _("Response rate by survey"), "headers": [_("Survey"), _("Invitations sent"),
            _("Invitations answered"), _("Response rate %")],
            "rows": [[r["name"], r["sent"], r["responded"], _pct(r["rate"])]
                     for r in ctx.get("rates_by_survey", [])]}


BY_VIEW = {"frontline": (kpis, trend, indicators, drivers),
           "manager": (kpis, trend, league, heatmap, indicators, drivers),
           "executive": (kpis, trend, index_trend, response_rates, journey, league, heatmap, indicators,
                         drivers)}


def for_context(ctx):
    return {fn.__name__: fn(ctx) for fn in BY_VIEW[ctx["view"]]}
