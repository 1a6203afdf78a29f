"""The statistics engine: the one definition of NPS, CSAT and CES in the appliance.

Pure (numpy/scipy only; no Flask, no database), so the metrics domain, reports,
alerts, the CLI and the benchmarks call it alike. Every function works from
summary statistics (counts, n/sum/sum of squares), which is what the metrics
summaries keep, so nothing here needs the raw responses.
"""
from .drivers import (DriversResult, relative_weights, relative_weights_from_data,
                      relative_weights_from_moments)
from .indicators import IndicatorError, normalise, rag, roll_up
from .metrics import (LOW_BASE, MeanResult, NpsResult, ProportionResult, is_low_base, mean_of,
                      nps_category, nps_of, proportion_of)
from .significance import Change, mean_change, nps_change, proportion_change

__all__ = ["Change", "DriversResult", "IndicatorError", "LOW_BASE", "MeanResult", "NpsResult",
           "ProportionResult", "is_low_base", "mean_change", "mean_of", "normalise",
           "nps_category", "nps_change", "nps_of", "proportion_change", "proportion_of", "rag",
           "relative_weights", "relative_weights_from_data",
           "relative_weights_from_moments", "roll_up"]
