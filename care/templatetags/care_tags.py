"""The person's home page shows their check-in when one is due (SPEC §8b): a tag, so the
intake app's page needs nothing of the care app but this template."""

from django import template

from intake.models import Intake

from ..selectors import invitation_open_for

register = template.Library()


@register.inclusion_tag("care/_home_panel.html")
def care_home(user) -> dict:
    invitation = invitation_open_for(user)
    in_care = (Intake.objects.filter(patient=user, kind=Intake.Kind.INTAKE,
                                     decision__outcome="started")
               .order_by("-submitted_at").first())
    return {"invitation": invitation, "in_care": in_care}
