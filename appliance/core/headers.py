"""Security headers on every response, and no-store on pages that show staff data.

The fixed headers join each response at the WSGI level (`wrap`), in one pass over its
header list: set one by one through Flask's response object they cost as much as the
rest of an intake request's response handling. A view may send its own
Content-Security-Policy or X-Frame-Options (the designer's preview frame says
SAMEORIGIN): a header the response already has is left as it is."""
from flask import g, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
       "base-uri 'none'; object-src 'none'")
FIXED = (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
         ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"),
         ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"))
HSTS = ("Strict-Transport-Security", "max-age=31536000")
NO_STORE = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))   # staff data, API answers
PUBLIC_PREFIXES = ("/static/", "/favicon.ico")


def wrap(wsgi_app, secure_cookies):
    """The WSGI app with the fixed headers (and HSTS when served over HTTPS) on every response."""
    fixed = [(name.lower(), (name, value))
             for name, value in FIXED + ((HSTS,) if secure_cookies else ())]

    def with_security_headers(environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            headers.extend(pair for lowered, pair in fixed if lowered not in present)
            return start_response(status, headers, exc_info)
        return wsgi_app(environ, start)
    return with_security_headers


def add_security_headers(response):
    """After each request: no-store on what a signed-in person or a token sees."""
    if _private(response):
        for name, value in NO_STORE:
            response.headers[name] = value
    return response


def _private(response):
    """Anything shown to a signed-in person or a token, and every download (exports)."""
    if request.path.startswith(PUBLIC_PREFIXES):
        return False
    return (g.get("user") is not None
            or "attachment" in response.headers.get("Content-Disposition", ""))
