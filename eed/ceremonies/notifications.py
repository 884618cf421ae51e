"""The mails around a ceremony (besides the calendar invites), in the recipient's language.

Each function renders and queues one mail; callers are the services, inside
their transaction.
"""

from django.conf import settings

from core.links import absolute_reverse
from onboarding.mail.messages import mail_message


def _queue(*, template: str, to: str, language: str, context: dict) -> None:
    mail_message(template=f"eed/email/{template}", context=context, to=to, language=language).send()


def witness_request(*, appointment) -> None:
    witness = appointment.witness
    _queue(
        template="witness_request",
        to=witness.email,
        language=witness.language,
        context={
            "appointment": appointment,
            "ceremony": appointment.ceremony,
            "witness": witness,
            "answer_url": absolute_reverse("witness_answer", args=[appointment.pk]),
        },
    )


def witness_declined(*, appointment) -> None:
    _tell_hr(template="witness_declined", appointment=appointment)


def newcomer_not_coming(*, appointment) -> None:
    """HR hears that a newcomer cannot come, with their reason, so a new date is found in time."""
    _tell_hr(template="newcomer_not_coming", appointment=appointment)


def _tell_hr(*, template: str, appointment) -> None:
    """A mail to HR's mailbox about one appointment, linking to its ceremony's page."""
    _queue(
        template=template,
        to=settings.HR_MAILBOX,
        language=settings.LANGUAGE_CODE,
        context={
            "appointment": appointment,
            "ceremony": appointment.ceremony,
            "detail_url": absolute_reverse("ceremony_detail", args=[appointment.ceremony_id]),
        },
    )


def newcomer_invitation(*, appointment, raw_token: str) -> None:
    newcomer = appointment.newcomer
    _queue(
        template="newcomer_invitation",
        to=newcomer.email,
        language=newcomer.language,
        context={
            "appointment": appointment,
            "ceremony": appointment.ceremony,
            "newcomer": newcomer,
            "link": absolute_reverse("newcomer_link", args=[raw_token]),
        },
    )


def witness_reminder(*, appointment, to_hr: bool = False) -> None:
    witness = appointment.witness
    _queue(
        template="witness_reminder_hr" if to_hr else "witness_reminder",
        to=settings.HR_MAILBOX if to_hr else witness.email,
        language=settings.LANGUAGE_CODE if to_hr else witness.language,
        context={
            "appointment": appointment,
            "ceremony": appointment.ceremony,
            "witness": witness,
            "answer_url": absolute_reverse("witness_answer", args=[appointment.pk]),
        },
    )


def deadline_digest(
    *, to: str, language: str, newcomers, list_url: str, more: int = 0, long_overdue: int = 0, overdue_days: int = 0
) -> None:
    """The weekly digest: ``newcomers`` listed, then how many more there are and how many long overdue."""
    context = {
        "newcomers": newcomers,
        "list_url": list_url,
        "more": more,
        "long_overdue": long_overdue,
        "overdue_days": overdue_days,
        "overdue_url": f"{list_url}?status=overdue",
    }
    _queue(template="deadline_digest", to=to, language=language, context=context)
