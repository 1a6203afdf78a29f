"""Key-driver analysis by Johnson's relative weights (Johnson 2000).

The drivers X are replaced by their closest orthogonal counterparts Z; the outcome is
regressed on Z, and each Z's share of R^2 goes back to the X's in proportion to their
squared loadings on it. The raw weights add up to the regression's R^2, and unlike
regression coefficients they stay sensible when drivers are correlated.
"""
from dataclasses import dataclass

import numpy as np

MIN_BASE = 30


@dataclass(frozen=True)
class DriversResult:
    weights: list | None       # raw relative weights, adding up to r2
    shares: list | None        # weights / r2 (importance, 0..1, adding up to 1)
    r2: float | None
    n: int
    reason: str = ""           # why it could not run: "low_base" | "constant" | ""


def relative_weights(rxx, rxy):
    """(raw weights, R^2) from the drivers' correlation matrix and their correlations with y."""
    rxx, rxy = np.asarray(rxx, dtype=float), np.asarray(rxy, dtype=float)
    eigenvalues, vectors = np.linalg.eigh(rxx)
    root = vectors @ np.diag(np.sqrt(np.clip(eigenvalues, 0, None))) @ vectors.T
    beta = np.linalg.pinv(root) @ rxy
    weights = (root ** 2) @ (beta ** 2)
    return weights.tolist(), float(weights.sum())


def relative_weights_from_data(x, y, min_base=MIN_BASE):
    """x: n x k answers to the drivers, y: n outcomes (complete cases only)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(y)
    if n < max(min_base, x.shape[1] + 2 if x.ndim == 2 else 0):
        return DriversResult(None, None, None, n, "low_base")
    if np.any(x.std(axis=0) == 0) or y.std() == 0:
        return DriversResult(None, None, None, n, "constant")
    correlations = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    weights, r2 = relative_weights(correlations[:-1, :-1], correlations[:-1, -1])
    shares = [w / r2 for w in weights] if r2 > 0 else [0.0] * len(weights)
    return DriversResult(weights, shares, r2, n)


def relative_weights_from_moments(n, sums, products, min_base=MIN_BASE):
    """The same analysis from summed moments of the complete cases: sums[i] = sum of
    variable i, products[i][j] = sum of variable i times variable j, variable 0 the outcome
    and 1.. the drivers. Equal to relative_weights_from_data on the rows summed."""
    sums, products = np.asarray(sums, dtype=float), np.asarray(products, dtype=float)
    drivers = len(sums) - 1
    if n < max(min_base, drivers + 2):
        return DriversResult(None, None, None, n, "low_base")
    mean = sums / n
    covariance = products / n - np.outer(mean, mean)
    variance = np.diag(covariance)
    if np.any(variance <= 1e-12 * np.maximum(1.0, np.diag(products) / n)):
        return DriversResult(None, None, None, n, "constant")
    scale = np.sqrt(variance)
    correlations = covariance / np.outer(scale, scale)
    weights, r2 = relative_weights(correlations[1:, 1:], correlations[1:, 0])
    shares = [w / r2 for w in weights] if r2 > 0 else [0.0] * len(weights)
    return DriversResult(weights, shares, r2, n)
