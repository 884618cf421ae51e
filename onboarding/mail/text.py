"""Plain text that is not HTML: mail bodies and subjects, calendar summaries and descriptions.

Rendered by the ``text`` template engine (settings ``TEMPLATES``), which does
not HTML-escape, so "Anouk van 't Hof & Zn" arrives as it was typed instead of
"Anouk van &#x27;t Hof &amp; Zn". Every text/plain output goes through here
(mails through ``onboarding.mail.messages``); HTML alternatives and pages keep
the default engine, which escapes.
"""

from django.template import engines

TEXT_ENGINE = "text"


def render_text(template_name: str, context: dict | None = None, request=None) -> str:
    """A text template rendered without HTML escaping (includes and extends use the same engine)."""
    return engines[TEXT_ENGINE].get_template(template_name).render(context, request)
