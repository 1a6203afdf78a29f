"""Figures -> the context a report template prints (labels, formatted values, charts).
Pure: no Flask, no database; the wording comes from the message catalogue."""
from ..charts import data_uri
from ..pdf.engine import gettext_for
from ..stats import LOW_BASE
from . import sections
from .redact import representative


def context(kind, figures, meta):
    """meta: {org_name, logo, node, date_from, date_to, previous_from, previous_to,
    language, timezone, generated, recipient}."""
    _ = gettext_for(meta["language"])
    compare = figures["compare"]
    report = {
        "kind": kind, "kind_label": sections.kind_label(kind, _),
        "title": sections.title(kind, meta, _),
        "org": {"name": meta["org_name"] or "Tingjian", "logo": meta.get("logo") or ""},
        "node": {"code": meta["node"]["code"], "name": sections.unit_name(meta["node"], meta)},
        "period": {"label": sections.period_label(meta["date_from"], meta["date_to"], _),
                   "previous_label": sections.period_label(compare["previous_from"],
                                                           compare["previous_to"], _)},
        "generated": meta["generated"], "timezone": meta["timezone"],
        "recipient": meta.get("recipient") or "",
        "kpis": sections.kpis(compare, figures["summary"], _,
                              {**figures, "language": meta["language"]}),
        **_charted(kind, figures, meta, _),
        "method": {"responses": compare["current"]["responses"], "low_base": LOW_BASE,
                   "units": len(figures["league"]) or 1},
    }
    report["headline"] = sections.headline(report, compare, _)
    return report


CHARTED = {   # the sections each template prints: charts are drawn only for those
    "executive": ("indicators", "trend", "league", "movers", "heatmap", "drivers", "topics",
                  "hot_words", "verbatims", "tickets"),
    "unit": ("trend_nps", "drivers_table", "hot_words", "verbatims"),
    "survey": (),
}


def _charted(kind, figures, meta, _):
    """The sections of CHARTED[kind]; the others are empty (nothing rendered twice or unseen)."""
    wanted = set(CHARTED[kind])
    build = {
        "indicators": lambda: sections.indicators(figures["summary"]["indicators"],
                                                  meta["language"]),
        "trend": lambda: sections.trend(figures["trend"], figures["grain"], _,
                                        nps_only="trend_nps" in wanted),
        "league": lambda: sections.league(figures["league"], meta, _),
        "movers": lambda: sections.movers(figures.get("movers"), meta),
        "heatmap": lambda: sections.heatmap(figures["heatmap"], figures["touchpoints"], meta),
        "drivers": lambda: sections.drivers(figures["drivers"], _,
                                            chart="drivers_table" not in wanted),
        "topics": lambda: figures["topics"],
        "topics_chart": lambda: sections.topics_chart(figures["topics"], figures["tag_names"]),
        "hot_words": lambda: [{"word": w["term"], "count": w["n"]}
                              for w in figures["hot_words"][:24]],
        "verbatims": lambda: {tone: [_verbatim(v) for v in representative(figures["verbatims"][tone])]
                              for tone in ("positive", "negative")},
        "tickets": lambda: sections.tickets(figures.get("tickets"), _),
    }
    wanted |= {"trend"} if "trend_nps" in wanted else set()
    wanted |= {"drivers"} if "drivers_table" in wanted else set()
    wanted |= {"topics_chart"} if "topics" in wanted else set()
    empty = {"indicators": [], "topics": [], "hot_words": [], "topics_chart": "",
             "verbatims": {"positive": [], "negative": []},
             "drivers": {"ok": False, "reason": ""}}
    return {name: make() if name in wanted else empty.get(name) for name, make in build.items()}


def _verbatim(item):
    return {"text": item["text"], "unit": item["unit"], "date": item["day"], "score": None}


__all__ = ["context", "data_uri"]
