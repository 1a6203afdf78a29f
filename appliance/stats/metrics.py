"""NPS, CSAT/CES means and top-box shares from summary statistics, with their uncertainty.

NPS = 100 x (share of promoters 9-10 - share of detractors 0-6). As the difference of
two shares of one multinomial sample its variance is (p + d - (p - d)^2) / n, on the
-1..1 scale; the 95 % interval is the normal one, clipped to -100..100.
"""
import math
from dataclasses import dataclass

from scipy import stats as _scipy

LOW_BASE = 30          # fewer answers than this: the score is flagged as low-base
Z95 = float(_scipy.norm.ppf(0.975))


def is_low_base(n):
    return n < LOW_BASE


def nps_category(score):
    """0-10 -> "promoter" | "passive" | "detractor"."""
    if score >= 9:
        return "promoter"
    return "passive" if score >= 7 else "detractor"


@dataclass(frozen=True)
class NpsResult:
    score: float | None        # -100..100, None without answers
    promoters: int
    passives: int
    detractors: int
    n: int
    variance: float | None     # of the score on the -100..100 scale
    ci95: tuple | None
    low_base: bool

    def as_dict(self):
        return {"score": _round(self.score), "promoters": self.promoters,
                "passives": self.passives, "detractors": self.detractors, "n": self.n,
                "ci95": [_round(v) for v in self.ci95] if self.ci95 else None,
                "low_base": self.low_base}


def nps_of(promoters, passives, detractors):
    n = promoters + passives + detractors
    if n == 0:
        return NpsResult(None, 0, 0, 0, 0, None, None, True)
    p, d = promoters / n, detractors / n
    score = 100 * (p - d)
    variance = 10_000 * (p + d - (p - d) ** 2) / n
    half = Z95 * math.sqrt(variance)
    ci = (max(-100.0, score - half), min(100.0, score + half))
    return NpsResult(score, promoters, passives, detractors, n, variance, ci, is_low_base(n))


@dataclass(frozen=True)
class MeanResult:
    mean: float | None
    variance: float | None     # sample variance (n - 1)
    n: int
    low_base: bool

    def as_dict(self):
        return {"mean": _round(self.mean, 3), "n": self.n, "low_base": self.low_base}


def mean_of(n, total, total_squares):
    """Mean and sample variance from n, sum and sum of squares."""
    if n == 0:
        return MeanResult(None, None, 0, True)
    mean = total / n
    variance = max(0.0, (total_squares - n * mean * mean) / (n - 1)) if n > 1 else 0.0
    return MeanResult(mean, variance, n, is_low_base(n))


@dataclass(frozen=True)
class ProportionResult:
    share: float | None        # 0..1
    hits: int
    n: int
    low_base: bool


def proportion_of(hits, n):
    return ProportionResult(hits / n if n else None, hits, n, is_low_base(n))


def _round(value, digits=1):
    return None if value is None else round(float(value), digits)
