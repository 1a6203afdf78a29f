"""Is a change between two periods (or two units) significant at 95 %?

NPS by a z-test on the difference with each score's own variance; proportions by the
two-proportion z-test (pooled); means by Welch's t-test (scipy's, from summary
statistics). Each answers a Change with the p-value and a plain flag.
"""
import math
from dataclasses import dataclass

from scipy import stats as _scipy

ALPHA = 0.05


@dataclass(frozen=True)
class Change:
    delta: float | None        # later minus earlier, on the metric's own scale
    statistic: float | None    # z or t
    p_value: float | None
    significant: bool
    direction: str             # "up" | "down" | "flat" (not significant or not computable)

    def as_dict(self):
        return {"delta": None if self.delta is None else round(self.delta, 3),
                "p_value": None if self.p_value is None else round(self.p_value, 4),
                "significant": self.significant, "direction": self.direction}


NOT_COMPUTABLE = Change(None, None, None, False, "flat")


def _change(delta, statistic, p_value):
    significant = p_value is not None and p_value < ALPHA
    direction = ("up" if delta > 0 else "down") if significant and delta else "flat"
    return Change(delta, statistic, p_value, significant, direction)


def nps_change(before, after):
    """before, after: NpsResult. z = (s2 - s1) / sqrt(v1 + v2)."""
    if before.score is None or after.score is None:
        return NOT_COMPUTABLE
    delta = after.score - before.score
    spread = before.variance + after.variance
    if spread <= 0:
        return _change(delta, None, 0.0 if delta else 1.0)
    z = delta / math.sqrt(spread)
    return _change(delta, z, float(2 * _scipy.norm.sf(abs(z))))


def proportion_change(hits1, n1, hits2, n2):
    """Two-proportion z-test with the pooled share; delta in share points (0..1)."""
    if not n1 or not n2:
        return NOT_COMPUTABLE
    p1, p2 = hits1 / n1, hits2 / n2
    pooled = (hits1 + hits2) / (n1 + n2)
    spread = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if spread <= 0:
        return _change(p2 - p1, None, 1.0)
    z = (p2 - p1) / math.sqrt(spread)
    return _change(p2 - p1, z, float(2 * _scipy.norm.sf(abs(z))))


def mean_change(before, after):
    """before, after: MeanResult. Welch's t from summary statistics (scipy)."""
    if before.mean is None or after.mean is None or before.n < 2 or after.n < 2:
        return NOT_COMPUTABLE
    delta = after.mean - before.mean
    if before.variance == 0 and after.variance == 0:
        return _change(delta, None, 0.0 if delta else 1.0)
    result = _scipy.ttest_ind_from_stats(after.mean, math.sqrt(after.variance), after.n,
                                         before.mean, math.sqrt(before.variance), before.n,
                                         equal_var=False)
    return _change(delta, float(result.statistic), float(result.pvalue))
