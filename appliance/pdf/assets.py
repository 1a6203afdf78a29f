"""What a report may load while it renders: packaged assets and data: URLs, nothing else.

WeasyPrint asks its URL fetcher for every stylesheet, image and font a document names.
Ours answers only for files inside the packaged asset folders (the templates: reports/ in
a checkout, appliance/report_templates/ installed from a wheel; appliance/static/) and the
system CJK font, and for data: URLs; http(s), ftp, file:// anywhere else (/etc/passwd, the data directory) and any other scheme are refused, so a
report never reaches the network or the file system, whatever ends up in its HTML.
"""
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

PACKAGE = Path(__file__).resolve().parents[1]
# The templates' source is the top-level reports/ folder of the checkout; a wheel carries
# them as appliance/report_templates/ (setup.py maps the folder), which exists only there.
INSTALLED_REPORTS_DIR = PACKAGE / "report_templates"
REPORTS_DIR = INSTALLED_REPORTS_DIR if INSTALLED_REPORTS_DIR.is_dir() else PACKAGE.parent / "reports"
STATIC_DIR = PACKAGE / "static"
FONT_DIRS = (Path("/usr/share/fonts/truetype/wqy"),)


class AssetRefused(ValueError):
    """A report asked for something outside the packaged assets."""


def allowed_roots():
    return [REPORTS_DIR.resolve(), STATIC_DIR.resolve(), *(d.resolve() for d in FONT_DIRS)]


def local_path(url):
    """The packaged file a file:// URL names, or AssetRefused."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise AssetRefused(f"refused to fetch {url[:200]!r}: not a packaged asset")
    path = Path(os.path.realpath(unquote(parts.path)))
    if not any(path.is_relative_to(root) for root in allowed_roots()) or not path.is_file():
        raise AssetRefused(f"refused to fetch {url[:200]!r}: outside the packaged assets")
    return path


def fetcher():
    """A WeasyPrint URL fetcher: data: URLs and packaged files, everything else refused
    (WeasyPrint logs the refusal and leaves the resource out)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PackagedAssets(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = local_path(url)
            return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                      {"Content-Type": _mime_type(path)})

    return PackagedAssets(allowed_protocols={"data", "file"}, allow_redirects=False)


MIME_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
              ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".ttf": "font/ttf",
              ".ttc": "font/collection", ".otf": "font/otf", ".woff": "font/woff",
              ".woff2": "font/woff2"}


def _mime_type(path):
    return MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")
