"""Finding newcomers as people type them: by name in any order and part ("van der Meer", "Sophie van der
Meer", "Meer, Sophie"), without accents ("celik" finds Çelik), and by a part of the personnel number.

Each newcomer keeps ``search_key``: their names and personnel number folded (``core.search.fold``),
written by ``Newcomer.save`` and by the import, which writes in bulk. Every word typed must begin a
word of the key ("meer" finds Meer and Meeri, not Vandermeer), or occur in the personnel number.
"""

from django.db.models import Q

from core.search import fold

SEARCHED_FIELDS = ("given_names", "surname_prefix", "surname", "personnel_number")


def search_key(*, given_names: str, surname_prefix: str, surname: str, personnel_number: str) -> str:
    return fold(" ".join((given_names, surname_prefix, surname, personnel_number)))


def search_q(text: str) -> Q:
    """Newcomers matching every word of ``text``; no condition when it holds no letter or digit."""
    condition = Q()
    for typed in text.split():
        words = fold(typed).split()  # "Hof-Özdemir" is two words of the key: "hof ozdemir"
        if words:
            condition &= _begins_words(words) | Q(personnel_number__icontains=typed)
    return condition


def _begins_words(words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(search_key__startswith=word) | Q(search_key__contains=f" {word}")
    return condition
