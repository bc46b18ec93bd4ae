"""The person's language as clinicians need it beside the answers (SPEC §8b)."""

from django import template

from screening.engine import catalogue as C

register = template.Library()

_NAMES = {key: instrument.name for key, instrument in C.INSTRUMENTS.items()}
_NAMES["cssrs"] = "C-SSRS screener"
# Where each instrument's answers start in the stored answers ("pcptsd5.items" is in "pcptsd5").
_PATHS = {key: instrument.path.split(".")[0] for key, instrument in C.INSTRUMENTS.items()}


@register.filter
def instruments_not_validated_for(intake) -> list[str]:
    """The instruments this intake's person answered in a translation that is not a
    validated one (the language the intake was answered in): those scores are read with
    that in mind. Empty in English."""
    language = intake.answered_in
    answered = set(intake.answers or {})
    return [_NAMES.get(key, key) for key in C.not_validated_in(language)
            if _PATHS.get(key, key) in answered]
