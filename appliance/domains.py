"""The domains of the appliance, in the order their routes and demo steps apply.

The web app (create_app), `cem worker` and every `cem` command call load(), so they
all see the same blueprints, subscribers, jobs, encrypted columns and commands.
To add a domain: a package under appliance/ whose __init__.py declares DOMAIN
(core/registry.py), and its name here.
"""
import functools
import importlib

from .core.registry import Registry

DOMAIN_PACKAGES = ("core", "setup", "org", "integrations", "home", "surveys", "collection", "text",
                   "metrics", "loop", "ops", "distribution")


@functools.cache
def load():
    """The registry of every domain's declarations (built once per process)."""
    return Registry(importlib.import_module(f"appliance.{name}").DOMAIN
                    for name in DOMAIN_PACKAGES)
