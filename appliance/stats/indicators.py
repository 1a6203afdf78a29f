"""The indicator tree: scores normalised to 0-100, combined by weights, judged by RAG.

A node is {"key", "weight", "children": [...]} or a leaf with a "score" already on
0-100 (None when it has no data). A parent's score is the weighted mean of its
children that have a score (weights renormalised over them).
"""


class IndicatorError(ValueError):
    """A tree that cannot be computed: a cycle or a weight that is not a positive number."""


def normalise(value, kind, scale=5):
    """A metric value -> 0..100. kind: nps (-100..100), mean (1..scale), share (0..1),
    percent (0..100)."""
    if value is None:
        return None
    if kind == "nps":
        result = (value + 100) / 2
    elif kind == "mean":
        result = (value - 1) / (scale - 1) * 100
    elif kind == "share":
        result = value * 100
    elif kind == "percent":
        result = value
    else:
        raise IndicatorError(f"unknown kind {kind!r}")
    return max(0.0, min(100.0, float(result)))


def roll_up(node, _seen=None):
    """The node with "score" filled on every level (a new dict; the input is unchanged)."""
    seen = set() if _seen is None else _seen
    if node["key"] in seen:
        raise IndicatorError(f"cycle at {node['key']!r}")
    children = node.get("children") or []
    if not children:
        return dict(node)
    done = [roll_up(child, seen | {node["key"]}) for child in children]
    scored = [(float(c.get("weight", 1)), c["score"]) for c in done if c.get("score") is not None]
    if any(w <= 0 for w, _s in scored):
        raise IndicatorError(f"weights under {node['key']!r} must be positive")
    total = sum(w for w, _s in scored)
    score = sum(w * s for w, s in scored) / total if total else None
    return {**node, "children": done, "score": score}


def rag(score, target, amber_below=None):
    """"green" at or above target, "amber" at or above amber_below (default target - 5),
    "red" below, "none" without a score or a target."""
    if score is None or target is None:
        return "none"
    if score >= target:
        return "green"
    floor = target - 5 if amber_below is None else amber_below
    return "amber" if score >= floor else "red"


def check_weights(node, tolerance=1e-6):
    """Raise IndicatorError unless each node's children's weights add up to 1 (or 100)."""
    children = node.get("children") or []
    if children:
        total = sum(float(c.get("weight", 0)) for c in children)
        if not (abs(total - 1) <= tolerance or abs(total - 100) <= tolerance * 100):
            raise IndicatorError(f"the weights under {node['key']!r} add up to {total:g}, "
                                 f"not 100 %")
        for child in children:
            check_weights(child, tolerance)
