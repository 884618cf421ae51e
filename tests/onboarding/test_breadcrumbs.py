"""Breadcrumbs on the detail pages: a labelled nav with an ordered list, the current page marked."""

import re

import pytest
from django.urls import reverse

from tests.factories import CeremonyFactory, NewcomerFactory

pytestmark = pytest.mark.django_db

TRAIL = re.compile(r'<nav class="breadcrumbs" aria-label="[^"]+">\s*<ol>(.*?)</ol>', re.DOTALL)


def trail(response) -> str:
    assert response.status_code == 200
    found = TRAIL.search(response.content.decode())
    assert found, "no breadcrumbs"
    return found.group(1)


def test_the_newcomer_page_sits_under_the_newcomer_list(hr_client, manager_client, manager):
    person = NewcomerFactory(given_names="Noor", surname="Bakker", manager=manager)
    url = reverse("newcomer_detail", args=[person.pk])

    for client in (hr_client, manager_client):
        crumbs = trail(client.get(url))
        assert f'href="{reverse("dashboard")}"' in crumbs
        assert f'href="{reverse("newcomer_list")}"' in crumbs
        assert '<span aria-current="page">Noor Bakker</span>' in crumbs


def test_the_ceremony_page_sits_under_the_ceremony_list(hr_client):
    ceremony = CeremonyFactory()

    crumbs = trail(hr_client.get(reverse("ceremony_detail", args=[ceremony.pk])))

    assert f'href="{reverse("ceremony_list")}"' in crumbs
    assert str(ceremony.starts_at.year) in crumbs.split('aria-current="page">')[1]
