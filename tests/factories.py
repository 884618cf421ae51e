import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from onboarding.enums import AppointingBody, Kind
from onboarding.models import Newcomer, User
from onboarding.newcomers.deadlines import oath_deadline


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class NewcomerFactory(factory.django.DjangoModelFactory):
    """A newcomer as the services would store it: the deadline follows the start date."""

    class Meta:
        model = Newcomer

    given_names = factory.Faker("first_name", locale="nl_NL")
    surname_prefix = ""
    surname = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"newcomer{n}@example.org")
    personnel_number = factory.Sequence(lambda n: f"P{100000 + n}")
    start_date = factory.LazyFunction(lambda: datetime.date.today())
    deadline = factory.LazyAttribute(lambda o: oath_deadline(o.start_date))
    kind = Kind.EMPLOYEE
    appointing_body = factory.LazyAttribute(
        lambda o: AppointingBody.GRIFFIE if o.kind == Kind.GRIFFIE else AppointingBody.CIVIL_SERVICE
    )
    manager = None


class OfficiantFactory(factory.django.DjangoModelFactory):
    """A user with the Officiant role and their authority (civil service by default)."""

    class Meta:
        model = "eed.Officiant"

    user = factory.SubFactory(UserFactory, roles=["Officiant"])
    function = "provinciesecretaris"
    civil_service = True
    griffie = False


class CeremonyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "eed.Ceremony"

    starts_at = factory.LazyFunction(
        lambda: (timezone.localtime() + datetime.timedelta(days=21)).replace(hour=10, minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1, minutes=30))
    place = "Provinciehuis, Zuid-Hollandplein 1, Den Haag"
    officiant = factory.LazyFunction(lambda: OfficiantFactory().user)
    capacity = 10
