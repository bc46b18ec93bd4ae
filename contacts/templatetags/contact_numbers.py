from django import template

from contacts.display import phone_readable as _phone_readable

register = template.Library()


@register.filter
def phone_readable(number) -> str:
    """A stored number as a person reads it: see contacts.display.phone_readable."""
    return _phone_readable(number)
