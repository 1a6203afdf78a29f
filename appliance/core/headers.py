"""Security headers on every response, and no-store on pages that show staff data."""
from flask import current_app, g, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
       "base-uri 'none'; object-src 'none'")
PUBLIC_PREFIXES = ("/static/", "/favicon.ico")


def add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.setdefault("X-Frame-Options", "DENY")   # a preview view may say SAMEORIGIN
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config["SECURE_COOKIES"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if _private(response):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def _private(response):
    """Anything shown to a signed-in person or a token, and every download (exports)."""
    if request.path.startswith(PUBLIC_PREFIXES):
        return False
    return (g.get("user") is not None
            or "attachment" in response.headers.get("Content-Disposition", ""))
