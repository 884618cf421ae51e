from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def requested_language(request) -> str:
    """The account's language, else the switcher's cookie, else Dutch.

    The browser's Accept-Language is deliberately ignored: the product is
    Dutch by default and English only by choice.
    """
    supported = {code for code, _name in settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in supported:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in supported else settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Activates the requested language for the whole request (replaces LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = requested_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
