"""The PDF engine: a Jinja2 template from reports/ rendered by WeasyPrint, with the CJK
report font, page headers and numbers, and a URL fetcher that serves only packaged
assets. No Flask, no database: the job runner, `cem report render`, a bench script
and a test call it alike."""
from .assets import AssetRefused
from .engine import gettext_for, render_html, render_pdf, write_pdf
from .fonts import missing_glyphs

__all__ = ["AssetRefused", "gettext_for", "missing_glyphs", "render_html", "render_pdf", "write_pdf"]
