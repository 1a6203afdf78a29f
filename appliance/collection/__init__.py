"""Collection domain: survey links and QR posters, respondent pages, intake, responses."""
from flask_babel import lazy_gettext as _l

from ..core.registry import DirectEndpoint, Domain, EncryptedColumn, Nav, QueueHandler

DOMAIN = Domain(
    "collection",
    tables=["links", "responses", "exports"],
    events=["response.accepted", "response.batch_accepted", "response.erased",
            "invitation.opened"],
    blueprints=["respondent:bp", "responses_views:bp", "links_views:bp"],
    csrf_exempt=["respondent:bp"],
    direct_endpoints=[DirectEndpoint("POST", "/api/v1/responses", "api:submit", "submit_responses",
                                     max_body_bytes=256 * 1024, intake=True)],
    nav=[Nav(_l("Responses"), "responses.index", "view_responses", order=20)],
    encrypted_columns=[EncryptedColumn("responses", "id", "contact_enc"),
                       EncryptedColumn("links", "id", "contact_enc")],
    audit_labels={
        "export.responses": _l("exported responses"),
        "export.personal": _l("exported personal data"),
        "response.erase": _l("erased a response"),
        "response.accept_held": _l("accepted a held response"),
        "response.reveal_contact": _l("revealed a respondent's contact details"),
    },
    provides={"survey.response_counts": "responses_query:response_counts"},
    capabilities={"review_responses": ("admin", "programme_manager", "analyst"),
                  "reveal_contact": ("unit_manager",)},
    queue_handlers=[QueueHandler("collection.export", "exports:run_export")],
    demo="demo:seed_responses",
)
