"""Pages: the role dashboards and the journey map."""
from flask import Blueprint

bp = Blueprint("metrics", __name__)
