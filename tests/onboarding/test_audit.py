"""The audit trail: who or which link, when, what, before and after; hash-chained; shown to HR."""

import datetime
import threading

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from onboarding.audit.trail import audit_record, audit_verify
from onboarding.declarations.services import declaration_open, declaration_sign
from onboarding.enums import TextKind
from onboarding.imports.services import newcomers_import_file
from onboarding.models import AuditEntry, Newcomer, Text
from onboarding.newcomers import services
from tests.factories import NewcomerFactory, UserFactory
from tests.mfa_support import give_totp, sign_in
from tests.onboarding.declaration_support import external_fixture, send_link  # noqa: F401
from tests.onboarding.test_import import csv_bytes, row

pytestmark = pytest.mark.django_db


def some_history(hr, count=3) -> Newcomer:
    newcomer = services.newcomer_create(
        by=hr,
        given_names="Jan",
        surname="Berg",
        email="jan@example.org",
        personnel_number="P1",
        start_date=datetime.date(2026, 12, 1),
    )
    for number in range(count - 1):
        services.newcomer_update(newcomer=newcomer, by=hr, notes=f"note {number}")
    return newcomer


def verify():
    """Run verify_audit; (exit code, output)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


# --- the chain ------------------------------------------------------------------------


def test_every_entry_carries_the_hash_of_its_content_and_of_the_one_before(hr):
    some_history(hr, count=3)

    entries = list(AuditEntry.objects.order_by("id"))
    assert [entry.previous_hash for entry in entries] == ["", entries[0].hash, entries[1].hash]
    assert all(len(entry.hash) == 64 for entry in entries)
    assert verify() == (0, f"Audit trail intact: 3 entries checked. Last hash: {entries[-1].hash}\n")


def test_changing_an_entry_afterwards_is_found_and_named(hr):
    some_history(hr, count=4)
    tampered = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=tampered.pk).update(changes={"notes": {"before": "", "after": "something else"}})

    code, message = verify()

    assert code == 1
    assert f"entry {tampered.pk} ({tampered.at.isoformat()})" in message
    assert "changes do not match their digest" in message


def test_removing_an_entry_is_found_at_the_next_one(hr):
    some_history(hr, count=4)
    entries = list(AuditEntry.objects.order_by("id"))
    AuditEntry.objects.filter(pk=entries[1].pk).delete()

    code, message = verify()

    assert code == 1
    assert f"entry {entries[2].pk} " in message
    assert "removed or altered" in message


def test_changing_the_time_or_the_actor_is_found_too(hr, manager):
    some_history(hr, count=2)
    first = AuditEntry.objects.order_by("id").first()
    AuditEntry.objects.filter(pk=first.pk).update(actor=manager)
    assert verify()[0] == 1

    AuditEntry.objects.filter(pk=first.pk).update(actor=hr, at=first.at - datetime.timedelta(days=1))
    assert verify()[0] == 1


def test_the_command_exits_non_zero_from_the_shell(hr, tmp_path):
    some_history(hr, count=2)
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("id").first().pk).update(action="newcomer.delete")
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    assert error.value.returncode == 1


def test_an_empty_trail_is_intact():
    assert verify() == (0, "Audit trail intact: 0 entries checked. Last hash: -\n")


def migration(name):
    return __import__(f"onboarding.migrations.{name}", fromlist=["Migration"])


def test_entries_written_before_the_chain_existed_are_hashed_and_then_resealed_by_the_migrations(hr):
    some_history(hr, count=3)
    AuditEntry.objects.update(hash="", previous_hash="", salt="", changes_digest="")
    assert verify()[0] == 1

    migration("0012_hash_existing_audit_entries").hash_in_order(apps, None)
    migration("0014_reseal_audit_chain_with_change_digests").reseal(apps, None)

    head = AuditEntry.objects.order_by("id").last().hash
    assert verify() == (0, f"Audit trail intact: 3 entries checked. Last hash: {head}\n")


def test_the_reseal_refuses_a_chain_that_was_already_broken(hr):
    some_history(hr, count=3)
    AuditEntry.objects.update(salt="", changes_digest="")
    migration("0012_hash_existing_audit_entries").hash_in_order(apps, None)
    tampered = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=tampered.pk).update(changes={"notes": {"before": "", "after": "forged"}})

    with pytest.raises(RuntimeError, match=f"broken at entry {tampered.pk}"):
        migration("0014_reseal_audit_chain_with_change_digests").reseal(apps, None)


def test_a_user_in_the_trail_cannot_be_deleted(hr):
    from django.db.models import ProtectedError

    some_history(hr, count=1)
    with pytest.raises(ProtectedError):
        hr.delete()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(require_postgresql):
    newcomers = [NewcomerFactory() for _ in range(4)]
    barrier = threading.Barrier(len(newcomers))
    errors = []

    def write(newcomer):
        try:
            barrier.wait()
            for number in range(10):
                audit_record(actor=None, action="newcomer.update", target=newcomer, changes={"n": number})
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(newcomer,)) for newcomer in newcomers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    checked, broken, _head = audit_verify()
    assert broken is None
    assert checked == 40
    assert len(set(AuditEntry.objects.values_list("previous_hash", flat=True))) == 40


# --- who, or which link ---------------------------------------------------------------------


def test_what_an_external_does_through_the_link_is_marked_as_such(external, mailbox):
    token = send_link(external, mailbox=mailbox)
    declaration_open(raw_token=token)
    declaration_sign(raw_token=token, typed_name=external.full_name, confirmed=True, ip="127.0.0.1", user_agent="test")

    marked = dict(
        AuditEntry.objects.filter(action__in=["declaration.open", "declaration.sign"]).values_list("action", "via")
    )
    assert marked == {"declaration.open": "link:declaration", "declaration.sign": "link:declaration"}


def test_an_import_records_every_newcomer_created_or_changed(hr):
    newcomers_import_file(content=csv_bytes([row("P1"), row("P2", surname="Visser")]), filename="a.csv", by=hr)
    newcomers_import_file(
        content=csv_bytes([row("P1", surname="Jansen-de Vries"), row("P2", surname="Visser")]), filename="b.csv", by=hr
    )

    created = AuditEntry.objects.filter(action="newcomer.create")
    updated = AuditEntry.objects.get(action="newcomer.update")
    assert created.count() == 2
    assert {entry.via for entry in created} == {"command:import_newcomers"}
    assert updated.changes["surname"] == {"before": "Jansen", "after": "Jansen-de Vries"}
    assert updated.actor == hr
    assert verify()[0] == 0


def test_a_text_version_added_in_the_admin_is_recorded():
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    give_totp(admin)
    client = Client()
    sign_in(client, admin)

    response = client.post(
        reverse("admin:onboarding_text_add"),
        {
            "kind": TextKind.DECLARATION,
            "language": "nl",
            "version": 99,
            "valid_from": "2027-01-01",
            "title": "Integriteitsverklaring",
            "body": "Ik verklaar ...",
            "closing_words": "",
            "source": "",
        },
    )

    assert response.status_code == 302
    text = Text.objects.get(version=99)
    entry = AuditEntry.objects.get(action="text.create")
    assert (entry.actor, entry.via, entry.target_id) == (admin, "admin", str(text.pk))
    assert entry.changes["body"] == "Ik verklaar ..."


# --- history on the newcomer's page ---------------------------------------------------------


def test_hr_sees_the_newcomers_history_on_their_page(hr_client, hr):
    newcomer = some_history(hr, count=2)
    hr_client.post(reverse("language_set"), {"language": "en"})

    html = hr_client.get(reverse("newcomer_detail", args=[newcomer.pk])).content.decode()

    assert "History" in html
    assert "Registered" in html and "Details changed" in html
    assert "Notes: \u2013 → note 0" in html  # an en dash for "nothing before"
    assert str(hr) in html


def test_a_manager_does_not_see_the_history(manager_client, hr, manager):
    newcomer = some_history(hr, count=2)
    Newcomer.objects.filter(pk=newcomer.pk).update(manager=manager)

    response = manager_client.get(reverse("newcomer_detail", args=[newcomer.pk]))

    assert response.status_code == 200
    assert 'id="history-title"' not in response.content.decode()


def test_the_history_costs_the_same_queries_however_long_it_is(hr_client, hr):
    short = some_history(hr, count=1)
    long = NewcomerFactory(personnel_number="P2")
    for number in range(30):
        services.newcomer_update(newcomer=long, by=hr if number % 2 else UserFactory(), notes=str(number))

    def queries_for(newcomer):
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert hr_client.get(reverse("newcomer_detail", args=[newcomer.pk])).status_code == 200
        return len(captured)

    assert queries_for(long) == queries_for(short)
