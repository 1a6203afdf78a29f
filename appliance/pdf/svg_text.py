"""A faster SVG <text> for WeasyPrint 70 (setup.cfg pins weasyprint>=70,<71).

WeasyPrint lays out and draws every letter of an SVG <text> on its own (a Pango layout per
character, for per-glyph x/dx/rotate lists). A report's charts are matplotlib SVGs whose
hundreds of labels are plain runs at one position, so most of a report's drawing time went
there. install() puts a drawer in front of WeasyPrint's: a <text> with one x and one y and no
per-glyph attributes is laid out and drawn as one run (the same style, bounding box and
cursor as WeasyPrint's own, so text-anchor still works); anything else goes to WeasyPrint's
own code. Called on the first report a thread renders (engine._styles), never at import.
"""
import contextlib
import importlib
import threading
from math import inf

PER_GLYPH = ("dx", "dy", "rotate", "letter-spacing", "textLength", "direction")
_LOCK = threading.Lock()


def _simple(node):
    attrib = node.attrib
    return (node.tag == "text" and node.text and "x" in attrib and "y" in attrib
            and " " not in attrib["x"].strip() and " " not in attrib["y"].strip()
            and not any(name in attrib for name in PER_GLYPH) and len(node._etree_node) == 0)


def _style(svg, node, font_size, text_module):
    from weasyprint.css.properties import INITIAL_VALUES
    style = text_module.Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [f.strip("\"'") for f in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    style["font_weight"] = {"normal": 400, "bold": 700}.get(weight) or _int(weight)
    style["font_size"] = font_size
    return style


def _int(value):
    try:
        return int(value)
    except ValueError:
        return 400


def _y_align(node, font_size, height):
    """WeasyPrint's own vertical alignment of a text box (its ascent/descent estimate)."""
    ascent, descent = font_size * .8, font_size * .2
    anchor = node.get("display-anchor")
    baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if anchor in ("middle", "bottom", "top"):
        return {"middle": -height / 2, "bottom": -height, "top": 0}[anchor]
    if baseline in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0


def _draw_run(svg, node, font_size, text_module):
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line
    style = _style(svg, node, font_size, text_module)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x = size(node.attrib["x"].strip(), font_size, svg.inner_width)
    y = size(node.attrib["y"].strip(), font_size, svg.inner_height)
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    svg.cursor_position = x + width, y
    left = x + svg.cursor_d_position[0]
    base = y + svg.cursor_d_position[1] + _y_align(node, font_size, height)
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box, ((left, base - baseline), (left + width, base - baseline + height)))
    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = text_module.TextBox(layout, style)
    box.baseline = baseline
    emojis = draw_first_line(svg.stream, box, "none", "none", Matrix(a=1, d=-1, e=left, f=base))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def install():
    """Route WeasyPrint's <text> drawing through the one-run fast path (idempotent)."""
    from weasyprint import svg as svg_package
    text_module = importlib.import_module("weasyprint.svg.text")   # the package's `text` is the function
    with _LOCK:
        original = text_module.text
        if getattr(original, "tingjian_fast", False):
            return

        def text(svg, node, font_size):
            if _simple(node):
                return _draw_run(svg, node, font_size, text_module)
            return original(svg, node, font_size)
        text.tingjian_fast = True
        text.original = original
        _route(svg_package, text_module, original, text)


def _route(svg_package, text_module, old, new):
    for tag, drawer in list(svg_package.TAGS.items()):
        if drawer is old:
            svg_package.TAGS[tag] = new
    svg_package.text = new   # draw_node compares TAGS[tag] with this name
    text_module.text = new


@contextlib.contextmanager
def weasyprints_own():
    """WeasyPrint's letter-by-letter drawing for the duration (to compare, in tests)."""
    from weasyprint import svg as svg_package
    text_module = importlib.import_module("weasyprint.svg.text")
    install()
    fast = text_module.text
    with _LOCK:
        _route(svg_package, text_module, fast, fast.original)
    try:
        yield
    finally:
        with _LOCK:
            _route(svg_package, text_module, fast.original, fast)
