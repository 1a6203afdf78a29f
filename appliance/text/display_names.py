"""Display names on the /text page: tags from the taxonomy, sensitive-word categories."""
from flask_babel import lazy_gettext as _l

from ..textengine.resources import read_toml
from ..textengine.tags import parse_taxonomy
from .pipeline import config_dir

CATEGORIES = {  # the shipped sensitive.toml categories; a new category shows its id
    "complaint_escalation": _l("Complaint escalation"), "regulator": _l("Regulator"),
    "legal": _l("Legal threat"), "media": _l("Media exposure"), "food_safety": _l("Food safety"),
    "personal_safety": _l("Personal safety"),
}


def tag_names(language):
    """{tag id: display name} from the taxonomy, in the page's language."""
    rules = parse_taxonomy(read_toml(config_dir() / "taxonomy.toml"))
    key = "zh" if language.startswith("zh") else "en"
    return {rule.tag: rule.names[key] for rule in rules}
