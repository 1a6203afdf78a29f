"""The one scoping mechanism for org-owned data.

A user holds roles on units; for a capability, their scope is the union of
the subtrees under the units where a role grants it. Every query of
org-owned rows adds Scope.sql(column) so rows outside come back as nothing,
and get_*_for_user() helpers turn that into a 404.
"""
from flask import abort, g

from ..core.roles import membership_capabilities


class Scope:
    def __init__(self, root_paths):
        self.root_paths = sorted(set(root_paths))

    @classmethod
    def for_user(cls, user, capability="view"):
        if user is None:
            return cls([])
        return cls(m["unit_path"] for m in user["memberships"]
                   if capability in membership_capabilities(m))

    def sql(self, unit_column):
        """A WHERE fragment restricting unit_column to this scope, and its parameters."""
        if not self.root_paths:
            return "0", []
        likes = " OR ".join("scope_units.path LIKE ?" for _ in self.root_paths)
        fragment = (f"{unit_column} IN (SELECT scope_units.id FROM units AS scope_units "
                    f"WHERE {likes})")
        return fragment, [p + "%" for p in self.root_paths]

    def contains_path(self, unit_path):
        return any(unit_path.startswith(p) for p in self.root_paths)

    @property
    def is_empty(self):
        return not self.root_paths


def current_scope(capability="view"):
    return Scope.for_user(g.get("user"), capability)


def require_in_scope(unit_path, capability="view"):
    """404 (not 403) so ids outside the scope do not even reveal that they exist."""
    if unit_path is None or not current_scope(capability).contains_path(unit_path):
        abort(404)
