"""Two-dimensional report charts: the journey heat map and the driver quadrant."""
from . import style
from .kinds import _label


def heatmap(rows, columns, values, low=-20, high=60, value_format="{:.0f}"):
    """Units x touchpoints: values[r][c] is a score or None (no responses there)."""
    from matplotlib.colors import LinearSegmentedColormap
    cmap = LinearSegmentedColormap.from_list("rag", [style.BAD, "#f3e3b5", style.GOOD])
    fig = style.figure(height=max(1.4, 0.28 * len(rows) + 0.9))
    ax = fig.add_subplot()
    import numpy
    masked = numpy.ma.masked_invalid(numpy.array(
        [[float("nan") if v is None else v for v in row] for row in values], dtype=float))
    ax.pcolormesh(masked, cmap=cmap, vmin=low, vmax=high, edgecolors="white", linewidth=1)
    ax.invert_yaxis()
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            ax.text(c + 0.5, r + 0.5, "–" if value is None else value_format.format(value),
                    ha="center", va="center", fontsize=7.5, color=style.INK)
    row_labels = [_label(r, 14) for r in rows]
    ax.set_xticks([c + 0.5 for c in range(len(columns))], [_label(c, 8) for c in columns])
    ax.set_yticks([r + 0.5 for r in range(len(rows))], row_labels)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    style.margins(fig, left=style.label_inches(row_labels), top=0.35, bottom=0.05)
    return style.to_svg(fig)


def quadrant(points, x_label, y_label, x_mid=None, y_mid=None):
    """Importance x performance: points = [(label, importance, performance)]."""
    fig = style.figure(height=3.2)
    ax = fig.add_subplot()
    style.plain_axes(ax, grid_axis="both")
    xs = [p[1] for p in points]
    ys = [p[2] for p in points]
    x_mid = x_mid if x_mid is not None else sum(xs) / len(xs)
    y_mid = y_mid if y_mid is not None else sum(ys) / len(ys)
    ax.axvline(x_mid, color=style.MUTED, linewidth=0.8, linestyle=":")
    ax.axhline(y_mid, color=style.MUTED, linewidth=0.8, linestyle=":")
    colours = [style.BAD if x >= x_mid and y < y_mid else style.SERIES[0] for x, y in zip(xs, ys)]
    ax.scatter(xs, ys, s=36, color=colours, zorder=3)
    right_side = min(xs) + 0.6 * ((max(xs) - min(xs)) or 1)
    for label, x, y in points:
        left = x > right_side   # labels near the right edge go to the left of their point
        ax.annotate(_label(label, 12), (x, y), xytext=(-4 if left else 4, 4),
                    textcoords="offset points", fontsize=7.5, ha="right" if left else "left")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    style.margins(fig, left=0.6, bottom=0.45, right=0.2)
    return style.to_svg(fig)
