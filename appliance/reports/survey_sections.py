"""The survey report's question pages from survey_figures.gather: pure (no Flask, no
database). Scale questions share one stacked chart; NPS, choice, matrix, ranking, number and
open-text questions each get a block in survey order, drawn as CSS bars and tables (typeset
by WeasyPrint in the report font, so Chinese labels wrap like text)."""
import re

from .. import charts, stats
from ..pdf.formatting import number, percent
from .redact import representative

SCALES = ("rating", "ces")
EXCERPTS = 6


PIPED = re.compile(r"\{\{[^{}]*\}\}")


def text_of(value, language, fallback=""):
    """A survey text in the report's language, piping placeholders ({{q1}}) shown as …"""
    if isinstance(value, dict):
        value = value.get(language) or value.get("zh_CN") or next(iter(value.values()), fallback)
    return PIPED.sub("…", str(value)) if value else fallback


def _share(part, n):
    return part / n if n else None


def _bands(cell):
    n = cell["n"]
    return [cell["bottom"] / n, max(0.0, 1 - (cell["top"] + cell["bottom"]) / n), cell["top"] / n]


def _scale_max(question):
    scale = question.get("scale")
    if isinstance(scale, list):
        return max(point["value"] for point in scale)
    return scale or (7 if question["type"] == "ces" else 5)


def scale_row(question, cell, label):
    return {"key": question["key"], "text": label, "n": cell["n"],
            "mean": number(cell["total"] / cell["n"], 2), "scale": _scale_max(question),
            "shares": _bands(cell)}


def nps_block(question, cell, label, _):
    result = stats.nps_of(cell["top"], cell["n"] - cell["top"] - cell["bottom"], cell["bottom"])
    parts = [(_("Detractors (0–6)"), "bad", result.detractors),
             (_("Passives (7–8)"), "amber", result.passives),
             (_("Promoters (9–10)"), "good", result.promoters)]
    return {"kind": "nps", "text": label, "n": result.n, "score": number(result.score),
            "low_base": result.low_base,
            "segments": [{"label": name, "tone": tone, "count": count,
                          "share": _share(count, result.n)} for name, tone, count in parts]}


def choice_block(question, cells, label, language, _):
    n = max((cells.get(f"{question['key']}={c['key']}") or {"n": 0})["n"]
            for c in question.get("choices", [])) if question.get("choices") else 0
    if not n:
        return None
    rows = []
    for choice in question.get("choices", []):
        cell = cells.get(f"{question['key']}={choice['key']}") or {"top": 0}
        name = text_of(choice.get("text"), language, choice["key"])
        if choice["key"] == "other" and not name:
            name = _("Other")
        rows.append({"label": name, "count": cell["top"], "share": _share(cell["top"], n)})
    multiple = question["type"] == "multiple_choice"
    if not multiple:
        rows.sort(key=lambda r: -r["count"])
    return {"kind": "multiple" if multiple else "choice", "text": label, "n": n, "rows": rows,
            "low_base": stats.is_low_base(n)}


def matrix_block(question, cells, label, language):
    rows = []
    for row in question.get("rows", []):
        cell = cells.get(f"{question['key']}.{row['key']}")
        if cell and cell["n"]:
            rows.append({**scale_row(question, cell, text_of(row.get("text"), language,
                                                               row["key"])),
                         "low_base": stats.is_low_base(cell["n"])})
    return {"kind": "matrix", "text": label, "rows": rows, "scale": _scale_max(question)} \
        if rows else None


def ranking_block(question, found, label, language):
    if not found or not found["n"]:
        return None
    names = {c["key"]: text_of(c.get("text"), language, c["key"])
             for c in question.get("choices", [])}
    rows = [{"label": names.get(key, key), "mean": sum(ranks) / len(ranks),
             "first": _share(sum(1 for r in ranks if r == 1), found["n"]), "n": len(ranks)}
            for key, ranks in found["positions"].items()]
    rows.sort(key=lambda r: r["mean"])
    for row in rows:
        row["mean"] = number(row["mean"], 2)
    return {"kind": "ranking", "text": label, "n": found["n"], "rows": rows,
            "positions": len(names) or len(rows), "low_base": stats.is_low_base(found["n"])}


def text_block(question, pool, label, _):
    if not pool:
        return None
    tones = {"positive": _("Positive"), "neutral": _("Neutral"), "negative": _("Negative")}
    counts = {tone: sum(1 for item in pool if item["sentiment"] == tone) for tone in tones}
    chosen = excerpts(pool)
    return {"kind": "text", "text": label, "n": len(pool),
            "sentiment": [{"label": tones[t], "tone": t, "count": c, "share": _share(c, len(pool))}
                          for t, c in counts.items()],
            "excerpts": [{**item, "tone_label": tones.get(item["sentiment"], "")}
                         for item in chosen]}


def excerpts(pool):
    """Up to EXCERPTS readable comments, negative, positive and neutral in turn (personal
    data masked by redact.representative)."""
    by_tone = {tone: representative([i for i in pool if i["sentiment"] == tone], EXCERPTS)
               for tone in ("negative", "positive", "neutral")}
    chosen = []
    while len(chosen) < EXCERPTS and any(by_tone.values()):
        for tone in by_tone:
            if by_tone[tone] and len(chosen) < EXCERPTS:
                chosen.append(by_tone[tone].pop(0))
    return chosen


def number_block(question, cell, label):
    return {"kind": "number", "text": label, "n": cell["n"],
            "mean": number(cell["total"] / cell["n"], 1), "low_base": stats.is_low_base(cell["n"])}


def block(question, raw, language, _):
    kind, cells = question["type"], raw["cells"]
    label = text_of(question.get("text"), language, question["key"])
    cell = cells.get(question["key"])
    if kind == "nps":
        return nps_block(question, cell, label, _) if cell and cell["n"] else None
    if kind in ("single_choice", "dropdown", "multiple_choice"):
        return choice_block(question, cells, label, language, _)
    if kind == "matrix":
        return matrix_block(question, cells, label, language)
    if kind == "ranking":
        return ranking_block(question, raw["rankings"].get(question["key"]), label, language)
    if kind == "text":
        return text_block(question, raw["texts"].get(question["key"]), label, _)
    if kind == "number":
        return number_block(question, cell, label) if cell and cell["n"] else None
    return None   # scales are in the chart; dates and contact fields are never printed


def section(raw, language, _):
    """{name, rows, bands, chart, blocks} for the survey report's question pages."""
    rows = []
    for question in raw["questions"]:
        cell = raw["cells"].get(question["key"])
        if question["type"] in SCALES and cell and cell["n"]:
            rows.append(scale_row(question, cell,
                                  text_of(question.get("text"), language, question["key"])))
    bands = [_("Bottom box"), _("Middle"), _("Top box")]
    chart = charts.stacked([(r["text"], r["shares"]) for r in rows], bands) if rows else ""
    blocks = [b for b in (block(q, raw, language, _) for q in raw["questions"]) if b]
    survey = raw["survey"] or {}
    return {"name": survey.get("name", ""), "rows": rows, "bands": bands,
            "chart": charts.data_uri(chart) if chart else "", "blocks": blocks}
