"""The report's charts, each a function from plain numbers to an SVG string.

Labels are drawn as glyph paths, so a unit name with markup in it is only shapes.
"""
from . import style


def _label(text, limit=18):
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def trend(periods, series, target=None, height=2.4, y_label=""):
    """Lines over periods: series = [(name, [value or None, ...])], one value per period."""
    fig = style.figure(height=height)
    ax = fig.add_subplot()
    style.plain_axes(ax)
    xs = range(len(periods))
    for index, (name, values) in enumerate(series):
        points = [(x, v) for x, v in zip(xs, values) if v is not None]
        if points:
            ax.plot(*zip(*points), marker="o", markersize=3, linewidth=1.6,
                    color=style.SERIES[index % len(style.SERIES)], label=_label(name, 24))
    if target is not None:
        ax.axhline(target, color=style.AMBER, linewidth=1, linestyle="--", label=f"{target:g}")
    ax.set_xticks(list(xs), [_label(p, 10) for p in periods])
    ax.set_ylabel(y_label)
    legend = len(series) > 1 or target is not None
    if legend:
        ax.legend(frameon=False, fontsize=7.5, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=4)
    style.margins(fig, left=0.5, top=0.3 if legend else 0.12)
    return style.to_svg(fig)


def bars(items, target=None, height=None, value_format="{:.0f}", limits=None):
    """Horizontal bars, first item on top: items = [(label, value, colour or None)]."""
    height = height or max(1.2, 0.24 * len(items) + 0.5)
    fig = style.figure(height=height)
    ax = fig.add_subplot()
    style.plain_axes(ax, grid_axis="x")
    labels = [_label(label, 16) for label, _v, _c in items][::-1]
    values = [value or 0 for _l, value, _c in items][::-1]
    colours = [colour or style.SERIES[0] for _l, _v, colour in items][::-1]
    ax.barh(range(len(items)), values, color=colours, height=0.62)
    ax.set_yticks(range(len(items)), labels)
    for y, (value, (_l, raw, _c)) in enumerate(zip(values, items[::-1])):
        if raw is not None:
            ax.text(value, y, " " + value_format.format(raw), va="center", fontsize=7.5,
                    color=style.INK, ha="left" if value >= 0 else "right")
    if target is not None:
        ax.axvline(target, color=style.AMBER, linewidth=1, linestyle="--")
    if limits:
        ax.set_xlim(*limits)
    ax.axvline(0, color=style.MUTED, linewidth=0.6)
    style.margins(fig, left=style.label_inches(labels), right=0.4, top=0.08, bottom=0.3)
    return style.to_svg(fig)


def bars_over_time(periods, values, height=1.6):
    """Columns per period (response volumes)."""
    fig = style.figure(height=height)
    ax = fig.add_subplot()
    style.plain_axes(ax)
    ax.bar(range(len(periods)), [v or 0 for v in values], color=style.SERIES[5], width=0.6)
    ax.set_xticks(range(len(periods)), [_label(p, 10) for p in periods])
    style.margins(fig, left=0.5, bottom=0.3, top=0.08)
    return style.to_svg(fig)


def stacked(items, band_names, height=None):
    """Horizontal 100 % bars, first item on top: items = [(label, [share, ...])] per band."""
    height = height or max(1.3, 0.26 * len(items) + 0.7)
    fig = style.figure(height=height)
    ax = fig.add_subplot()
    style.plain_axes(ax, grid_axis="x")
    colours = [style.BAD, "#c9d1db", style.GOOD]
    rows = list(reversed(items))
    left = [0.0] * len(rows)
    for band, name in enumerate(band_names):
        widths = [100 * (shares[band] or 0) for _label, shares in rows]
        ax.barh(range(len(rows)), widths, left=left, color=colours[band % 3], height=0.6,
                label=name)
        left = [a + b for a, b in zip(left, widths)]
    ax.set_yticks(range(len(rows)), [_label(label, 22) for label, _s in rows])
    ax.set_xlim(0, 100)
    ax.legend(frameon=False, fontsize=7.5, loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncols=len(band_names))
    style.margins(fig, left=style.label_inches([label for label, _s in rows]), top=0.3,
                  bottom=0.3)
    return style.to_svg(fig)
