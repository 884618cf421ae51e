"""Keep every participant's calendar in step with the ceremony.

Each recipient holds their own copy of the ceremony's event (one UID for the
ceremony, ICS.md rule 1): the newcomer sees themselves, their witness once
confirmed, and the officiant; a witness sees the newcomers they witness; the
officiant sees the ceremony. ``invites_sync`` compares what each person
should hold with what they were last sent (``InviteCopy.fingerprint``) and
sends a REQUEST with a higher SEQUENCE where it differs, or a CANCEL listing
only them to whoever no longer takes part. Calling it twice sends nothing
the second time.
"""

import datetime
import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eed.calendar import ical
from eed.calendar.invite_mail import invite_message
from eed.enums import CeremonyState, WitnessAnswer
from eed.models import Ceremony, InviteCopy
from onboarding.mail.messages import MailTemplates, mail_texts
from onboarding.mail.text import render_text


@dataclass(frozen=True)
class Copy:
    recipient: ical.Person
    attendees: tuple[ical.Person, ...]


def organizer() -> ical.Person:
    return ical.Person(email=settings.HR_MAILBOX, name=str(settings.ORGANISATION_NAME) + " HR")


def user_person(user) -> ical.Person:
    return ical.Person(email=user.email, name=user.get_full_name() or user.email, language=user.language or "nl")


def newcomer_person(newcomer) -> ical.Person:
    return ical.Person(email=newcomer.email, name=newcomer.full_name, language=newcomer.language)


def desired_copies(ceremony: Ceremony) -> dict[str, Copy]:
    """Who should hold the ceremony in their calendar, and with which attendees."""
    if ceremony.state == CeremonyState.CANCELLED:
        return {}
    officiant = user_person(ceremony.officiant)
    copies = {officiant.address: Copy(officiant, (officiant,))}
    witnessed: dict[str, list] = {}
    appointments = ceremony.appointments.filter(ended_at__isnull=True).select_related("newcomer", "witness")
    for appointment in appointments:
        newcomer = newcomer_person(appointment.newcomer)
        people = [newcomer, officiant]
        if appointment.witness is not None and appointment.witness_answer == WitnessAnswer.CONFIRMED:
            witness = user_person(appointment.witness)
            people.append(witness)
            witnessed.setdefault(witness.address, [witness]).append(newcomer)
        copies[newcomer.address] = Copy(newcomer, tuple(people))
    for address, (witness, *newcomers) in witnessed.items():
        copies[address] = Copy(witness, (witness, officiant, *newcomers))
    return copies


PROGRAMME_ITEMS = "programme_items"


def programme_prefetch() -> Prefetch:
    """The programme of many ceremonies at once as a list on each, for _programme (the feed's 1,000
    ceremonies: ~20 ms less than a plain prefetch, which builds a related manager and a queryset for each)."""
    return Prefetch("programme", to_attr=PROGRAMME_ITEMS)


@functools.cache
def _summary(language: str) -> str:
    """The event's SUMMARY in ``language`` (once per language: the feed asks for it per ceremony)."""
    with translation.override(language):
        return _("Oath or affirmation ceremony")


# Per process, at most 10,000 texts. Needed for the repeated feed request (< 100 ms for 1,000
# ceremonies, benchmarks.calendar_feed: ~120 ms without it): the feed view builds every event,
# description included, on every request, to find the rendered feed in the cache (calendar/feeds.py).
_DESCRIPTIONS: dict[tuple, str] = {}


def _programme(ceremony: Ceremony) -> tuple[str, ...]:
    """The names of the ceremony's programme items: from ``programme_items`` where the query fetched them
    as a list (programme_prefetch), else from the database."""
    items = getattr(ceremony, PROGRAMME_ITEMS, None)
    if items is None:
        items = ceremony.programme.all()
    return tuple(item.name for item in items)


def _description(ceremony: Ceremony, language: str) -> str:
    """The event's DESCRIPTION, cached by everything it depends on."""
    programme = _programme(ceremony)
    key = (ceremony.pk, ceremony.updated_at, language, programme)
    text = _DESCRIPTIONS.get(key)
    if text is None:
        with translation.override(language):
            text = render_text("eed/email/invite_description.txt", {"programme": programme}).strip()
        if len(_DESCRIPTIONS) >= 10_000:
            _DESCRIPTIONS.clear()
        _DESCRIPTIONS[key] = text
    return text


def ceremony_event(
    ceremony: Ceremony, *, attendees, sequence: int, language: str, dtstamp=None, reminder: bool = True
) -> ical.CeremonyEvent:
    """The ceremony as calendar data; ``reminder=False`` leaves the VALARM out (a feed's ceremony the
    reader only organises)."""
    return ical.CeremonyEvent(
        uid=f"{ceremony.uid}@{settings.CALENDAR_UID_DOMAIN}",
        sequence=sequence,
        starts_at=ceremony.starts_at,
        ends_at=ceremony.ends_at,
        summary=_summary(language),
        location=ceremony.location,
        description=_description(ceremony, language),
        url=ceremony.video_url,
        status=ical.CANCELLED if ceremony.state == CeremonyState.CANCELLED else ical.CONFIRMED,
        organizer=organizer(),
        attendees=tuple(attendees),
        dtstamp=dtstamp or timezone.now(),
        alarm_minutes=ical.CeremonyEvent.alarm_minutes if reminder else None,
    )


def _fingerprint(ceremony: Ceremony, copy: Copy) -> str:
    parts = [
        # In UTC: a time from the form (Dutch time) and the same time read back from the database are one.
        ceremony.starts_at.astimezone(datetime.UTC).isoformat(),
        ceremony.ends_at.astimezone(datetime.UTC).isoformat(),
        ceremony.location,
        _description(ceremony, copy.recipient.language),
        *sorted(f"{p.address}|{p.name}" for p in copy.attendees),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _send(ceremony: Ceremony, *, recipient: ical.Person, calendar: bytes, method: str) -> None:
    kind = "cancel" if method == ical.CANCEL else "invite"
    texts = mail_texts(
        MailTemplates.named(f"eed/email/{kind}", html=True),
        {"ceremony": ceremony, "person": recipient, "method": method},
        language=recipient.language,
    )
    message = invite_message(
        calendar=calendar,
        to=recipient.email,
        from_email=settings.DEFAULT_FROM_EMAIL,
        subject=texts.subject,
        text=texts.text,
        html=texts.html,
        method=method,
    )
    message.send()


def invites_sync(*, ceremony: Ceremony) -> int:
    """Send what changed to whom it concerns; returns the number of messages queued."""
    if ceremony.state == CeremonyState.HELD:
        return 0
    existing = {copy.email: copy for copy in InviteCopy.objects.select_for_update().filter(ceremony=ceremony)}
    desired = desired_copies(ceremony)
    sent = 0
    for address, copy_spec in desired.items():
        fingerprint = _fingerprint(ceremony, copy_spec)
        stored = existing.get(address)
        if stored is not None and stored.fingerprint == fingerprint and not stored.cancelled:
            continue
        if stored is None:
            stored = InviteCopy(ceremony=ceremony, email=address, sequence=0)
        else:
            stored.sequence += 1
        stored.fingerprint, stored.cancelled = fingerprint, False
        stored.save()
        event = ceremony_event(
            ceremony, attendees=copy_spec.attendees, sequence=stored.sequence, language=copy_spec.recipient.language
        )
        _send(ceremony, recipient=copy_spec.recipient, calendar=ical.request_calendar(event), method=ical.REQUEST)
        sent += 1
    sent += _cancel_removed(ceremony, existing, keep=desired.keys())
    return sent


def _cancel_removed(ceremony: Ceremony, existing: dict, *, keep) -> int:
    sent = 0
    for address, stored in existing.items():
        if address in keep or stored.cancelled:
            continue
        stored.sequence += 1
        stored.cancelled = True
        stored.save()
        recipient = _recipient_for(ceremony, address)
        event = ceremony_event(ceremony, attendees=(recipient,), sequence=stored.sequence, language=recipient.language)
        _send(
            ceremony,
            recipient=recipient,
            calendar=ical.cancel_calendar(event, attendees=(recipient,)),
            method=ical.CANCEL,
        )
        sent += 1
    return sent


def _recipient_for(ceremony: Ceremony, address: str) -> ical.Person:
    """The person behind an address that held a copy (to address their CANCEL)."""
    from onboarding.models import Newcomer, User

    user = User.objects.filter(email__iexact=address).first()
    if user is not None:
        return user_person(user)
    newcomer = Newcomer.objects.filter(email__iexact=address, appointments__ceremony=ceremony).first()
    if newcomer is not None:
        return newcomer_person(newcomer)
    return ical.Person(email=address, name=address)
