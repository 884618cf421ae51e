"""Domain events: a service says what happened, in its own transaction; whoever listens (the API's
webhooks) records it there too, so the record commits or rolls back with the change.

Sent with ``event_happened``; the apps that cause events do not know who listens.
"""

from django.dispatch import Signal

domain_event = Signal()  # keyword arguments: name, newcomer_id, data (JSON-ready)

NEWCOMER_SWORN = "newcomer.sworn"
DECLARATION_SIGNED = "declaration.signed"
CERTIFICATE_REVOKED = "certificate.revoked"


def event_happened(name: str, *, newcomer_id: int, data: dict) -> None:
    domain_event.send(sender=None, name=name, newcomer_id=newcomer_id, data=data)
