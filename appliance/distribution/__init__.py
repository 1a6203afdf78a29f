"""Distribution domain: contacts, lists and segments, channels, waves, triggers, delivery log."""
from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, EncryptedColumn, Job, Nav, Subscriber

DOMAIN = Domain(
    "distribution",
    tables=["contacts", "contact_optouts", "contact_lists", "list_members", "channels",
            "message_templates", "waves", "wave_runs", "invitations", "delivery_log", "triggers",
            "contact_replies"],
    events=["invitation.sent", "invitation.responded"],
    blueprints=["contacts_views:bp", "waves_views:bp", "channels_views:bp", "api:bp",
                "unsubscribe:bp", "inbound:bp"],
    csrf_exempt=["api:bp", "unsubscribe:bp", "inbound:bp"],
    nav=[Nav(_l("Contacts"), "contacts.index", "manage_distribution", order=25),
         Nav(_l("Waves"), "waves.index", "manage_distribution", order=26)],
    subscribers=[
        Subscriber("response.accepted", "distribution.responded", "tracking:on_responses",
                   batch=True),
        Subscriber("invitation.opened", "distribution.opened", "tracking:on_opened", batch=True),
    ],
    jobs=[Job("distribution.waves", "jobs:start_due_waves", {"seconds": 5}),
          Job("distribution.send", "jobs:send_due", {"seconds": 2}),
          Job("distribution.reminders", "jobs:schedule_reminders", {"seconds": 60})],
    encrypted_columns=[EncryptedColumn("contacts", "id", "name_enc"),
                       EncryptedColumn("contacts", "id", "email_enc"),
                       EncryptedColumn("contacts", "id", "phone_enc"),
                       EncryptedColumn("channels", "id", "secret_enc"),
                       EncryptedColumn("channels", "id", "inbound_secret_enc"),
                       EncryptedColumn("contact_replies", "id", "text_enc")],
    audit_labels={
        "contact.import": _l("imported contacts"), "contact.erase": _l("erased a contact"),
        "contact.update": _l("changed a contact"), "export.contacts": _l("exported contacts"),
        "list.create": _l("created a contact list"), "list.delete": _l("deleted a contact list"),
        "channel.save": _l("saved a channel"), "template.save": _l("saved a message template"),
        "wave.create": _l("created a wave"), "wave.status": _l("paused or resumed a wave"),
        "distribution.settings": _l("changed the distribution rules"),
        "invitation.retry": _l("sent failed invitations again"),
        "contact.opt_out": _l("opted out of invitations"),
    },
    capabilities={"manage_distribution": ["admin", "programme_manager"],
                  "trigger_surveys": ["admin", "programme_manager"]},
    extensions={"distribution.channels": ["channels.email:EmailChannel",
                                          "channels.sms:SmsGatewayChannel"]},
    demo="demo:seed",
)
