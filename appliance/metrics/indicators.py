"""The indicator system: a versioned tree (index > dimensions > indicators) evaluated on
the summaries. Nodes are stored flat, {key, parent, name_zh, name_en, weight, target,
amber, metric, survey_id, question, choice, odata, low, high}, so a cycle can be named.

metric: nps | csat_top2 | csat_mean | ces_mean | ces_easy | question_mean | question_top
| choice_share | odata. Each leaf is normalised to 0-100 (stats.normalise) and parents
combine their children by weight (stats.roll_up); weights of siblings add up to 100 %.
"""
import json

from flask_babel import lazy_gettext as _l

from .. import stats
from ..core import audit, clock
from ..core.db import query_one, transaction
from ..core.errors import ValidationError
from . import catalog, odata, queries, service

METRICS = ("nps", "csat_top2", "csat_mean", "ces_mean", "ces_easy", "question_mean",
           "question_top", "choice_share", "odata")
MEASURABLE = {"question_mean": ("rating", "nps", "ces", "number", "matrix"),
              "question_top": ("rating", "nps", "ces", "matrix"),
              "choice_share": ("single_choice", "multiple_choice", "dropdown")}


def current(db):
    row = query_one(db, "SELECT * FROM indicator_versions ORDER BY version DESC LIMIT 1")
    if row is None:
        return None
    return {**row, "document": json.loads(row["document"])}


def build_tree(nodes):
    """The nested tree from flat nodes; IndicatorError names a cycle or a missing parent."""
    by_key = {n["key"]: {**n, "children": []} for n in nodes}
    roots = [n for n in by_key.values() if not n.get("parent")]
    for node in by_key.values():
        seen, cursor = {node["key"]}, node
        while cursor.get("parent"):
            if cursor["parent"] not in by_key:
                raise stats.IndicatorError(f"{cursor['key']}: no parent {cursor['parent']}")
            cursor = by_key[cursor["parent"]]
            if cursor["key"] in seen:
                raise stats.IndicatorError(f"cycle through {node['key']}")
            seen.add(cursor["key"])
        if node.get("parent"):
            by_key[node["parent"]]["children"].append(node)
    if len(roots) != 1:
        raise stats.IndicatorError("the tree needs exactly one index at the top")
    return roots[0]


def validate(db, nodes):
    errors = {}
    keys = [n.get("key") for n in nodes]
    if len(keys) != len(set(keys)):
        errors["key"] = _l("Each indicator needs its own key.")
    for node in nodes:
        try:
            node["weight"] = float(node.get("weight", 1))
        except (TypeError, ValueError):
            errors["weight"] = _l("Weight of %(key)s must be a number.", key=node.get("key"))
        problem = _leaf_problem(db, node)
        if problem:
            errors["metric"] = problem
    if errors:
        raise ValidationError(errors)
    try:
        root = build_tree(nodes)
        stats.indicators.check_weights(root)
    except stats.IndicatorError as exc:
        raise ValidationError({"tree": _l("The indicator tree is not valid: %(why)s",
                                          why=str(exc))}) from exc
    return root


def _leaf_problem(db, node):
    metric = node.get("metric")
    if not metric:
        return None
    if metric not in METRICS:
        return _l("There is no metric %(m)s.", m=str(metric)[:30])
    if metric in MEASURABLE:
        question = catalog.questions(db, int(node.get("survey_id") or 0)).get(
            str(node.get("question", "")).split(".")[0])
        if question is None:
            return _l("%(key)s: choose a question of a published survey.", key=node["key"])
        if question["type"] not in MEASURABLE[metric]:
            return _l("%(key)s: a %(type)s question cannot be measured as %(metric)s.",
                      key=node["key"], type=question["type"], metric=metric)
    return None


def save(db, nodes, actor=None):
    validate(db, nodes)
    with transaction(db):
        before = current(db)
        version = (before["version"] if before else 0) + 1
        db.execute("INSERT INTO indicator_versions (version, document, created_at, created_by) "
                   "VALUES (?, ?, ?, ?)", (version, json.dumps({"nodes": nodes},
                                                                 ensure_ascii=False),
                                           clock.now_iso(), actor["id"] if actor else None))
        audit.record(db, "indicators.save", "indicator_tree", version, None,
                     before=before["document"] if before else None, after={"nodes": nodes})
    return version


def evaluate(db, unit, date_from, date_to, survey_id=None):
    """[{key, parent, name_zh, name_en, level, score, value, n, target, rag}] depth-first."""
    tree = current(db)
    if tree is None:
        return []
    cells = queries.cells(db, [unit["id"]], date_from, date_to, survey_id)[unit["id"]]
    q_cells = queries.question_cells(db, [unit["id"]], date_from, date_to)[unit["id"]]
    return evaluate_sums(db, tree, unit, cells, q_cells, date_from, date_to)


def evaluate_sums(db, tree, unit, cells, q_cells, date_from, date_to):
    """evaluate() from sums already read (the index trend reads each period's once)."""
    head = service.metrics_of(cells)
    nodes = [{**n, **_leaf_value(db, n, head, q_cells, unit, date_from, date_to)}
             for n in tree["document"]["nodes"]]
    rolled = stats.roll_up(build_tree(nodes))
    return list(_flatten(rolled, 0))


def _leaf_value(db, node, head, q_cells, unit, date_from, date_to):
    metric = node.get("metric")
    if not metric:
        return {}
    value, n, kind, scale = None, 0, "share", 5
    if metric == "nps":
        value, n, kind = head["nps"]["score"], head["nps"]["n"], "nps"
    elif metric in ("csat_top2", "ces_easy"):
        part = head["csat" if metric == "csat_top2" else "ces"]
        value, n = part["top2" if metric == "csat_top2" else "easy"], part["n"]
    elif metric in ("csat_mean", "ces_mean"):
        part = head[metric[:4].rstrip("_")]
        value, n, kind, scale = part["mean"], part["n"], "mean", 5 if metric == "csat_mean" else 7
    elif metric == "odata":
        value, n = odata.mean(db, node.get("odata"), unit, date_from, date_to), 1
        return {"value": value, "n": n, "score": odata.score(value, node)}
    else:
        key = str(node.get("question")) + (f"={node['choice']}" if metric == "choice_share" else "")
        got = q_cells.get((int(node.get("survey_id") or 0), key))
        question = catalog.questions(db, int(node.get("survey_id") or 0)).get(
            str(node.get("question")).split(".")[0], {})
        if got and got["n"]:
            n = got["n"]
            value = got["total"] / n if metric == "question_mean" else got["top"] / n
        kind, scale = ("mean", question.get("scale", 5)) if metric == "question_mean" else ("share", 5)
    return {"value": value, "n": n, "score": stats.normalise(value, kind, scale)}


def _flatten(node, level):
    target = node.get("target")
    yield {"key": node["key"], "parent": node.get("parent"), "name_zh": node.get("name_zh", ""),
           "name_en": node.get("name_en", ""), "level": level, "weight": node.get("weight"),
           "score": None if node.get("score") is None else round(node["score"], 1),
           "value": node.get("value"), "n": node.get("n"), "target": target,
           "rag": stats.rag(node.get("score"), target, node.get("amber")),
           "low_base": node.get("n") is not None and stats.is_low_base(node["n"] or 0)
           and node.get("metric") != "odata"}
    for child in node.get("children", []):
        yield from _flatten(child, level + 1)
