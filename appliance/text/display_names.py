"""Display names on the /text page: tags from the taxonomy, sensitive-word categories."""
from flask_babel import lazy_gettext as _l

from ..textengine.resources import read_toml
from .pipeline import config_dir

CATEGORIES = {  # the shipped sensitive.toml categories; a new category shows its id
    "complaint_escalation": _l("Complaint escalation"), "regulator": _l("Regulator"),
    "legal": _l("Legal threat"), "media": _l("Media exposure"), "food_safety": _l("Food safety"),
    "personal_safety": _l("Personal safety"),
}


def tag_names(language):
    """{tag id: display name} from the taxonomy, in the page's language (as
    textengine.tags.parse_taxonomy names them, without compiling its keyword rules: a
    dashboard needs the names only)."""
    key = "zh" if language.startswith("zh") else "en"
    return {entry["id"]: entry.get(key, entry["id"])
            for entry in read_toml(config_dir() / "taxonomy.toml").get("tag", [])}
