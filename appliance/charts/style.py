"""One look for every report chart: matplotlib's SVG backend, the CJK report font,
text kept as SVG text in the report font (WeasyPrint typesets it: cheap, selectable), a quiet palette.
Figures are built with matplotlib.figure.Figure, never pyplot: no global state, safe
in the job runner's threads."""
import base64
import functools
import io
import re

FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
INK = "#1d2733"
MUTED = "#6b7685"
GRID = "#e3e7ec"
SERIES = ["#1f4e79", "#c0504d", "#4f8f6f", "#d89b2b", "#7a5c99", "#5b9bd5"]
GOOD, AMBER, BAD = "#2e7d4f", "#d89b2b", "#b8322f"
CONTENT_WIDTH_IN = 6.7   # A4 minus the report's margins
FAMILY = "WenQuanYi Micro Hei"
REPORT_FAMILY = "Report Sans"   # reports/report.css


@functools.cache
def matplotlib_ready():
    """Import matplotlib once with the report font and SVG settings."""
    import matplotlib
    matplotlib.use("svg", force=False)
    from matplotlib import font_manager
    font_manager.fontManager.addfont(FONT_FILE)
    family = font_manager.FontProperties(fname=FONT_FILE).get_name()
    matplotlib.rcParams.update({
        "font.family": [family], "font.size": 8.5, "svg.fonttype": "none",
        "axes.edgecolor": GRID, "axes.labelcolor": MUTED, "axes.titlesize": 9.5,
        "xtick.color": MUTED, "ytick.color": MUTED, "text.color": INK,
        "axes.spines.top": False, "axes.spines.right": False,
        "axes.unicode_minus": False, "svg.hashsalt": "tingjian"})
    return matplotlib


def figure(width=CONTENT_WIDTH_IN, height=2.6):
    matplotlib_ready()
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), dpi=72)


def margins(fig, left=0.45, bottom=0.35, top=0.12, right=0.15):
    """Fixed margins in inches (a constrained layout solver would double the chart's time)."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height,
                        top=1 - top / height)


def label_inches(labels, size=8.5):
    """Width a column of tick labels needs: CJK characters are about one em wide."""
    widest = max((sum(1.0 if ord(ch) > 0x2e80 else 0.6 for ch in str(label))
                  for label in labels), default=4)
    return widest * size / 72 + 0.15


# What WeasyPrint would parse for nothing: matplotlib's RDF metadata, no-op rotations on
# every label, empty groups (the SVG is drawn node by node in Python at each render).
NOISE = [re.compile(r"<metadata>.*?</metadata>\s*", re.S),
         re.compile(r' transform="rotate\(-?0 [^")]*\)"'),
         re.compile(r'\s*<g id="[^"]*"/>')]


def to_svg(fig):
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    svg = buffer.getvalue()
    for pattern in NOISE:
        svg = pattern.sub("", svg)
    # the report's own @font-face name, so the PDF embeds one subset of the font, not two
    return svg.replace(f"'{FAMILY}'", f"'{REPORT_FAMILY}'").replace(
        f'"{FAMILY}"', f'"{REPORT_FAMILY}"')


def data_uri(svg):
    """The SVG as a data: URI for an <img> (isolated from the page's CSS and fetcher-safe)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def plain_axes(ax, grid_axis="y"):
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GRID)
