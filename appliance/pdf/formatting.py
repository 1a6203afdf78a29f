"""Template filters for reports: cut long texts, show numbers, signs and shares."""
from markupsafe import Markup

DASH = "—"


def cut(text, limit=300):
    """A text shortened to `limit` characters with an ellipsis (a 20,000-character
    verbatim becomes a paragraph, not fifty pages)."""
    text = "" if text is None else str(text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def number(value, digits=1):
    if value is None:
        return DASH
    return f"{value:,.{digits}f}" if digits else f"{round(value):,}"


def signed(value, digits=1):
    if value is None:
        return DASH
    text = f"{value:+,.{digits}f}" if digits else f"{round(value):+,}"
    return text.replace("-", "−")


def percent(share, digits=0):
    return DASH if share is None else f"{share * 100:.{digits}f}%"


def data_uri_img(uri, alt="", css_class=""):
    """<img> for a data: URI built by the report (a chart, the uploaded logo); anything else is dropped."""
    if not uri or not str(uri).startswith("data:image/"):
        return Markup("")
    return Markup('<img src="{}" alt="{}" class="{}">').format(uri, alt, css_class)


FILTERS = {"cut": cut, "number": number, "signed": signed, "percent": percent,
           "img": data_uri_img}
