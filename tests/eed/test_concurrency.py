"""Two HR users taking the last place at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection

from eed.ceremonies import services
from tests.factories import CeremonyFactory, NewcomerFactory, UserFactory

ATTEMPTS = 20


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_assignments_of_the_last_place_book_it_once(require_postgresql):
    hr = UserFactory(roles=["HR"])
    ceremony = CeremonyFactory(capacity=3)
    for person in NewcomerFactory.create_batch(2):
        services.appointment_assign(newcomer=person, ceremony=ceremony, by=hr)
    contenders = NewcomerFactory.create_batch(ATTEMPTS)
    start = threading.Barrier(ATTEMPTS)
    outcomes = []

    def attempt(newcomer):
        try:
            start.wait()
            services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
            outcomes.append("booked")
        except services.AssignmentRefused as refused:
            outcomes.append(" ".join(refused.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("booked") == 1
    refusals = [outcome for outcome in outcomes if outcome != "booked"]
    assert len(refusals) == ATTEMPTS - 1
    assert all("full" in refusal or "vol" in refusal for refusal in refusals)
    assert ceremony.appointments.filter(ended_at__isnull=True).count() == 3
