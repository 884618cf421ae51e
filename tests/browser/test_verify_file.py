"""Checking a file on /verify/ in a browser: the form, the verdicts, axe-core at desktop and phone width (#17)."""

import pytest

from eed.models import Certificate
from eed.proofs.documents import certificate_pdf
from tests.browser.conftest import axe_widths_violations, screenshot
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_checks_a_proof_and_a_changed_copy_of_it(page, hr, manager, tmp_path):
    ceremony = ceremony_on(-1)
    appointment = assign(ceremony, newcomer(manager, given_names="Zoë", surname="Öster"), hr, form="oath")
    record(ceremony, hr, [taken(appointment)])
    certificate = Certificate.objects.get(appointment=appointment)
    issued = tmp_path / "bewijs.pdf"
    issued.write_bytes(certificate_pdf(certificate))
    changed = tmp_path / "bewijs-gewijzigd.pdf"
    data = bytearray(issued.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))

    page.goto("/verify/")
    found = axe_widths_violations(page, "file check")
    page.set_input_files("input[name=document]", str(issued))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "Door ons uitgegeven" in page.locator("#verification-result").inner_text()
    assert certificate.number in page.locator("main").inner_text()
    found += axe_widths_violations(page, "file check: issued")
    screenshot(page, "verify-file-issued")

    page.set_input_files("input[name=document]", str(changed))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "Geen document dat wij hebben uitgegeven" in page.locator("#verification-result").inner_text()
    found += axe_widths_violations(page, "file check: changed")
    screenshot(page, "verify-file-changed")
    assert not found, "\n".join(found)
