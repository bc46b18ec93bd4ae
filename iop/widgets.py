"""Form widgets that print the same HTML as Django's, without a template per option.

Django renders a <select> with one template, which includes one template per <option>, which
includes one for the option's attributes: on the queue page, five selects and about forty
options, that was 2.4 ms of every request (docs/performance.md, "Fourth session"). The
string built here is the one those templates give (tests/foundation/test_widgets.py compares
them option by option), escaped the same way.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing
    for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(out)


class PlainSelect(forms.Select):
    """A Select printed in Python: the same markup as select.html and select_option.html.

    Choices in groups (<optgroup>) go through Django's templates as before."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        groups = context["optgroups"]
        if any(group_name for group_name, _, _ in groups):
            return super().render(name, value, attrs, renderer)
        # Each option is an included template whose file ends in a newline: the blank line
        # between options is Django's too.
        options = "".join(
            f'\n  <option value="{conditional_escape(option["value"])}"'
            f'{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>\n'
            for _, group, _ in groups for option in group)
        # Every part is escaped above.
        return mark_safe(  # noqa: S308  # nosec B308 B703
            f'<select name="{conditional_escape(context["name"])}"'
            f'{_attrs(context["attrs"])}>{options}\n</select>')
