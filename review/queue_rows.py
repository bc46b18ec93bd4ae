"""The queue's rows as plain values, worked out once here so the template only prints them.

At fifty rows a page the template was half of the page's time (issue 19: 21,690 variable
lookups for 60 KB of HTML, most of them attribute chains through the intake, its patient,
its assignee and its alert, and a {% url %} per row). Each row is now a dict of the strings
and flags its cells show; the template looks each up once.
"""

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from . import display
from .clocks import clock_state
from .selectors import waited


def clock_words(intake, now) -> dict | None:
    """The response clock in words: time left, or how overdue, or contacted (in time or not)."""
    state = clock_state(intake, now)
    if state is None:
        return None
    if state.contacted:
        return {"overdue": state.overdue,
                "words": "First contact made late" if state.overdue else "First contact made"}
    words = display.duration_words(state.left)
    return {"overdue": state.overdue,
            "words": f"Overdue by {words}" if state.overdue else f"{words} left"}


def _submitted(intake) -> str:
    if intake.submitted_at is None:
        return ""
    # What the date filter "Y-m-d H:i" printed, at a quarter of its cost.
    return timezone.localtime(intake.submitted_at).strftime("%Y-%m-%d %H:%M")


_PK = 987654321


def intake_links() -> Callable[[int], str]:
    """The intake page's address for a primary key, reversed once for a page's rows:
    reverse() is about 20 us a call, a millisecond for fifty rows."""
    before, after = reverse("review:intake", args=[_PK]).split(str(_PK))
    return lambda pk: f"{before}{pk}{after}"


def queue_row(intake, *, now, viewer_id: int, flags: list[dict] | None,
              level: str = "", outcome: str = "",
              link: Callable[[int], str] | None = None) -> dict:
    """One row of the queue: what each cell shows. `flags` None for a draft (no flags);
    `link` from intake_links(), once for all the rows."""
    clock = clock_words(intake, now)
    alert = getattr(intake, "urgent_alert", None)
    acknowledged = alert is not None and alert.acknowledged_at is not None
    assignee = intake.assigned_to
    if assignee is None:
        assigned = ""
    else:
        assigned = "Me" if intake.assigned_to_id == viewer_id else str(assignee)
    return {
        "intake": intake,
        "pk": intake.pk,
        "url": (link or intake_links())(intake.pk),
        "number": intake.number,
        "rescreen": intake.kind == intake.Kind.RESCREEN,
        "urgent": intake.urgent,
        "css": ("queue-urgent" if intake.urgent else "")
               + (" queue-overdue" if clock and clock["overdue"] else ""),
        "alert": alert,
        "acknowledged": acknowledged,
        "acknowledged_by": str(alert.acknowledged_by) if acknowledged else "",
        "patient": str(intake.patient),
        "draft": intake.status == intake.Status.DRAFT,
        "submitted": _submitted(intake),
        "clock": clock,
        "waited": display.duration_words(waited(intake, now)),
        "level": level,
        # The urgent flag is the row's badge already, not one of its flags.
        "flags": [flag for flag in flags or () if flag["id"] != "urgent"],
        "status": intake.get_status_display(),
        "outcome": outcome,
        "assigned": assigned,
    }
