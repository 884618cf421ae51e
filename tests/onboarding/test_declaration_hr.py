"""HR sends links, follows every external's declaration, withdraws, downloads the PDF and exports."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.clock import local_today
from onboarding.declarations.services import declaration_open, declaration_sign
from onboarding.enums import Kind
from onboarding.imports.services import newcomers_import_file
from onboarding.models import DeclarationRequest, DeclarationSignature
from onboarding.newcomers.selectors import dashboard_counts, newcomers_visible_to
from tests.downloads import body
from tests.factories import NewcomerFactory
from tests.onboarding.declaration_support import external_fixture, send_link  # noqa: F401
from tests.pdf_checks import assert_pdfa_2b

pytestmark = pytest.mark.django_db

NAME = "Zoë Françoise van der Öster"


def _send(hr_client, newcomer, language="nl"):
    return hr_client.post(reverse("declaration_send", args=[newcomer.pk]), {"language": language})


def test_hr_sends_the_link_from_the_newcomer_page(hr_client, external, mailbox):
    response = _send(hr_client, external, language="en")

    assert response.status_code == 302 and response["Location"] == reverse("newcomer_detail", args=[external.pk])
    request = DeclarationRequest.objects.get()
    assert request.language == "en" and request.sent_by.email == "hr@example.org"
    assert [message.to for message in mailbox()] == [["zoe.oster@example.org"]]
    page = hr_client.get(reverse("newcomer_detail", args=[external.pk])).content.decode()
    assert "Verklaring verstuurd" in page and "Nieuwe link versturen" in page


def test_only_hr_sends_and_only_to_externals(manager_client, outsider_client, hr_client, manager, mailbox):
    own_external = NewcomerFactory(kind=Kind.EXTERNAL, manager=manager)
    employee = NewcomerFactory(kind=Kind.EMPLOYEE)

    assert _send(manager_client, own_external).status_code == 403
    assert _send(outsider_client, own_external).status_code == 403
    assert hr_client.get(reverse("declaration_send", args=[own_external.pk])).status_code == 405
    response = hr_client.post(reverse("declaration_send", args=[employee.pk]), {"language": "nl"}, follow=True)
    assert "Alleen externen ondertekenen de integriteitsverklaring." in response.content.decode()
    assert DeclarationRequest.objects.count() == 0
    assert mailbox() == []


def test_the_newcomer_page_follows_the_declaration_through_its_states(hr_client, external, mailbox):
    detail = reverse("newcomer_detail", args=[external.pk])
    assert "Verklaring niet verstuurd" in hr_client.get(detail).content.decode()

    token = send_link(external, mailbox=mailbox)
    declaration_open(raw_token=token)
    assert "Verklaring geopend" in hr_client.get(detail).content.decode()

    declaration_sign(raw_token=token, typed_name=NAME, confirmed=True, ip=None, user_agent="")
    page = hr_client.get(detail).content.decode()
    assert "Verklaring ondertekend" in page
    assert reverse("declaration_pdf_hr", args=[external.pk]) in page
    assert reverse("declaration_withdraw", args=[DeclarationSignature.objects.get().pk]) in page
    assert "Nieuwe link versturen" not in page


def test_a_manager_sees_the_state_of_their_external_but_no_hr_actions(manager_client, manager, mailbox):
    own = NewcomerFactory(kind=Kind.EXTERNAL, manager=manager)
    send_link(own, mailbox=mailbox)

    page = manager_client.get(reverse("newcomer_detail", args=[own.pk])).content.decode()

    assert "Verklaring verstuurd" in page
    assert reverse("declaration_send", args=[own.pk]) not in page


def test_the_section_says_when_the_link_has_expired(hr_client, external, mailbox):
    send_link(external, mailbox=mailbox, now=timezone.now() - datetime.timedelta(days=31))
    page = hr_client.get(reverse("newcomer_detail", args=[external.pk])).content.decode()
    assert "Link voor de verklaring verlopen" in page and "(verlopen)" in page


def test_hr_withdraws_a_signature_with_a_reason(hr_client, hr, external, mailbox):
    token = send_link(external, mailbox=mailbox)
    signature = declaration_sign(raw_token=token, typed_name=NAME, confirmed=True, ip=None, user_agent="")
    url = reverse("declaration_withdraw", args=[signature.pk])

    assert hr_client.get(url).status_code == 200
    empty = hr_client.post(url, {"reason": ""})
    assert empty.status_code == 200 and 'href="#id_reason"' in empty.content.decode()
    response = hr_client.post(url, {"reason": "Signed by the wrong person"})

    assert response.status_code == 302
    signature.refresh_from_db()
    assert signature.withdrawn_by == hr and signature.withdrawal_reason == "Signed by the wrong person"
    page = hr_client.get(reverse("newcomer_detail", args=[external.pk])).content.decode()
    assert "Ingetrokken ondertekeningen" in page and "Signed by the wrong person" in page
    assert "Link voor de verklaring versturen" in page
    again = hr_client.post(url, {"reason": "twice"}, follow=True)
    assert "is al ingetrokken" in again.content.decode()


def test_hr_downloads_the_pdf_and_nobody_else_does(hr_client, manager_client, manager, mailbox):
    own = NewcomerFactory(kind=Kind.EXTERNAL, manager=manager, given_names="Zoë", surname="Öster")
    url = reverse("declaration_pdf_hr", args=[own.pk])
    assert hr_client.get(url).status_code == 404
    token = send_link(own, mailbox=mailbox)
    declaration_sign(raw_token=token, typed_name="Zoë Öster", confirmed=True, ip=None, user_agent="")

    response = hr_client.get(url)

    assert response.status_code == 200
    assert_pdfa_2b(response.content)
    assert "attachment" in response["Content-Disposition"]
    assert manager_client.get(url).status_code == 403
    assert manager_client.get(reverse("declaration_withdraw", args=[1])).status_code == 403


def _externals_in_every_state(mailbox, today):
    """Not sent, sent, opened, signed, expired; started work in the past, except the signed one."""
    started = today - datetime.timedelta(days=10)
    not_sent, sent, opened, signed, expired = (
        NewcomerFactory(kind=Kind.EXTERNAL, start_date=started, given_names=name, surname="Extern")
        for name in ("Nina", "Sam", "Olaf", "Sien", "Evi")
    )
    send_link(sent, mailbox=mailbox)
    declaration_open(raw_token=send_link(opened, mailbox=mailbox))
    declaration_sign(
        raw_token=send_link(signed, mailbox=mailbox), typed_name="Sien Extern", confirmed=True, ip=None, user_agent=""
    )
    send_link(expired, mailbox=mailbox, now=timezone.now() - datetime.timedelta(days=40))
    NewcomerFactory(kind=Kind.EXTERNAL, start_date=today + datetime.timedelta(days=20), given_names="Toekomst")
    return {"not_sent": not_sent, "sent": sent, "opened": opened, "signed": signed, "expired": expired}


def _listed(people, page):
    """The people of the story whose row links to their page (a name alone may also be part of the
    random name of the signed-in HR user, "Sien" of "Sienna")."""
    return {key for key, person in people.items() if f'href="{reverse("newcomer_detail", args=[person.pk])}"' in page}


def test_the_overview_shows_every_state_and_filters_on_it(hr_client, mailbox):
    people = _externals_in_every_state(mailbox, local_today())
    url = reverse("declaration_list")

    page = hr_client.get(url).content.decode()
    for label in ("Verklaring niet verstuurd", "Verklaring verstuurd", "Verklaring geopend", "Verklaring ondertekend"):
        assert label in page
    assert "Link voor de verklaring verlopen" in page

    for state in people:
        filtered = hr_client.get(url, {"status": f"declaration_{state}"}).content.decode()
        assert _listed(people, filtered) == {state}
    unsigned = hr_client.get(url, {"status": "declaration_required"}).content.decode()
    assert _listed(people, unsigned) == set(people) - {"signed"}


def test_the_dashboard_counts_externals_working_without_a_signed_declaration(hr_client, mailbox):
    people = _externals_in_every_state(mailbox, local_today())

    page = hr_client.get(reverse("dashboard"))
    assert page.context["counts"]["declaration_started_unsigned"] == 4
    assert page.context["counts"]["declaration_required"] == 5  # the one starting later counts here too
    assert f"{reverse('declaration_list')}?started_unsigned=on" in page.content.decode()
    started = hr_client.get(reverse("declaration_list"), {"started_unsigned": "on"}).content.decode()
    assert "Toekomst" not in started and _listed(people, started) == set(people) - {"signed"}


def test_dashboard_counts_are_one_query(hr, mailbox):
    _externals_in_every_state(mailbox, local_today())
    with CaptureQueriesContext(connection) as queries:
        counts = dashboard_counts(newcomers_visible_to(hr), today=local_today())
    assert len(queries) <= 2  # the roles of the user, then one aggregate
    assert counts["declaration_started_unsigned"] == 4


def test_the_newcomer_list_shows_and_groups_the_declaration_states(hr_client, mailbox):
    people = _externals_in_every_state(mailbox, local_today())
    NewcomerFactory(kind=Kind.EMPLOYEE, given_names="Werknemer")

    grouped = hr_client.get(reverse("newcomer_list"), {"status": "declaration_required"}).content.decode()

    assert "Verklaring niet verstuurd" in grouped and "Link voor de verklaring verlopen" in grouped
    assert "Werknemer" not in grouped and _listed(people, grouped) == set(people) - {"signed"}


def test_the_overview_exports_csv_with_the_times(hr_client, mailbox):
    people = _externals_in_every_state(mailbox, local_today())

    response = hr_client.get(reverse("declaration_list"), {"_export": "csv"})

    content = body(response).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert len(content.strip().splitlines()) == 1 + 6
    signature = DeclarationSignature.objects.get(newcomer=people["signed"])
    assert signature.verification_code in content
    assert timezone.localtime(signature.signed_at).strftime("%d-%m-%Y %H:%M") in content
    assert hr_client.get(reverse("declaration_list"), {"_export": "xlsx"}).status_code == 200


@pytest.mark.parametrize(
    "query", ["", "?status=declaration_required", "?started_unsigned=on", "?sort=-signed_at", "?_export=csv"]
)
def test_the_overview_costs_the_same_queries_for_more_externals(hr_client, mailbox, query, django_assert_num_queries):
    url = reverse("declaration_list") + query
    _externals_in_every_state(mailbox, local_today())
    hr_client.get(url)
    with CaptureQueriesContext(connection) as small:
        body(hr_client, url)  # a streamed export queries while it is read

    for _ in range(4):
        _externals_in_every_state(mailbox, local_today())
    with django_assert_num_queries(len(small)):
        response = hr_client.get(url)
        body(response)
    assert response.status_code == 200
    assert len(small) <= 10


def test_managers_and_outsiders_do_not_get_the_overview(manager_client, outsider_client):
    assert manager_client.get(reverse("declaration_list")).status_code == 403
    assert outsider_client.get(reverse("declaration_list")).status_code == 403


# --- automatic sending ---------------------------------------------------------------


def test_registering_an_external_sends_the_link_when_automatic(hr_client, settings, mailbox):
    settings.DECLARATION_SEND_AUTOMATICALLY = True
    data = {
        "given_names": "Ext",
        "surname": "Ern",
        "email": "ext@example.org",
        "personnel_number": "E1",
        "start_date": "2027-01-04",
        "kind": "external",
        "appointing_body": "civil_service",
    }
    hr_client.post(reverse("newcomer_create"), data)
    hr_client.post(reverse("newcomer_create"), {**data, "personnel_number": "E2", "kind": "employee"})

    assert DeclarationRequest.objects.get().newcomer.personnel_number == "E1"
    assert [message.to for message in mailbox()] == [["ext@example.org"]]


def test_registering_an_external_sends_nothing_by_default(hr_client, mailbox):
    NewcomerFactory(kind=Kind.EXTERNAL)
    assert DeclarationRequest.objects.count() == 0


def test_importing_externals_sends_their_links_in_the_same_transaction_when_automatic(settings, hr, mailbox):
    settings.DECLARATION_SEND_AUTOMATICALLY = True
    content = (
        b"personnel_number,given_names,surname,email,start_date,kind\n"
        b"X1,Anna,Extern,anna@example.org,2027-01-04,external\n"
        b"X2,Bart,Intern,bart@example.org,2027-01-04,employee\n"
        b"X3,Cees,Inhuur,cees@example.org,2027-01-04,inhuur\n"
    )

    newcomers_import_file(content=content, filename="import.csv", by=hr)

    assert sorted(DeclarationRequest.objects.values_list("newcomer__personnel_number", flat=True)) == ["X1", "X3"]
    assert sorted(message.to[0] for message in mailbox()) == ["anna@example.org", "cees@example.org"]


def test_the_link_goes_out_in_the_externals_own_language_unless_hr_picks_another(hr, hr_client, mailbox):
    from onboarding.declarations.services import declaration_request_send

    external = NewcomerFactory(kind=Kind.EXTERNAL, language="en")
    page = hr_client.get(reverse("newcomer_detail", args=[external.pk])).content.decode()

    request = declaration_request_send(newcomer=external, by=hr)

    assert '<option value="en" selected>' in page
    assert request.language == "en"
    (subject,) = [message.subject for message in mailbox() if message.to == [external.email]]
    assert subject.startswith("Please sign")
