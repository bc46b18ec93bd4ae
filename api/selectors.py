"""Reads of the API: intakes after submit with what their pages show, by id only."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from audit.selectors import day_start
from intake.models import Intake, IntakeFlag

from .models import WebhookDelivery

SUMMARY_FIELDS = ("id", "kind", "follows_id", "status", "submitted_at", "urgent",
                  "recommended_level", "decided_level", "decided_at")


def intakes_for_api(filters: dict) -> QuerySet[Intake]:
    """Submitted-and-later intakes narrowed by the validated IntakeFilters, oldest first."""
    queryset = Intake.objects.exclude(status=Intake.Status.DRAFT).filter(
        submitted_at__isnull=False)
    if filters.get("state"):
        queryset = queryset.filter(status=filters["state"])
    if filters.get("level"):
        queryset = queryset.filter(recommended_level=filters["level"])
    if filters.get("flag"):
        queryset = queryset.filter(pk__in=IntakeFlag.objects.filter(flag=filters["flag"])
                                   .values("intake_id"))
    tz = timezone.get_current_timezone()
    if filters.get("submitted_from"):
        queryset = queryset.filter(submitted_at__gte=day_start(filters["submitted_from"], tz))
    if filters.get("submitted_to"):
        queryset = queryset.filter(submitted_at__lt=day_start(filters["submitted_to"], tz,
                                                              days_after=1))
    # Only what a summary shows: the answers and the other JSON columns of fifty intakes were
    # decoded a page for nothing (a third of the list's CPU at a million intakes).
    return queryset.only(*SUMMARY_FIELDS).prefetch_related(
        Prefetch("flag_rows", queryset=IntakeFlag.objects.only("intake_id", "flag")))


def intake_for_api(pk: int) -> Intake:
    """One submitted-or-later intake with its recommendation and decision. Raises Http404
    for an unknown intake or a draft (not the clinic's to hand over yet)."""
    intake = (Intake.objects.exclude(status=Intake.Status.DRAFT)
              .select_related("recommendation__criteria_version", "decision")
              .prefetch_related("flag_rows").filter(pk=pk).first())
    if intake is None:
        raise Http404
    intake.recommendation_or_none = getattr(intake, "recommendation", None)
    intake.decision_or_none = getattr(intake, "decision", None)
    return intake


def deliveries_recent(hook, *, limit: int = 100) -> list[WebhookDelivery]:
    """The hook's latest deliveries, newest first, for its log page."""
    return list(WebhookDelivery.objects.filter(webhook=hook)[:limit])
