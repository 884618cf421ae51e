"""Every page that asks for a password keeps the label right above its field, with "Forgot your password?" after.

allauth puts that link in the password's help text, which the field layout shows between the label and the
field; we empty the help text and show the link after the fields.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.html_tree import Element, parse
from tests.mfa_support import sign_in

pytestmark = pytest.mark.django_db


def elements(parent: Element) -> list[Element]:
    return [child for child in parent.children if isinstance(child, Element)]


def password_field_and_reset_link(response, field_id: str) -> tuple[list[str], list[str]]:
    """The tags in the password's field box, in order; and the form's elements from that box on (tag and href)."""
    assert response.status_code == 200
    form = next(form for form in parse(response).find_all("form") if form.by_id(field_id))
    box = next(div for div in form.find_all("div", class_="field") if div.by_id(field_id))
    after = False
    following = []
    for element in form.iter():
        after = after or element is box
        if after and element.tag == "a":
            following.append(element.attrs.get("href"))
    return [element.tag for element in elements(box)], following


def test_the_login_page_shows_the_password_field_under_its_label_and_the_reset_link_after_it():
    response = Client().get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="nl")

    tags, links_after = password_field_and_reset_link(response, "id_password")

    assert tags == ["label", "input"]
    assert links_after == [reverse("account_reset_password")]
    page = parse(response)
    assert page.by_id("id_password").attrs.get("aria-describedby") is None
    assert page.find("a", href=reverse("account_reset_password")).text == "Wachtwoord vergeten?"


def test_confirming_and_changing_a_password_keep_the_label_with_its_field_too(manager):
    client = Client()
    sign_in(client, manager)

    for url, field_id in ((reverse("account_reauthenticate"), "id_password"),
                          (reverse("account_change_password"), "id_oldpassword")):  # fmt: skip
        tags, links_after = password_field_and_reset_link(client.get(url), field_id)

        assert tags == ["label", "input"], url
        assert links_after == [reverse("account_reset_password")], url
