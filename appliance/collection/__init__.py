"""Collection domain: survey links and QR posters, respondent pages, intake, responses."""
from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, EncryptedColumn, Nav

DOMAIN = Domain(
    "collection",
    tables=["links", "responses"],
    events=["response.accepted", "response.batch_accepted", "response.erased"],
    blueprints=["respondent:bp", "api:bp", "responses_views:bp", "links_views:bp"],
    csrf_exempt=["respondent:bp", "api:bp"],
    nav=[Nav(_l("Responses"), "responses.index", "view_responses", order=20)],
    encrypted_columns=[EncryptedColumn("responses", "id", "contact_enc"),
                       EncryptedColumn("links", "id", "contact_enc")],
    audit_labels={
        "export.responses": _l("exported responses"),
        "export.personal": _l("exported personal data"),
        "response.erase": _l("erased a response"),
    },
    provides={"survey.response_counts": "responses_query:response_counts"},
    demo="demo:seed_responses",
)
