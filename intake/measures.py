"""Height and weight as people type them, in pounds, feet and inches or in kilograms and
centimetres (SPEC §8b), turned into the engine's `height_cm` and `weight_kg`.

The conversion is exact (1 in = 2.54 cm, 1 lb = 0.45359237 kg, both by definition) and done
in Decimal; the result is rounded once, half up, to 0.1 cm and 0.1 kg, which is finer than
any scale or tape a person reads at home. A unit typed with the number ("5'6", "120 lb",
"54 kg") wins over the unit chosen on the page: it is what the person meant.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IMPERIAL, METRIC = "imperial", "metric"
UNIT_CHOICES = [(IMPERIAL, gettext_lazy("Pounds, and feet and inches")),
                (METRIC, gettext_lazy("Kilograms and centimetres"))]

CM_PER_INCH = Decimal("2.54")
KG_PER_POUND = Decimal("0.45359237")
TENTH = Decimal("0.1")

# SPEC §3's ranges, and the BMIs outside which a typing or unit slip is far likelier than a
# real body (the lowest BMIs seen in anorexia nervosa wards are around 10).
HEIGHT_CM = (Decimal(100), Decimal(250))
WEIGHT_KG = (Decimal(20), Decimal(350))
BMI = (Decimal(10), Decimal(80))

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_FEET = r"(?:'|’|ft\.?|foot|feet)"
_INCHES = r"(?:\"|''|”|in\.?|inch|inches)"
_FEET_INCHES = re.compile(rf"^{_NUMBER}\s*{_FEET}\s*(?:{_NUMBER}\s*(?:{_INCHES})?)?$")
_INCHES_ONLY = re.compile(rf"^{_NUMBER}\s*{_INCHES}$")
_CENTIMETRES = re.compile(rf"^{_NUMBER}\s*(?:cm|cms|centimetres?|centimeters?)$")
_METRES = re.compile(rf"^{_NUMBER}\s*(?:m|metres?|meters?)$")
_POUNDS = re.compile(rf"^{_NUMBER}\s*(?:lb|lbs|pounds?)\.?$")
_KILOGRAMS = re.compile(rf"^{_NUMBER}\s*(?:kg|kgs|kilos?|kilograms?)$")
_BARE = re.compile(rf"^{_NUMBER}$")


class NotUnderstood(ValueError):
    """The text is not a height or weight we can read; the message says how to type it."""


@dataclass(frozen=True)
class Reading:
    """A measurement as understood: the engine's value and the words that say how it was read."""

    value: Decimal  # cm or kg, rounded to 0.1
    said: str  # e.g. "5 ft 6 in (167.6 cm)"


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """A Decimal without trailing zeros: 5, 5.5, 167.6."""
    text = format(value.normalize(), "f")
    return text


def read_height(text: str, units: str) -> Reading:
    """The height in this text, in cm. A bare number is feet with pounds chosen (5 or 5.5)
    and centimetres with kilograms chosen."""
    typed = " ".join(text.strip().lower().split())
    if match := _FEET_INCHES.match(typed):
        feet, inches = _decimal(match[1]), _decimal(match[2] or "0")
    elif match := _INCHES_ONLY.match(typed):
        feet, inches = Decimal(0), _decimal(match[1])
    elif match := _CENTIMETRES.match(typed):
        cm = _tenth(_decimal(match[1]))
        return Reading(cm, f"{_plain(cm)} cm")
    elif match := _METRES.match(typed):
        cm = _tenth(_decimal(match[1]) * 100)
        return Reading(cm, f"{_plain(_decimal(match[1]))} m ({_plain(cm)} cm)")
    elif (match := _BARE.match(typed)) and units == METRIC:
        cm = _tenth(_decimal(match[1]))
        return Reading(cm, _("%(cm)s centimetres") % {"cm": _plain(cm)})
    elif match:
        feet, inches = _decimal(match[1]), Decimal(0)
    else:
        raise NotUnderstood(_("Please type your height as a number, for example 5 ft 6 in or "
                              "5'6\" (feet and inches), or 168 cm."))
    cm = _tenth((feet * 12 + inches) * CM_PER_INCH)
    return Reading(cm, f"{_plain(feet)} ft {_plain(inches)} in ({_plain(cm)} cm)")


def read_weight(text: str, units: str) -> Reading:
    """The weight in this text, in kg. A bare number is in the unit chosen on the page."""
    typed = " ".join(text.strip().lower().split())
    if match := _POUNDS.match(typed):
        pounds: Decimal | None = _decimal(match[1])
    elif match := _KILOGRAMS.match(typed):
        pounds = None
    elif match := _BARE.match(typed):
        pounds = _decimal(match[1]) if units == IMPERIAL else None
    else:
        raise NotUnderstood(_("Please type your weight as a number, for example 120 lb or "
                              "54.5 kg."))
    if pounds is not None:
        kg = _tenth(pounds * KG_PER_POUND)
        return Reading(kg, _("%(pounds)s pounds (%(kg)s kg)") % {"pounds": _plain(pounds),
                                                                 "kg": _plain(kg)})
    kg = _tenth(_decimal(match[1]))
    return Reading(kg, _("%(kg)s kilograms") % {"kg": _plain(kg)})


def bmi(height_cm: Decimal, weight_kg: Decimal) -> Decimal:
    """Body mass index, kg/m², to 0.1."""
    metres = height_cm / 100
    return _tenth(weight_kg / (metres * metres))


def implausible(height: Reading, weight: Reading) -> tuple[str, str] | None:
    """Which answer ("height", "weight" or "both") is unlikely to be what the person meant,
    and why, saying what was read so they can see a unit slip; None when plausible."""
    said = {"height": height.said, "weight": weight.said}
    if not HEIGHT_CM[0] <= height.value <= HEIGHT_CM[1]:
        return "height", _("We read your height as %(height)s and your weight as %(weight)s. "
                           "A height must be between 100 and 250 cm (3 ft 3 in to 8 ft 2 in): "
                           "please check the number and the units.") % said
    if not WEIGHT_KG[0] <= weight.value <= WEIGHT_KG[1]:
        return "weight", _("We read your height as %(height)s and your weight as %(weight)s. "
                           "A weight must be between 20 and 350 kg (44 to 771 lb): please "
                           "check the number and the units.") % said
    value = bmi(height.value, weight.value)
    if not BMI[0] <= value <= BMI[1]:
        return "both", _("We read your height as %(height)s and your weight as %(weight)s, "
                         "which gives a body mass index of %(bmi)s. That is very rarely right: "
                         "please check the numbers and the units (pounds or kilograms).") % {
                             **said, "bmi": value}
    return None
