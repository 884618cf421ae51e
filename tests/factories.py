import datetime

import factory
from django.contrib.auth.models import Group

from onboarding.deadlines import oath_deadline
from onboarding.enums import AppointingBody, Kind
from onboarding.models import Newcomer, User


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
