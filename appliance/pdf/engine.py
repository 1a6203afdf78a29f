"""Render a report template from reports/ to PDF. No Flask, no database.

Templates are Jinja2 with autoescaping on, so every title, unit name and verbatim
arrives in the PDF as text, never as markup; `cut` shortens long texts; strings
are translated through the appliance's message catalogue (zh_CN or en).
"""
import atexit
import functools
import logging
import shutil
import threading
import weakref

import jinja2
from babel.support import Translations

from . import assets, formatting, svg_text

TRANSLATIONS_DIR = assets.PACKAGE / "translations"
LOCALES = {"zh_CN": "zh_Hans_CN", "en": "en"}
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}


@functools.cache
def environment(language):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(assets.REPORTS_DIR)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(language), newstyle=True)
    env.filters.update(formatting.FILTERS)
    env.globals.update(html_lang=HTML_LANG.get(language, "zh-CN"), language=language)
    return env


@functools.cache
def translations(language):
    if language not in LOCALES:
        raise ValueError(f"unknown report language {language!r}")
    return Translations.load(str(TRANSLATIONS_DIR), [LOCALES[language]], domain="messages")


def render_html(template, context, language="zh_CN"):
    return environment(language).get_template(template).render(**context)


_THREAD = threading.local()
_FONT_CONFIGS = weakref.WeakSet()   # each holds a temporary copy of the font folder


@atexit.register
def _remove_font_folders():
    """WeasyPrint removes a font configuration's folder in __del__, which fails once the
    interpreter is shutting down; remove the cached ones' folders first."""
    for fonts in list(_FONT_CONFIGS):
        folder, fonts._folder = getattr(fonts, "_folder", None), None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _styles():
    """(font configuration, parsed reports/report.css), built once per thread: the @font-face
    of the CJK font is loaded and the stylesheet parsed once, not for every report (WeasyPrint's
    font configuration is not shared between threads)."""
    cached = getattr(_THREAD, "styles", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        svg_text.install()
        fonts = FontConfiguration()
        _FONT_CONFIGS.add(fonts)
        css = CSS(filename=str(assets.REPORTS_DIR / "report.css"), url_fetcher=assets.fetcher(),
                  font_config=fonts)
        cached = _THREAD.styles = (fonts, css)
    return cached


def write_pdf(html):
    """HTML -> PDF bytes with reports/report.css, fetching only packaged assets
    (appliance/pdf/assets.py)."""
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)   # a line per page step
    from weasyprint import HTML   # heavy: imported only when a report is rendered
    fonts, css = _styles()
    return HTML(string=html, base_url=assets.REPORTS_DIR.as_uri() + "/",
                url_fetcher=assets.fetcher()).write_pdf(stylesheets=[css], font_config=fonts)


def render_pdf(template, context, language="zh_CN"):
    return write_pdf(render_html(template, context, language))


def gettext_for(language):
    """_(message, **values) in the report's language, as flask_babel's gettext formats."""
    catalogue = translations(language)

    def gettext(message, **values):
        text = catalogue.gettext(message)
        return text % values   # as Jinja's newstyle gettext: "%%" is a percent sign
    return gettext
