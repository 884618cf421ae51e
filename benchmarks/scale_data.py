"""Data the size of a whole central government, built fast for benchmarks.pages_at_scale.

``build(size)`` bulk-creates ``size`` newcomers with start dates over seven years
(to three months ahead) and what their history leaves behind, in the states the
models' rules allow (the check constraints hold, one current appointment each):

- ceremonies: 5% of ``size`` (and at least one a month), on working days at 10:00,
  14:00 or 16:00 over the whole period, held in the past, planned from the last one
  before today on (that one has taken place but is not recorded yet: the attendance
  sheet to fill in); coming ones keep a place free for HR to add someone;
- oath appointments: everyone whose deadline has passed took it in a held
  ceremony between start and deadline, except ~1.3% (overdue, some after an
  absence); ~3% were absent once first (an ended appointment); people with an
  open deadline are planned (witness confirmed, pending or declined) or still
  to plan; the witness is the manager;
- externals: a sent link, signed by those who started more than a month ago;
- audit entries: five per newcomer; managers: 0.35% of ``size``; other staff
  users up to 1% of ``size``; dilemma sessions for a third of the held ceremonies.

Nothing goes through the services (mail, audit, invites): this is the state they
would have left, written with bulk_create.
"""

import bisect
import datetime
import random

BATCH = 2000
FORMS = ("oath", "affirmation")


def _users(size, rng):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from eed.models import Officiant
    from onboarding.models import User

    hr = User.objects.create(email="hr@scale.example.org", first_name="Hanna", last_name="de Ruiter")
    hr.groups.add(Group.objects.get(name="HR"))
    TOTP.activate(hr, generate_totp_secret())
    admin = User.objects.create(email="admin@scale.example.org", is_staff=True, is_superuser=True)
    TOTP.activate(admin, generate_totp_secret())
    officiant = User.objects.create(email="secretaris@scale.example.org", first_name="Pieter", last_name="Smit")
    officiant.groups.add(Group.objects.get(name="Officiant"))
    Officiant.objects.create(user=officiant, function="provinciesecretaris", civil_service=True, griffie=True)
    managers = User.objects.bulk_create(
        User(email=f"manager{i}@scale.example.org", first_name="Manager", last_name=f"Nummer {i}")
        for i in range(max(5, size * 35 // 10_000))
    )
    Group.objects.get(name="Manager").user_set.add(*managers)
    others = max(0, size // 100 - len(managers))
    User.objects.bulk_create(
        (
            User(email=f"staff{i}@scale.example.org", first_name="Collega", last_name=f"Nummer {i}")
            for i in range(others)
        ),
        batch_size=BATCH,
    )
    return hr, admin, officiant, managers


def _ceremonies(size, *, officiant, today, first_day):
    from django.utils import timezone

    from eed.models import Ceremony

    count = max(10, size * 5 // 100)
    last_day = today + datetime.timedelta(days=180)
    days = [first_day + datetime.timedelta(days=n) for n in range((last_day - first_day).days)]
    # Working days at 10:00, 14:00 and 16:00, every step-th slot: ``count`` ceremonies spread evenly.
    slots = [(day, hour) for day in days if day.weekday() < 5 for hour in (10, 14, 16)]
    spread = slots[:: max(1, len(slots) // count)]
    # At small sizes the spread leaves months without one; a province holds one at least monthly.
    months = {day.replace(day=1) for day, _hour in spread}
    monthly = {}
    for day, hour in slots:
        monthly.setdefault(day.replace(day=1), (day, hour))
    slots = sorted(set(spread) | {slot for month, slot in monthly.items() if month not in months})
    last_past = max(day for day, _hour in slots if day < today)
    ceremonies = []
    for day, hour in slots:
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        ceremonies.append(
            Ceremony(
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place="Provinciehuis, Statenzaal",
                officiant=officiant,
                capacity=60,
                state="held" if day < last_past else "planned",
            )
        )
    return Ceremony.objects.bulk_create(ceremonies, batch_size=BATCH), last_past


def _newcomers(size, rng, *, managers, today, first_day):
    from onboarding.models import Newcomer
    from onboarding.newcomers.deadlines import oath_deadline

    kinds = ["employee"] * 80 + ["trainee"] * 8 + ["griffie"] * 4 + ["external"] * 8
    span = (today + datetime.timedelta(days=90) - first_day).days
    rows = []
    for number in range(size):
        start = first_day + datetime.timedelta(days=rng.randrange(span))
        kind = rng.choice(kinds)
        newcomer = Newcomer(
            given_names=rng.choice(("Jan", "Anna", "Mohamed", "Sanne", "Pieter", "Fatima", "Daan", "Emma")),
            surname_prefix=rng.choice(("", "", "van", "de", "van der")),
            surname=rng.choice(("Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Yilmaz")),
            email=f"nieuw{number}@scale.example.org",
            personnel_number=f"S{number:08d}",
            start_date=start,
            deadline=oath_deadline(start),
            kind=kind,
            appointing_body="griffie" if kind == "griffie" else "civil_service",
            manager=rng.choice(managers) if rng.random() < 0.9 else None,
        )
        newcomer.refresh_search_key()
        rows.append(newcomer)
    return Newcomer.objects.bulk_create(rows, batch_size=BATCH)


def _appointment(rng, newcomer, ceremony, *, hr, **fields):
    from eed.models import Appointment

    return Appointment(
        newcomer=newcomer,
        ceremony=ceremony,
        witness_id=newcomer.manager_id,
        link_digest=f"{rng.getrandbits(256):064x}",
        created_by=hr,
        witness_requested_at=ceremony.starts_at - datetime.timedelta(days=20),
        **fields,
    )


def _recorded(rng, newcomer, ceremony, *, hr, outcome):
    form = rng.choice(FORMS)
    taken = outcome == "taken"
    return _appointment(
        rng,
        newcomer,
        ceremony,
        hr=hr,
        witness_answer="confirmed",
        form=form,
        outcome=outcome,
        form_used=form if taken else "",
        witness_present_id=newcomer.manager_id if taken else None,
        recorded_at=ceremony.ends_at,
        recorded_by=hr,
        ended_at=None if taken else ceremony.ends_at,
        end_reason="" if taken else "absent",
    )


def _appointments(rng, newcomers, ceremonies, *, hr, today, last_past):
    """Each oath-needing newcomer's appointments, by the rules of the sheet (taken stays, absent ends)."""
    from eed.models import Appointment

    days = [ceremony.day for ceremony in ceremonies]
    load = [0] * len(ceremonies)
    rows = []

    # Coming ceremonies keep a place free, so HR can still add someone at every size.
    places = [ceremony.capacity - (ceremony.day > today) for ceremony in ceremonies]

    def fitting(after, until):
        index = bisect.bisect_left(days, after)
        while index < len(days) and days[index] <= until:
            if load[index] < places[index]:
                return index
            index += 1
        return None

    for newcomer in newcomers:
        if newcomer.kind == "external":
            continue
        index = fitting(max(newcomer.start_date, days[0]), newcomer.deadline)
        if index is None:
            continue  # no ceremony in their window (the far past): to plan or overdue
        ceremony = ceremonies[index]
        if ceremony.day < last_past:
            roll = rng.random()
            if roll < 0.013:
                continue  # overdue: never planned
            if roll < 0.043:
                rows.append(_recorded(rng, newcomer, ceremony, hr=hr, outcome="absent"))
                load[index] += 1
                later = fitting(ceremony.day + datetime.timedelta(days=1), newcomer.deadline)
                if later is None or roll < 0.02:
                    continue  # absent, not yet placed again
                index, ceremony = later, ceremonies[later]
            if ceremony.day < last_past:
                rows.append(_recorded(rng, newcomer, ceremony, hr=hr, outcome="taken"))
            else:
                rows.append(_appointment(rng, newcomer, ceremony, hr=hr, witness_answer="confirmed", form="oath"))
            load[index] += 1
            continue
        roll = rng.random()
        if roll < 0.25:
            continue  # still to plan
        answer = "confirmed" if roll < 0.8 or newcomer.manager_id is None else "pending" if roll < 0.95 else "declined"
        if newcomer.manager_id is None:
            answer = "pending"
        rows.append(_appointment(rng, newcomer, ceremony, hr=hr, witness_answer=answer, form=rng.choice(FORMS)))
        load[index] += 1
    Appointment.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _declarations(rng, newcomers, *, hr, today):
    from django.utils import timezone

    from onboarding.models import DeclarationRequest, DeclarationSignature, Text

    text = Text.objects.filter(kind="declaration").order_by("-version").first()
    requests, signed = [], []
    for newcomer in newcomers:
        if newcomer.kind != "external" or newcomer.start_date > today + datetime.timedelta(days=30):
            continue
        sent = timezone.make_aware(datetime.datetime.combine(newcomer.start_date, datetime.time(9)))
        sent -= datetime.timedelta(days=14)
        requests.append(
            DeclarationRequest(
                newcomer=newcomer,
                token_digest=f"{rng.getrandbits(256):064x}",
                sent_at=sent,
                sent_by=hr,
                expires_at=sent + datetime.timedelta(days=60),
            )
        )
        if newcomer.start_date < today - datetime.timedelta(days=30):
            signed.append(len(requests) - 1)
    requests = DeclarationRequest.objects.bulk_create(requests, batch_size=BATCH)
    DeclarationSignature.objects.bulk_create(
        (
            DeclarationSignature(
                newcomer_id=requests[index].newcomer_id,
                request=requests[index],
                token_digest=requests[index].token_digest,
                text=text,
                text_sha256="0" * 64,
                signed_name="Naam Getekend",
                signed_at=requests[index].sent_at + datetime.timedelta(days=2),
                verification_code=f"{rng.getrandbits(128):032x}",
            )
            for index in signed
        ),
        batch_size=BATCH,
    )


def _audit(rng, newcomers, *, hr):
    from django.utils import timezone

    from onboarding.models import AuditEntry

    actions = ("newcomer.create", "newcomer.update", "appointment.assign", "witness.answer", "appointment.record")

    def entries():
        for newcomer in newcomers:
            at = timezone.make_aware(datetime.datetime.combine(newcomer.start_date, datetime.time(9)))
            for step, action in enumerate(actions):
                yield AuditEntry(
                    at=at + datetime.timedelta(days=step * 7 - 30),
                    actor=hr if step % 2 == 0 else None,
                    via="" if step % 2 == 0 else "link",
                    action=action,
                    target_type="newcomer",
                    target_id=str(newcomer.pk),
                    changes={"step": step},
                )

    AuditEntry.objects.bulk_create(entries(), batch_size=BATCH)


def _dilemma(ceremonies, *, hr):
    from eed.models import DilemmaSession

    DilemmaSession.objects.bulk_create(
        DilemmaSession(
            date=ceremony.day,
            setting="ceremony",
            ceremony=ceremony,
            facilitator="Integriteitsbureau",
            participants=12,
            created_by=hr,
        )
        for ceremony in ceremonies[::3]
        if ceremony.state == "held"
    )


def build(size: int, *, seed: int = 20260105) -> dict:
    """Build the data; returns the users and the pages' objects the benchmark visits."""
    from django.db import transaction
    from django.db.models import Count, F, Q

    from core.clock import local_today
    from eed.models import Ceremony

    rng = random.Random(seed)
    today = local_today()
    first_day = today.replace(year=today.year - 7)
    with transaction.atomic():
        hr, admin, officiant, managers = _users(size, rng)
        ceremonies, last_past = _ceremonies(size, officiant=officiant, today=today, first_day=first_day)
        newcomers = _newcomers(size, rng, managers=managers, today=today, first_day=first_day)
        appointments = _appointments(rng, newcomers, ceremonies, hr=hr, today=today, last_past=last_past)
        _declarations(rng, newcomers, hr=hr, today=today)
        _audit(rng, newcomers, hr=hr)
        _dilemma(ceremonies, hr=hr)
    held_today = next(c for c in ceremonies if c.day == last_past)
    # The first upcoming ceremony with people in it and places free, as HR opens it to add more: the same
    # page at every size (an empty one skips the rows of its participants, a full one the add form).
    upcoming = (
        Ceremony.objects.filter(starts_at__date__gt=today)
        .annotate(planned=Count("appointments", filter=Q(appointments__ended_at__isnull=True)))
        .filter(planned__gt=0, planned__lt=F("capacity"))
        .order_by("starts_at", "pk")
        .first()
    )
    return {
        "hr": hr,
        "admin": admin,
        "manager": managers[0],
        "attendance_ceremony": held_today,
        "upcoming_ceremony": upcoming,
        "ceremonies": len(ceremonies),
        "appointments": appointments,
    }
