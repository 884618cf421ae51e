"""Plain text that is not HTML: mail bodies and subjects, calendar summaries and descriptions.

Rendered by the ``text`` template engine (settings ``TEMPLATES``), which does
not HTML-escape, so "Anouk van 't Hof & Zn" arrives as it was typed instead of
"Anouk van &#x27;t Hof &amp; Zn". Every text/plain output goes through here;
HTML alternatives and pages keep the default engine, which escapes.
"""

from django.template import engines

from core.text_rules import one_line

TEXT_ENGINE = "text"


def render_text(template_name: str, context: dict | None = None, request=None) -> str:
    """A text template rendered without HTML escaping (includes and extends use the same engine)."""
    return engines[TEXT_ENGINE].get_template(template_name).render(context, request)


def render_subject(template_name: str, context: dict | None = None, request=None) -> str:
    """A mail subject: the rendered text on one line, whatever control characters the data held."""
    return one_line(render_text(template_name, context, request))
