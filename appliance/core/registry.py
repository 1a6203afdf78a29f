"""What each domain contributes, declared in one place: its package's ``DOMAIN``.

A domain package's ``__init__.py`` starts with one ``Domain(...)``: its blueprints
and direct API endpoints, navigation entries, queue handlers and event subscribers,
scheduled jobs, encrypted columns, audit-action labels, CLI commands and demo seeding. Code is
named by reference ("module:attribute", relative to the package) so declaring
costs no import; the web app, ``cem worker`` and every ``cem`` command assemble
the same ``Registry`` (appliance/domains.py) and so see exactly the same things.

    DOMAIN = Domain(
        "text",
        blueprints=["views:bp"],
        nav=[Nav(_l("Text analytics"), "text.index", "view", order=40)],
        subscribers=[Subscriber("response.accepted", "text.analyse_response",
                                "pipeline:on_response_accepted", batch=True)],
    )
"""
import importlib
from dataclasses import dataclass, field


def resolve(package, ref):
    """"pipeline:on_accepted" (relative to package) or "appliance.x.y:z" -> the object."""
    module_name, _, attribute = ref.partition(":")
    if not module_name.startswith("appliance"):
        module_name = f"{package}.{module_name}"
    return getattr(importlib.import_module(module_name), attribute)


@dataclass(frozen=True)
class Nav:
    label: object          # a lazy_gettext string
    endpoint: str
    capability: str = "view"
    order: int = 50


@dataclass(frozen=True)
class Subscriber:
    """handler(db, payload), or with batch=True handler(db, [payload, ...])."""
    event: str
    name: str
    handler: str
    batch: bool = False


@dataclass(frozen=True)
class QueueHandler:
    """The handler of work a domain enqueues itself (core.queue.enqueue(db, topic, ...))."""
    topic: str
    handler: str
    batch: bool = False


@dataclass(frozen=True)
class Job:
    """A periodic tick, handler(app); trigger is APScheduler's interval, e.g. {"seconds": 60}."""
    job_id: str
    handler: str
    trigger: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DirectEndpoint:
    """A JSON API call served below Flask's request machinery (core/direct.py), for the few
    that come by the thousand a second: handler(request, principal) -> (status, body).
    capability: what the caller's API token must hold; intake: counted as a submission."""
    method: str
    path: str
    handler: str
    capability: str
    max_body_bytes: int = 256 * 1024
    intake: bool = False


@dataclass(frozen=True)
class EncryptedColumn:
    table: str
    key: str
    column: str


@dataclass
class Domain:
    name: str
    package: str = ""
    tables: list = field(default_factory=list)         # the tables it owns (only its code queries them)
    blueprints: list = field(default_factory=list)     # refs to Blueprints
    direct_endpoints: list = field(default_factory=list)  # DirectEndpoint: hot API calls
    csrf_exempt: list = field(default_factory=list)    # refs to Blueprints without CSRF (JSON/respondent)
    nav: list = field(default_factory=list)
    home_panels: list = field(default_factory=list)    # (template, capability)
    events: list = field(default_factory=list)         # event names this domain publishes
    header_items: list = field(default_factory=list)   # (template, capability): top bar
    subscribers: list = field(default_factory=list)
    queue_handlers: list = field(default_factory=list)
    jobs: list = field(default_factory=list)
    encrypted_columns: list = field(default_factory=list)
    audit_labels: dict = field(default_factory=dict)   # action code -> lazy_gettext label
    audit_coalesce: dict = field(default_factory=dict)  # action code -> minutes: one row per
    #                                                    editing session (same actor and object)
    capabilities: dict = field(default_factory=dict)   # new capability -> roles granted it
    commands: list = field(default_factory=list)       # (name, ref to a click command)
    provides: dict = field(default_factory=dict)       # seam name -> ref, asked for by lower layers
    demo: str = ""                                     # ref to seed(db, options, echo) -> [credentials]
    init_app: str = ""                                 # ref to fn(app) for hooks a list cannot say
    extensions: dict = field(default_factory=dict)     # extension point -> [refs], e.g. channels

    def ref(self, ref):
        return resolve(self.package or f"appliance.{self.name}", ref)


class Registry:
    """Every domain's declarations, in the order of appliance/domains.py."""

    def __init__(self, domains):
        self.domains = list(domains)

    def _all(self, attribute):
        return [item for domain in self.domains for item in getattr(domain, attribute)]

    @property
    def encrypted_columns(self):
        return self._all("encrypted_columns")

    @property
    def events(self):
        return self._all("events")

    @property
    def subscribers(self):
        return self._all("subscribers")

    def direct_endpoints(self):
        """{(method, path): (DirectEndpoint, handler function)} of every domain."""
        return {(e.method, e.path): (e, domain.ref(e.handler))
                for domain in self.domains for e in domain.direct_endpoints}

    @property
    def jobs(self):
        return self._all("jobs")

    @property
    def nav(self):
        return sorted(self._all("nav"), key=lambda item: item.order)

    @property
    def home_panels(self):
        return self._all("home_panels")

    @property
    def audit_coalesce(self):
        return {code: minutes for domain in self.domains
                for code, minutes in domain.audit_coalesce.items()}

    @property
    def header_items(self):
        return self._all("header_items")

    @property
    def audit_labels(self):
        return {code: label for domain in self.domains for code, label in domain.audit_labels.items()}

    def extensions(self, point):
        """Every domain's contributions to an extension point (e.g. "distribution.channels"),
        resolved: a customer's package adds a channel the way the built-in ones are added."""
        return [domain.ref(ref) for domain in self.domains
                for ref in domain.extensions.get(point, [])]

    def commands(self):
        return {name: domain.ref(ref) for domain in self.domains for name, ref in domain.commands}

    def job_functions(self):
        return [(job.job_id, self._owner(job, "jobs").ref(job.handler), job.trigger)
                for job in self.jobs]

    def provider(self, name):
        """The function a higher domain provides under a seam name (a lower domain cannot
        import it), or None: e.g. "survey.response_counts" for the surveys list."""
        for domain in self.domains:
            if name in domain.provides:
                return domain.ref(domain.provides[name])
        return None

    def demo_steps(self):
        return [(domain.name, domain.ref(domain.demo)) for domain in self.domains if domain.demo]

    def _owner(self, item, attribute):
        return next(d for d in self.domains if item in getattr(d, attribute))

    def activate(self):
        """Hand the queue its handlers and the audit log its labels (app, worker and commands)."""
        from . import audit, queue
        from .roles import CAPABILITIES
        for domain in self.domains:
            for sub in domain.subscribers:
                queue.register_subscriber(sub.event, f"{sub.event}>{sub.name}",
                                          domain.ref(sub.handler), sub.batch)
            for handler in domain.queue_handlers:
                queue.register_handler(handler.topic, domain.ref(handler.handler), handler.batch)
        audit.ACTION_LABELS.clear()
        audit.ACTION_LABELS.update(self.audit_labels)
        audit.COALESCE.clear()
        audit.COALESCE.update(self.audit_coalesce)
        for domain in self.domains:
            for capability, roles in domain.capabilities.items():
                for role in roles:
                    CAPABILITIES[role].add(capability)

    def install(self, app, csrf):
        """Register every domain's blueprints and hooks on a Flask app."""
        self.activate()
        for domain in self.domains:
            exempt = {id(domain.ref(ref)) for ref in domain.csrf_exempt}
            for ref in domain.blueprints:
                blueprint = domain.ref(ref)
                if id(blueprint) in exempt:
                    csrf.exempt(blueprint)
                app.register_blueprint(blueprint)
            if domain.init_app:
                domain.ref(domain.init_app)(app)
        app.extensions["registry"] = self
