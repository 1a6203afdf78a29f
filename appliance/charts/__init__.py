"""The chart engine: vector SVG charts for reports, rendered server-side by matplotlib
(its SVG backend, the CJK report font, text as paths). No Flask, no database.

    svg = charts.trend(["1月", "2月"], [("NPS", [31.2, 35.0])], target=40)
    uri = charts.data_uri(svg)   # for <img src=...> in a report template
"""
from .grids import heatmap, quadrant
from .kinds import bars, bars_over_time, stacked, trend
from .style import data_uri

__all__ = ["bars", "bars_over_time", "stacked", "data_uri", "heatmap", "quadrant", "trend"]
