"""Permissions, proven: every URL of the project, asked by every persona, gives the answer we expect.

The walk starts from the URL resolver itself, so a page added tomorrow has no way round it: a URL name
without an entry in EXPECTATIONS (and outside the few third-party prefixes excluded below, each with its
reason) fails ``test_every_url_of_the_project_has_an_expectation``.

Personas: an anonymous visitor, a newcomer holding their personal link, an external holding their
declaration link, the manager (witness of the ceremony, manager of the newcomers), another manager,
the officiant who leads the ceremonies, a signed-in user with no role, HR and an administrator.
A link holder is an anonymous client: their own link opens, every other page treats them as anonymous.

Answers: a status code, ``LOGIN`` (redirect to the login page), ``ADMIN_LOGIN`` (redirect to the admin's
login) or ``REDIRECT`` (any other redirect). Objects belong to the manager: another manager gets 404.
Every refused GET is also tried as a POST, which must be refused the same way and change nothing.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from eed.calendar.services import calendar_feed_rotate
from eed.ceremonies.services import appointment_assign
from eed.dilemma.services import dilemma_session_create
from eed.enums import DilemmaSetting
from eed.models import Certificate
from eed.proofs.certificates import certificate_scan_attach
from onboarding.declarations.services import declaration_sign
from onboarding.enums import Kind
from onboarding.imports.services import import_batch_upload
from onboarding.models import DeclarationSignature, ImportBatch
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.factories import NewcomerFactory, OfficiantFactory, UserFactory
from tests.mfa_support import give_totp, sign_in
from tests.onboarding.declaration_support import send_link

LOGIN = "login"
ADMIN_LOGIN = "admin login"
REDIRECT = "redirect"

LINK_PERSONAS = ("newcomer_link", "external_link")
SIGNED_IN = ("manager", "other_manager", "officiant", "outsider", "hr", "admin")
PERSONAS = ("anonymous", *LINK_PERSONAS, *SIGNED_IN)
REFUSALS = {LOGIN, ADMIN_LOGIN, 401, 403, 404}

# Third-party URLs not in the table, by name prefix, and why.
EXCLUDED_PREFIXES = {
    "admin:": "Django's admin checks its own permissions (tests/onboarding/test_admin.py); its index is in the table",
    "account_": "allauth's public login flows; representative pages are in the table, the rest is allauth's own",
    "mfa_": "allauth's second-factor pages (tests/onboarding/test_mfa.py); mfa_index is in the table",
    "socialaccount_": "allauth's social login flows, public by nature",
    "static": "static files, served by whitenoise/runserver, not by a view of ours",
}


def expect(*, anonymous=LOGIN, links=None, hr=200, admin=403, others=403, **named):
    """A persona -> answer map: link holders answer like anonymous unless said otherwise."""
    answers = {"anonymous": anonymous, "hr": hr, "admin": admin}
    for persona in LINK_PERSONAS:
        answers[persona] = anonymous if links is None else links
    for persona in ("manager", "other_manager", "officiant", "outsider"):
        answers[persona] = others
    answers.update(named)
    assert set(answers) == set(PERSONAS), named
    return answers


HR_ONLY = expect()
EVERY_SIGNED_IN_USER = expect(hr=200, admin=200, others=200)
# The manager's own object: they see it, everyone else without HR gets 404 (they learn nothing).
MANAGERS_OWN = expect(others=404, admin=404, manager=200)
# A ceremony: HR, its officiant, and the witness see it; another manager gets 404.
CEREMONY = expect(others=404, admin=404, manager=200, officiant=200)
# Running the ceremony (sheet, PDFs): HR and its officiant; the witness sees the ceremony but gets 403.
CEREMONY_RUNNING = expect(others=404, admin=404, manager=403, officiant=200)
# POST-only behind hr_required: GET gives 405 to HR, the others are refused before.
HR_POST_ONLY = expect(hr=405)
# A bearer URL (the token is the credential): whoever holds it gets the page.
PUBLIC = expect(anonymous=200, hr=200, admin=200, others=200)
# An API operation asked with a session (or nothing): 401, a person's session opens no API.
API_NO_TOKEN = expect(anonymous=401, hr=401, admin=401, others=401)
# A personal link: its holder gets 200; anyone else (with an unknown token) gets 404.
NOT_THE_HOLDER = expect(anonymous=404, hr=404, admin=404, others=404)


@dataclass
class Expectation:
    kwargs: object  # (world, persona) -> kwargs for reverse()
    get: dict
    post: dict | None = None  # answers to a POST when GET is not the test (POST-only views)
    reason: str = ""


def no_kwargs(world, persona):
    return {}


def pk_of(attribute):
    return lambda world, persona: {"pk": getattr(world, attribute).pk}


def newcomer_link_token(world, persona):
    """The newcomer uses their own link; the external tries theirs here; anyone else an unknown one."""
    held = {"newcomer_link": world.newcomer_token, "external_link": world.declaration_token}
    return {"token": held.get(persona, world.unknown_token)}


def declaration_token(world, persona):
    held = {"external_link": world.declaration_token, "newcomer_link": world.newcomer_token}
    return {"token": held.get(persona, world.unknown_token)}


EXPECTATIONS: dict[str, Expectation] = {
    # --- onboarding -------------------------------------------------------------------------------
    "dashboard": Expectation(no_kwargs, EVERY_SIGNED_IN_USER),
    "newcomer_list": Expectation(no_kwargs, expect(manager=200, other_manager=200)),
    "newcomer_create": Expectation(no_kwargs, HR_ONLY),
    "newcomer_detail": Expectation(pk_of("mine"), MANAGERS_OWN),
    "newcomer_edit": Expectation(pk_of("mine"), HR_ONLY),
    "import_upload": Expectation(no_kwargs, HR_ONLY),
    "import_preview": Expectation(pk_of("batch"), HR_ONLY),
    "import_confirm": Expectation(
        pk_of("batch"),
        expect(anonymous=405, hr=405, admin=405, others=405),
        post=HR_ONLY,
        reason="require_POST comes first: GET is 405 for everyone",
    ),
    "import_confirm_valid": Expectation(
        pk_of("problem_batch"),
        expect(anonymous=405, hr=405, admin=405, others=405),
        post=HR_ONLY,
        reason="require_POST comes first: GET is 405 for everyone (fuzzed in tests/test_fuzz.py)",
    ),
    "import_left_out": Expectation(pk_of("problem_batch"), HR_ONLY, reason="the rows with problems, as a file"),
    "import_template": Expectation(lambda world, persona: {"export_format": "xlsx"}, HR_ONLY),
    "declaration_send": Expectation(pk_of("external"), HR_POST_ONLY, post=HR_ONLY),
    "declaration_pdf_hr": Expectation(pk_of("signed_external"), HR_ONLY),
    "declaration_list": Expectation(no_kwargs, HR_ONLY),
    "declaration_send_many": Expectation(no_kwargs, HR_POST_ONLY, post=HR_ONLY),
    "declaration_withdraw": Expectation(pk_of("signature"), HR_ONLY),
    "declaration_sign": Expectation(declaration_token, {**NOT_THE_HOLDER, "external_link": 200}),
    "declaration_pdf": Expectation(declaration_token, {**NOT_THE_HOLDER, "external_link": 200}),
    "user_list": Expectation(no_kwargs, HR_ONLY),
    "user_invite": Expectation(no_kwargs, HR_ONLY),
    "user_deactivate": Expectation(pk_of("invited"), HR_POST_ONLY, post=HR_ONLY),
    "user_reactivate": Expectation(pk_of("invited"), HR_POST_ONLY, post=HR_ONLY),
    "user_invitation_resend": Expectation(pk_of("invited"), HR_POST_ONLY, post=HR_ONLY),
    "accessibility_statement": Expectation(
        no_kwargs, PUBLIC, reason="the accessibility statement is public, linked from every page's footer"
    ),
    "language_set": Expectation(
        no_kwargs,
        expect(anonymous=405, hr=405, admin=405, others=405),
        post=expect(anonymous=REDIRECT, hr=REDIRECT, admin=REDIRECT, others=REDIRECT),
        reason="anyone may switch the language (fuzzed in tests/test_fuzz.py)",
    ),
    # --- eed: ceremonies --------------------------------------------------------------------------
    "ceremony_list": Expectation(no_kwargs, expect(manager=200, other_manager=200, officiant=200)),
    "ceremony_create": Expectation(no_kwargs, HR_ONLY),
    "ceremony_detail": Expectation(pk_of("planned"), CEREMONY),
    "ceremony_edit": Expectation(pk_of("planned"), HR_ONLY),
    "ceremony_cancel": Expectation(pk_of("planned"), HR_ONLY),
    "appointment_add": Expectation(pk_of("planned"), HR_POST_ONLY, post=HR_ONLY),
    "ceremony_ics": Expectation(pk_of("planned"), CEREMONY),
    "attendance_sheet": Expectation(pk_of("planned"), CEREMONY_RUNNING),
    "ceremony_proofs_pdf": Expectation(pk_of("held"), CEREMONY_RUNNING),
    "ceremony_attendance_pdf": Expectation(pk_of("held"), CEREMONY_RUNNING),
    "appointment_remove": Expectation(
        pk_of("appointment"), HR_ONLY, reason="GET shows what removing sets off; POST, by HR only, does it"
    ),
    "appointment_correct": Expectation(pk_of("sworn_appointment"), HR_ONLY),
    "witness_replace": Expectation(pk_of("appointment"), HR_ONLY),
    "witness_requests": Expectation(no_kwargs, EVERY_SIGNED_IN_USER),
    "witness_answer": Expectation(
        pk_of("appointment"),
        expect(others=404, admin=404, hr=404, manager=200),
        reason="only the asked witness answers; even HR gets 404 (HR replaces the witness instead)",
    ),
    "witness_answer_many": Expectation(
        no_kwargs,
        expect(hr=405, admin=405, others=405),
        post=expect(hr=REDIRECT, admin=REDIRECT, others=REDIRECT),
        reason="POST only; every signed-in user may answer their own requests (nothing ticked: back to the list)",
    ),
    "newcomer_link": Expectation(newcomer_link_token, {**NOT_THE_HOLDER, "newcomer_link": 200}),
    # --- eed: certificates ------------------------------------------------------------------------
    "certificate_pdf": Expectation(pk_of("certificate"), HR_ONLY),
    "certificate_scan": Expectation(pk_of("certificate"), HR_ONLY),
    "certificate_scan_upload": Expectation(pk_of("certificate"), HR_POST_ONLY, post=HR_ONLY),
    "certificate_verify": Expectation(
        lambda world, persona: {"code": world.certificate.verification_code},
        PUBLIC,
        reason="the QR code on the proof opens it for anyone",
    ),
    "document_verify": Expectation(
        no_kwargs, PUBLIC, reason="anyone handed a proof or declaration copy may check the file (not stored)"
    ),
    # --- eed: dilemma game, counts, planner ---------------------------------------------------------
    "dilemma_session_list": Expectation(no_kwargs, HR_ONLY),
    "dilemma_session_create": Expectation(no_kwargs, HR_ONLY),
    "dilemma_session_edit": Expectation(pk_of("dilemma_session"), HR_ONLY),
    "annual_counts": Expectation(no_kwargs, HR_ONLY),
    "planner": Expectation(no_kwargs, HR_ONLY),
    # --- eed: calendars ---------------------------------------------------------------------------
    "calendar_settings": Expectation(no_kwargs, EVERY_SIGNED_IN_USER),
    "calendar_feed": Expectation(
        lambda world, persona: {"token": world.feed_token},
        PUBLIC,
        reason="calendar apps fetch the private feed without a session: the secret URL is the credential",
    ),
    # --- api: for systems, not people (each operation with each scope: tests/api/test_scopes.py) --------------
    **{
        f"api:api_{operation}": Expectation(kwargs, API_NO_TOKEN, reason="a session is no API token: 401")
        for operation, kwargs in {
            "listNewcomers": no_kwargs,
            "putNewcomers": no_kwargs,
            "getNewcomer": lambda world, persona: {"newcomerId": world.mine.pk},
            "listCeremonies": no_kwargs,
            "getCeremony": lambda world, persona: {"ceremonyId": world.planned.pk},
            "listCertificates": no_kwargs,
            "getCertificate": lambda world, persona: {"certificateId": world.certificate.pk},
            "getCertificatePdf": lambda world, persona: {"certificateId": world.certificate.pk},
            "listDeclarations": no_kwargs,
        }.items()
    },
    "api:api_findNewcomer": Expectation(
        no_kwargs,
        expect(anonymous=405, hr=405, admin=405, others=405),
        post=API_NO_TOKEN,
        reason="a search with a body (the number stays out of the URL): POST only",
    ),
    "api:api-root": Expectation(no_kwargs, expect(anonymous=404, hr=404, admin=404, others=404)),
    "api:openapi-json": Expectation(no_kwargs, PUBLIC, reason="the API's document is public"),
    "api:openapi-view": Expectation(no_kwargs, PUBLIC, reason="the API's reference page is public"),
    "api_token": Expectation(
        no_kwargs,
        expect(anonymous=405, hr=405, admin=405, others=405),
        post=expect(anonymous=400, hr=400, admin=400, others=400),
        reason="POST only; without client credentials no token (RFC 6749's error)",
    ),
    # --- third party, representative pages ----------------------------------------------------------
    "admin:index": Expectation(
        no_kwargs,
        expect(anonymous=ADMIN_LOGIN, hr=ADMIN_LOGIN, admin=200, others=ADMIN_LOGIN),
        reason="staff only",
    ),
    "admin_login": Expectation(
        no_kwargs,
        expect(anonymous=LOGIN, hr=403, admin=REDIRECT, others=403),
        reason="Django's admin login is replaced: anonymous visitors go to the app's login, staff on to the admin",
    ),
    "account_email": Expectation(
        no_kwargs,
        EVERY_SIGNED_IN_USER,
        post=expect(hr=405, admin=405, others=405),
        reason="addresses are HR's to change: the page only shows the address",
    ),
    "account_login": Expectation(
        no_kwargs,
        expect(anonymous=200, hr=REDIRECT, admin=REDIRECT, others=REDIRECT),
        reason="signed-in users are sent on to the dashboard",
    ),
    "account_request_login_code": Expectation(
        no_kwargs, expect(anonymous=200, hr=REDIRECT, admin=REDIRECT, others=REDIRECT)
    ),
    "account_reset_password": Expectation(no_kwargs, expect(anonymous=200, hr=200, admin=200, others=200)),
    "account_logout": Expectation(no_kwargs, expect(anonymous=REDIRECT, hr=200, admin=200, others=200)),
    "mfa_index": Expectation(no_kwargs, EVERY_SIGNED_IN_USER),
}


def url_names(patterns=None, namespace=""):
    """Every named URL the resolver knows, with its namespace, however deep it is included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def excluded(name: str) -> bool:
    return name not in EXPECTATIONS and any(name.startswith(prefix) for prefix in EXCLUDED_PREFIXES)


def test_every_url_of_the_project_has_an_expectation():
    names = set(url_names())
    missing = sorted(name for name in names if name not in EXPECTATIONS and not excluded(name))
    stale = sorted(set(EXPECTATIONS) - names)
    assert not missing, f"URL names with no expectation in tests/test_permissions.py: {', '.join(missing)}"
    assert not stale, f"expectations for URL names that no longer exist: {', '.join(stale)}"


# --- The world ------------------------------------------------------------------------------------


class World:
    pass


@pytest.fixture
def world(db, hr, manager, other_manager, officiant, settings, tmp_path, mailbox):
    """Everything a URL can point at, owned by ``manager`` (or HR), led by ``officiant``."""
    settings.MEDIA_ROOT = tmp_path
    w = World()
    OfficiantFactory(user=officiant)
    w.mine = newcomer(manager, given_names="Mila", surname="de Vries")
    w.theirs = newcomer(other_manager, given_names="Omar", surname="Bos")

    w.planned = ceremony_on(14, officiant=officiant)
    w.appointment, w.newcomer_token = appointment_assign(newcomer=w.mine, ceremony=w.planned, by=hr, witness=manager)

    w.held = ceremony_on(-1, officiant=officiant)
    w.sworn_appointment = assign(w.held, newcomer(manager, surname="Visser"), hr, form="oath", witness=manager)
    record(w.held, hr, [taken(w.sworn_appointment)])
    w.certificate = Certificate.objects.get(appointment=w.sworn_appointment)
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    certificate_scan_attach(certificate=w.certificate, by=hr, upload=scan)

    w.external = NewcomerFactory(kind=Kind.EXTERNAL, manager=manager, surname="Kok")
    send_link(w.external, by=hr, mailbox=mailbox)
    w.signed_external = NewcomerFactory(kind=Kind.EXTERNAL, manager=manager, given_names="Ilse", surname="Smits")
    w.declaration_token = send_link(w.signed_external, by=hr, mailbox=mailbox)
    declaration_sign(raw_token=w.declaration_token, typed_name="Ilse Smits", confirmed=True, ip=None, user_agent="test")
    w.signature = DeclarationSignature.objects.get(request__newcomer=w.signed_external)

    w.dilemma_session = dilemma_session_create(
        by=hr,
        date=datetime.date(2026, 2, 1),
        setting=DilemmaSetting.TEAM,
        team_name="Team Wegen",
        facilitator="Bureau Integriteit",
        participants=12,
    )
    w.batch = ImportBatch.objects.create(
        uploaded_by=hr,
        filename="export.csv",
        content=b"personnel_number,given_names,surname,email,start_date,kind\r\n"
        b"P900001,Anna,Jansen,anna@example.org,01-03-2026,employee\r\n",
    )
    w.problem_batch = import_batch_upload(
        content=b"personnel_number,given_names,surname,email,start_date,kind\r\n"
        b"P900002,Bram,Bakker,bram@example.org,01-03-2026,employee\r\n"
        b"P900003,Cem,Celik,geen-adres,31-02-2026,employee\r\n",
        filename="export-with-problems.csv",
        by=hr,
    )
    w.feed_token = calendar_feed_rotate(user=manager)
    w.invited = UserFactory(email="invited@example.org", roles=["Manager"])  # never logged in
    w.unknown_token = "x" * 43
    return w


@pytest.fixture
def clients(world, hr, manager, other_manager, officiant, outsider):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    give_totp(admin)
    users = {
        "manager": manager,
        "other_manager": other_manager,
        "officiant": officiant,
        "outsider": outsider,
        "hr": hr,
        "admin": admin,
    }
    result = {persona: Client() for persona in ("anonymous", *LINK_PERSONAS)}
    for persona, user in users.items():
        result[persona] = Client()
        sign_in(result[persona], user)
    return result


# --- Asking -----------------------------------------------------------------------------------------


def answer_of(response) -> object:
    """The status, or which kind of redirect it is."""
    if response.status_code not in (301, 302, 303):
        return response.status_code
    target = urlsplit(response["Location"]).path
    if target == reverse("account_login"):
        return LOGIN
    if target == reverse("admin:login"):
        return ADMIN_LOGIN
    return REDIRECT


def ask(client, method, url):
    """One request with nothing remembered between them (rate limits)."""
    cache.clear()
    return answer_of(getattr(client, method)(url))


def database_state():
    """Every row of our two apps, to show a refused request changed nothing."""
    state = {}
    for app in ("onboarding", "eed"):
        for model in apps.get_app_config(app).get_models():
            state[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return state


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_each_persona_as_expected(persona, world, clients):
    client = clients[persona]
    wrong = []
    for name in sorted(set(url_names())):
        if excluded(name):
            continue
        expectation = EXPECTATIONS[name]
        url = reverse(name, kwargs=expectation.kwargs(world, persona))
        got = ask(client, "get", url)
        if got != expectation.get[persona]:
            wrong.append(f"GET {name} {url}: expected {expectation.get[persona]}, got {got}")
        wanted = (expectation.post or expectation.get)[persona]
        if wanted in REFUSALS:
            before = database_state()
            got = ask(client, "post", url)
            if got not in (wanted, 405):  # a GET-only view refuses every POST with 405
                wrong.append(f"POST {name} {url}: expected {wanted}, got {got}")
            if database_state() != before:
                wrong.append(f"POST {name} {url}: refused, yet the database changed")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
