"""Which client address a request has, behind the recommended reverse proxy.

Setting `trusted_proxies` (deployment config):
  ""                  trust no X-Forwarded-* header (the default: the appliance faces clients)
  "1" (a count)       that many proxies in front, each appending to X-Forwarded-For
                      (Werkzeug's ProxyFix with x_for = x_proto = the count)
  "127.0.0.1, 10.0.0.0/8"  the proxies' addresses or networks: the headers are read only
                      when the connection comes from one of them, and the client is the
                      right-most X-Forwarded-For address that is not itself a trusted proxy.
Rate limits and the audit log then see each respondent's own address.
"""
import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix


class ConfigProblem(ValueError):
    pass


def parse(value):
    """'' -> None, '2' -> 2, 'a, b/24' -> [networks]; raises ConfigProblem with the reason."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return int(value)
    try:
        return [ipaddress.ip_network(part.strip(), strict=False)
                for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise ConfigProblem(f"trusted_proxies: {exc}; give a number of proxies or a "
                            "comma-separated list of addresses or networks") from exc


def wrap(wsgi_app, value):
    trusted = parse(value)
    if trusted is None:
        return wsgi_app
    if isinstance(trusted, int):
        return ProxyFix(wsgi_app, x_for=trusted, x_proto=trusted)
    return TrustedAddresses(wsgi_app, trusted)


class TrustedAddresses:
    def __init__(self, wsgi_app, networks):
        self.wsgi_app, self.networks = wsgi_app, networks

    def trusted(self, address):
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self.trusted(environ.get("REMOTE_ADDR", "")):
            hops = [h.strip() for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")
                    if h.strip()]
            client = next((h for h in reversed(hops) if not self.trusted(h)), None)
            if client:
                environ["REMOTE_ADDR"] = client
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
        return self.wsgi_app(environ, start_response)
