import re

import pytest


def active_entries(page):
    nav = page.get_data(as_text=True).split('aria-label="Main navigation"', 1)[1].split("</nav>")[0]
    return re.findall(r'<a href="([^"]+)" class="active"', nav)


@pytest.mark.parametrize("path, active", [
    ("/dashboard", []),                  # reached from the journey map and the home page
    ("/journeys", ["/journeys"]),
    ("/journeys/edit", ["/journeys"]),
    ("/odata", ["/odata"]),
    ("/responses/", ["/responses/"]),
    ("/", ["/"]),
])
def test_one_navigation_entry_is_active_at_most(as_user, path, active):
    """The metrics blueprint declares three entries: all of them used to light up on
    each of its pages."""
    page = as_user("alice").get(path)
    assert page.status_code == 200
    assert active_entries(page) == active
