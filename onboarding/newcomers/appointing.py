"""Which body appoints a newcomer, and so who swears them in: the one rule of the form, the import,
the admin and the model.

Griffie staff are appointed by the griffie and take the oath before the griffier; everyone else is
appointed by the civil service and takes it before the provincial secretary. The body follows from
the kind; a value that says otherwise is refused, never silently kept.
"""

from django.utils.translation import gettext as _

from onboarding.enums import AppointingBody, Kind


def appointing_body_for(kind) -> str:
    return AppointingBody.GRIFFIE if kind == Kind.GRIFFIE else AppointingBody.CIVIL_SERVICE


def appointing_body_problem(kind, body) -> str | None:
    """Why ``body`` cannot go with ``kind``, for HR; None when they agree."""
    if not body or body == appointing_body_for(kind):
        return None
    if kind == Kind.GRIFFIE:
        return _("Griffie staff are appointed by the griffie (the griffier swears them in).")
    return _("Only griffie staff are appointed by the griffie; choose the kind Griffie staff or the civil service.")
