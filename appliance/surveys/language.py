"""The interface language as the survey texts name it: 'zh_CN' or 'en'."""
from flask_babel import get_locale

from ..core import i18n


def ui_language():
    chosen = getattr(i18n, "current_language", None)
    if chosen is not None:
        return chosen()
    return "zh_CN" if str(get_locale() or "zh").startswith("zh") else "en"
