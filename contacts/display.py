"""Phone numbers as people read them."""

import phonenumbers
from django.conf import settings
from phonenumber_field.phonenumber import PhoneNumber


def phone_readable(number: PhoneNumber | None) -> str:
    """A number in its national form when it is of the clinic's country ("(202) 555-0143"),
    in international form otherwise ("+44 20 7946 0958"): the form a person dialling from
    here, or the person themselves, recognises. "" for no number."""
    if not number:
        return ""
    region = phonenumbers.region_code_for_number(number)
    if region == settings.PHONENUMBER_DEFAULT_REGION:
        return number.as_national
    return number.as_international
