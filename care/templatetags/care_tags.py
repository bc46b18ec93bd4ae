"""The person's home page shows their check-in when one is due (SPEC §8b): a tag, so the
intake app's page needs nothing of the care app but this template."""

from django import template

from intake.models import Intake

from ..selectors import care_level_of, invitation_open_for

register = template.Library()


@register.inclusion_tag("care/_home_panel.html")
def care_home(user) -> dict:
    invitation = invitation_open_for(user)
    in_care = (Intake.objects.filter(patient=user, kind=Intake.Kind.INTAKE,
                                     decision__outcome="started")
               .order_by("-submitted_at").first())
    return {"invitation": invitation, "in_care": in_care}


@register.simple_tag
def care_level_now(intake, decision) -> str:
    """The level the person's care is at when a re-screen decision moved it off the
    decision's start level ("" otherwise): the care-updated mail after that decision links
    to the intake's page, which must show what changed. Only a person who started has
    re-screens: no query for anyone else's page."""
    if decision is None or decision.outcome != "started" or intake.is_rescreen:
        return ""
    level = care_level_of(intake)
    return level if level != decision.start_level else ""
