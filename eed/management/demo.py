"""Demo data: users for each role and a realistic set of newcomers.

Deterministic (fixed random seed) and idempotent: running it twice changes
nothing. Later issues add ceremonies and outcomes so the annual counts
reproduce the province's 2022 figures (182 / 10 / 4 sworn).
"""

import datetime
import random
import unicodedata

from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from onboarding.accounts.services import role_group
from onboarding.enums import AppointingBody, Kind, Role
from onboarding.models import Newcomer, User
from onboarding.newcomers.services import newcomer_create

DEMO_PASSWORD = "demo-eed-2026"  # noqa: S105 - printed for local demos only
# HR and administrators must use a second factor; the demo accounts share this
# authenticator-app secret (base32), printed by seed_demo. Local demos only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

DEMO_USERS = [
    ("hr@demo.example.org", "Hanna", "de Ruiter", [Role.HR]),
    ("manager@demo.example.org", "Mehmet", "Yilmaz", [Role.MANAGER]),
    ("manager2@demo.example.org", "Olga", "Bakker", [Role.MANAGER]),
    ("manager3@demo.example.org", "Ruud", "van Dijk", [Role.MANAGER]),
    ("secretaris@demo.example.org", "Pieter", "Smit", [Role.OFFICIANT]),
    ("griffier@demo.example.org", "Ingrid", "Koster", [Role.OFFICIANT]),
    ("admin@demo.example.org", "Ada", "Admin", [Role.HR]),
]

GIVEN_NAMES = [
    "Jan",
    "Sanne",
    "Mohamed",
    "Fleur",
    "Daan",
    "Zoë",
    "Thijs",
    "Noor",
    "Bram",
    "Lotte",
    "Youssef",
    "Eva",
    "Sem",
    "Ayşe",
    "Lucas",
    "Iris",
    "Finn",
    "Mila",
    "Jesse",
    "Anouk",
    "Ravi",
    "Femke",
    "Chen",
    "Joost",
]
SURNAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Özdemir"),
    ("", "El Amrani"),
    ("van der", "Heijden"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Kaya"),
    ("ter", "Horst"),
]

# (year, kind, how many): the 2022 numbers are the province's published figures.
HISTORY = [
    (2021, Kind.EMPLOYEE, 165),
    (2021, Kind.TRAINEE, 8),
    (2021, Kind.GRIFFIE, 3),
    (2021, Kind.EXTERNAL, 20),
    (2022, Kind.EMPLOYEE, 182),
    (2022, Kind.TRAINEE, 10),
    (2022, Kind.GRIFFIE, 4),
    (2022, Kind.EXTERNAL, 25),
]
UPCOMING = [(Kind.EMPLOYEE, 30), (Kind.TRAINEE, 4), (Kind.GRIFFIE, 2), (Kind.EXTERNAL, 6)]


def demo_users(*, by=None) -> dict[str, User]:
    users = {}
    for email, first, last, roles in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
            if email.startswith("admin@"):
                user.is_staff = user.is_superuser = True
                user.save()
            if Role.HR in roles:
                TOTP.activate(user, DEMO_TOTP_SECRET)
        for role in roles:
            user.groups.add(role_group(role))
        users[email] = user
    return users


def _newcomer_specs(today: datetime.date):
    rng = random.Random(2022)
    number = 10000
    for year, kind, count in HISTORY:
        for _ in range(count):
            number += 1
            start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 300))
            yield number, kind, start, rng
    for kind, count in UPCOMING:
        for _ in range(count):
            number += 1
            start = today + datetime.timedelta(days=rng.randrange(-75, 90))
            yield number, kind, start, rng


def _demo_email(given: str, surname: str, number: int) -> str:
    local = unicodedata.normalize("NFKD", f"{given}.{surname}").encode("ascii", "ignore").decode()
    return f"{local.replace(' ', '').lower()}.{number}@demo.example.org"


@transaction.atomic
def demo_newcomers(*, managers, today: datetime.date, by=None) -> int:
    existing = set(Newcomer.objects.values_list("personnel_number", flat=True))
    created = 0
    for number, kind, start, rng in _newcomer_specs(today):
        given = rng.choice(GIVEN_NAMES)
        prefix, surname = rng.choice(SURNAMES)
        manager = rng.choice(managers)
        personnel_number = f"ZH{number}"
        if personnel_number in existing:
            continue
        newcomer_create(
            by=by,
            given_names=given,
            surname_prefix=prefix,
            surname=surname,
            email=_demo_email(given, prefix + surname, number),
            personnel_number=personnel_number,
            start_date=start,
            kind=kind,
            manager=manager,
            appointing_body=AppointingBody.GRIFFIE if kind == Kind.GRIFFIE else AppointingBody.CIVIL_SERVICE,
        )
        created += 1
    return created


def demo_officiants(users: dict) -> None:
    from eed.models import Officiant

    Officiant.objects.get_or_create(
        user=users["secretaris@demo.example.org"], defaults={"function": "provinciesecretaris", "civil_service": True}
    )
    Officiant.objects.get_or_create(
        user=users["griffier@demo.example.org"],
        defaults={"function": "griffier", "civil_service": False, "griffie": True},
    )


def demo_ceremonies(*, users: dict, today: datetime.date) -> int:
    """Upcoming ceremonies with the nearest-deadline newcomers, through the same services as the app."""
    from eed.ceremonies import services as eed_services
    from eed.models import Ceremony, ProgrammeItem

    if Ceremony.objects.filter(starts_at__gte=timezone.now()).exists():
        return 0
    hr = users["hr@demo.example.org"]
    plans = [
        (12, "secretaris@demo.example.org", AppointingBody.CIVIL_SERVICE, "Provinciehuis, Statenzaal"),
        (26, "secretaris@demo.example.org", AppointingBody.CIVIL_SERVICE, "Provinciehuis, zaal 2.14"),
        (19, "griffier@demo.example.org", AppointingBody.GRIFFIE, "Provinciehuis, griffiekamer"),
    ]
    programme = list(ProgrammeItem.objects.all())
    assigned = 0
    for days, officiant, body, place in plans:
        day = today + datetime.timedelta(days=days)
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        ceremony = eed_services.ceremony_schedule(
            by=hr,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place=place,
            officiant=users[officiant],
            capacity=8,
            programme=programme,
        )
        candidates = (
            Newcomer.objects.filter(
                appointing_body=body, start_date__lte=day, deadline__gte=day, appointments__isnull=True
            )
            .exclude(kind=Kind.EXTERNAL)
            .order_by("deadline")[:5]
        )
        for newcomer in candidates:
            appointment, _raw = eed_services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
            assigned += 1
            if appointment.witness and assigned % 2:
                eed_services.witness_answer(appointment=appointment, by=appointment.witness, confirm=True)
    return assigned
