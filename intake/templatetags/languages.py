"""The person's language as clinicians need it beside the answers (SPEC §8b)."""

from django import template

from screening.engine import catalogue as C

register = template.Library()

_NAMES = {key: instrument.name for key, instrument in C.INSTRUMENTS.items()}
_NAMES["cssrs"] = "C-SSRS screener"


@register.filter
def instruments_not_validated_in(language: str) -> list[str]:
    """The instruments a person answering in `language` read in a translation that is not a
    validated one: their scores are read with that in mind."""
    return [_NAMES.get(key, key) for key in C.not_validated_in(language or C.ENGLISH)]
