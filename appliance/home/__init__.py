"""The home dashboard shell and the health endpoint."""
from ..core.registry import Domain

DOMAIN = Domain("home", blueprints=["views:bp", "views:health"])
