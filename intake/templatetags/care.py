"""The levels of care as the person reads them, in their language (SPEC §8b).

The model choices stay the clinic's English (staff pages, exports, FHIR and webhooks read
them); the person's pages name a level through this filter instead.
"""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LEVEL_FOR_PERSON = {
    "outpatient": _("Standard outpatient"),
    "iop": _("Intensive outpatient program (IOP)"),
    "inpatient": _("Inpatient / residential (24-hour care)"),
}


@register.filter
def care_level(code: str) -> str:
    """A level's name for the person ("iop" -> "Intensive outpatient program (IOP)")."""
    return str(LEVEL_FOR_PERSON.get(code, code))
