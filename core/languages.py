"""Which language a page is in: Dutch by default, English only by choice.

The browser's Accept-Language is deliberately ignored. A choice is made with
the language switch (a cookie on that device, and the account's language when
signed in) or, for people without an account, by HR on their record.
"""

from django.conf import settings

SUPPORTED_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def chosen_language(request) -> str | None:
    """The language last picked with the switch on this device, if any."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in SUPPORTED_LANGUAGES else None


def requested_language(request) -> str:
    """The account's language, else the one chosen on this device, else Dutch."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in SUPPORTED_LANGUAGES:
        return user.language
    return chosen_language(request) or settings.LANGUAGE_CODE


def adopt_chosen_language(sender, request, user, **kwargs):
    """At login, a language chosen on this device before signing in becomes the account's.

    The switch's cookie holds the latest explicit choice on this device (the
    switch sets it signed in or not), so choosing English on the login page
    is not undone by the account's older setting.
    """
    chosen = chosen_language(request) if request is not None else None
    if chosen is not None and user.language != chosen:
        user.language = chosen
        user.save(update_fields=["language"])
