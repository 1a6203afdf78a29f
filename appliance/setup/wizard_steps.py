"""What the wizard's steps write, each step in one transaction (the views only parse forms)."""
from flask_babel import gettext as _

from ..core import crypto, settings
from ..core.db import transaction
from ..core.errors import ValidationError
from ..org import unit_import
from ..org import units as units_service
from ..org import users as users_service
from ..org.scope import Scope


def create_first_admin(db, data_dir, username, display_name, email, password, language):
    """The data keys, the top unit if none yet, and the first administrator on it."""
    crypto.create_keyring(data_dir)
    with transaction(db):
        root = units_service.root_unit(db) or units_service.create_unit(
            db, "ROOT", _("Organisation"), "group", None)
        user = users_service.create_user(db, username, display_name, email, password, "admin",
                                         root, language=language)
        settings.set_many(db, {"setup.step": "organisation"})
    return user


def save_organisation(db, name, code, level_type, lines, csv_data=None):
    """The top unit's name and code, then its first level from a CSV file or typed lines."""
    root = units_service.root_unit(db)
    with transaction(db):
        units_service.update_unit(db, root, code, name, root["type"], None, root["name_en"])
        settings.set_many(db, {"org.name": name})
        root = units_service.root_unit(db)
        if csv_data is not None:
            _import_csv(db, csv_data, root)
        elif lines:
            _create_first_level(db, lines, level_type, root)


def _import_csv(db, data, root):
    try:
        unit_import.import_units(db, unit_import.decode(data), Scope([root["path"]]), root)
    except unit_import.ImportRejected as exc:
        raise ValidationError({"units_csv": "\n".join(
            _("line %(line)s: %(problem)s", line=line, problem=problem)
            for line, problem in exc.problems[:20])})


def _create_first_level(db, lines, level_type, root):
    for number, line in enumerate(lines.splitlines(), start=1):
        if not line.strip():
            continue
        code, _sep, name = line.strip().replace("\t", " ").partition(" ")
        if not name.strip():
            raise ValidationError({"first_level": _(
                "Line %(n)s: write the unit code, a space, then its name.", n=number)})
        try:
            units_service.create_unit(db, code, name.strip(), level_type, root)
        except ValidationError as exc:
            raise ValidationError({"first_level": _("Line %(n)s: %(problem)s", n=number,
                                   problem=" ".join(str(v) for v in exc.errors.values()))})
