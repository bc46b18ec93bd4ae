"""Reads of the clinician review: the one access helper for intakes, the queue, the history.

The queue is paged by keyset, never by OFFSET, and never counts more than COUNT_CAP rows:
each page costs the same at a million intakes as at ten (docs/performance.md, "Review queue").
"""

import base64
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import CLINICIAN
from audit.models import AuditEvent
from audit.selectors import day_start
from intake.models import Intake, IntakeFlag
from iop.db_router import replica_alias

from .kept import GROUP_SECONDS, kept
from .models import Decision
from .state import Outcome

Status = Intake.Status
OPEN_STATES = (Status.SUBMITTED, Status.IN_REVIEW)
REVIEW_STATES = (Status.SUBMITTED, Status.IN_REVIEW, Status.DECIDED, Status.CLOSED)
PER_PAGE = 50
COUNT_CAP = 1000
SEARCH_MIN_CHARS = 3
SEARCH_PEOPLE_CAP = 500
INTAKE_NUMBER = re.compile(r"^(?:IN-?)?0*(\d{1,12})$", re.IGNORECASE)
# What a queue row never shows: the answers (kilobytes an intake) and the half-typed pages.
QUEUE_ROW_DEFERRED = ("answers", "unfinished", "steps_done", "acute_risk_close_reason",
                      "signature_name")
# What a queue row does show (review/queue_rows.py, Cursor.of), and only that: every other
# column of the intake and of its patient, assignee, alert and decision (about 400 values a
# page, half of them dates to parse) was read and built into the rows for nothing.
QUEUE_ROW_FIELDS = ("patient__full_name", "patient__email", "kind", "status", "created_at",
                    "submitted_at", "urgent", "recommended_level", "assigned_to__full_name",
                    "assigned_to__email", "decided_at", "respond_by", "first_contact_at",
                    "acute_risk_at", "urgent_alert__acknowledged_at",
                    "urgent_alert__acknowledged_by__full_name",
                    "urgent_alert__acknowledged_by__email", "decision__outcome")
# A draft's row is the same less the decision it cannot have yet; the columns read are fewer
# to compile as well as to build, for a query that usually finds nothing.
ACUTE_RISK_DRAFT_FIELDS = tuple(name for name in QUEUE_ROW_FIELDS
                                if not name.startswith("decision__"))


# The one kind of draft the clinic reads: one whose answers showed acute risk (SPEC §8b),
# from that moment on, with the answers saved so far.
ACUTE_RISK_DRAFT = Q(status=Status.DRAFT, acute_risk_at__isnull=False)


def intake_get_for_staff(user: User, pk: int) -> Intake:
    """The submitted intake `pk`, or a draft that showed acute risk, with everything its
    page shows, for a clinician or an admin.

    Raises Http404 for an unknown intake, any other draft (not the clinic's to read yet), or
    anyone who is not staff.
    """
    if not getattr(user, "is_clinic_staff", False):
        raise Http404
    try:
        return (Intake.objects.filter(~Q(status=Status.DRAFT) | ACUTE_RISK_DRAFT)
                .select_related("patient", "patient__contact_details", "assigned_to",
                                "recommendation__criteria_version",
                                "decision__decided_by", "decision__program",
                                "urgent_alert__acknowledged_by")
                .get(pk=pk))
    except Intake.DoesNotExist:
        raise Http404 from None


HISTORY_CLOCK_MARGIN = timedelta(days=1)


def intake_history(intake: Intake, *, limit: int = 200) -> list[AuditEvent]:
    """Who did what to the intake and when, newest first, from the audit log.

    The people are read by primary key in a second query rather than joined: on stale
    statistics PostgreSQL planned the join as a scan of every account (200,000 at a million
    intakes). Two index lookups cost the same whatever the planner believes.

    The audit log is partitioned by month (audit migration 0003): by the intake alone,
    PostgreSQL plans and probes every month's partition (65 at a million intakes: 1.5 ms of
    planning a request, 20 ms on a connection's first). Nothing is recorded about an intake
    before it exists, so the months before it are left out; a day's margin covers clocks
    that differ between app servers.
    """
    since = intake.created_at - HISTORY_CLOCK_MARGIN
    return list(AuditEvent.objects.filter(intake_id=intake.pk, at__gte=since)
                .prefetch_related("actor")[:limit])


def clinicians_active() -> QuerySet[User]:
    """Active clinicians, by name: the people an intake can be assigned to.

    The clinician group's id is read first so the accounts are found by a constant: joined
    on the group's name, PostgreSQL cannot know which group it is and plans for a third of
    all accounts, reading every account (20,000 at 100,000 intakes, 36 ms a queue page,
    growing with the patients); by the id it knows the group holds ten, and reads them by
    index (0.1 ms). The id is kept in the process (review/kept.py): one query, not two."""
    group_id = kept("clinician_group_id", GROUP_SECONDS, lambda: Group.objects.filter(
        name=CLINICIAN).values_list("pk", flat=True).first())
    if group_id is None:
        return User.objects.none()
    return User.objects.filter(groups=group_id, is_active=True).order_by("full_name", "pk")


# --- the queue --------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is narrowed to. Empty values mean "any"."""

    state: str = "open"  # "open" (submitted or in review), "all", or one state
    level: str = ""
    flag: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    assignee: str = ""  # "", "me", "none", or a clinician's id
    q: str = ""  # an intake number, or 3+ characters of a patient's name or e-mail
    overdue: bool = False  # only intakes past their first-contact deadline with no contact yet
    outcome: str = ""  # an Outcome of the decision, or SESSION_PASSED (see OUTCOME_FILTERS)


@dataclass(frozen=True)
class Cursor:
    """A position in the queue order (urgent first, then the nearest response deadline, then
    by id)."""

    urgent: bool
    respond_by: datetime
    pk: int

    def encode(self) -> str:
        raw = f"{int(self.urgent)}|{self.respond_by.isoformat()}|{self.pk}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str | None) -> "Cursor | None":
        """The cursor in a page link, or None when it is missing or not one of ours."""
        if not token or len(token) > 120:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            urgent, stamp, pk = raw.split("|")
            moment = datetime.fromisoformat(stamp)
            if urgent not in ("0", "1") or moment.tzinfo is None:
                return None
            return cls(urgent=urgent == "1", respond_by=moment, pk=int(pk))
        except (ValueError, UnicodeDecodeError, IndexError):
            return None

    @classmethod
    def of(cls, intake: Intake) -> "Cursor":
        # Every intake past the draft has a deadline (set at submit, or at an acute-risk
        # save; migration intake 0002 gave the older ones theirs). Should one lack it, its page
        # link still works rather than failing the whole queue.
        stamp = intake.respond_by or intake.submitted_at or intake.created_at
        return cls(urgent=intake.urgent, respond_by=stamp, pk=intake.pk)


@dataclass
class QueuePage:
    rows: list[Intake]
    count: int  # exact up to COUNT_CAP
    count_capped: bool  # True: there are more than COUNT_CAP
    next_cursor: str | None = None
    prev_cursor: str | None = None
    is_first: bool = True
    people_capped: bool = False  # the search matched more people than SEARCH_PEOPLE_CAP
    # Drafts at acute risk, not submitted (SPEC §8b): listed above the first page's rows.
    acute_risk_drafts: list[Intake] = field(default_factory=list)
    # Each row's flags, sorted, and what they meant in its pinned criteria (None: the intake
    # was recommended before those words were stored), by intake id; a row without flags is
    # not in it.
    flags: dict[int, tuple[list[str], dict[str, str] | None]] = field(default_factory=dict)


# The queue's filters on what came of a decision: each outcome, and the first sessions that
# have passed with nothing recorded (what the reminder is about).
SESSION_PASSED = "session_passed"
OUTCOME_FILTERS = [*Outcome.choices, (SESSION_PASSED, "First session passed, nothing recorded")]


def _states(filters: QueueFilters) -> tuple[str, ...]:
    if filters.outcome and filters.state in ("open", ""):
        return (Status.DECIDED,)  # an outcome is followed while the intake is decided
    if filters.state == "open" or not filters.state:
        return OPEN_STATES
    if filters.state == "all":
        return REVIEW_STATES
    return (filters.state,)


def people_matching(q: str, *, using: str = "default") -> list[int]:
    """Ids of up to SEARCH_PEOPLE_CAP + 1 people whose name or e-mail contains `q`.

    One lookup through the trigram indexes (review migration 0002), done once per page rather
    than once per segment of the page.
    """
    return list(User.objects.using(using).filter(Q(full_name__icontains=q) | Q(email__icontains=q))
                .order_by().values_list("pk", flat=True)[:SEARCH_PEOPLE_CAP + 1])


def _filtered(filters: QueueFilters, user: User, people: list[int] | None = None,
              *, using: str = "default") -> QuerySet[Intake]:
    """Every filter but the state and the position: applied to each segment of the page."""
    queryset = Intake.objects.using(using)
    if filters.level:
        queryset = queryset.filter(recommended_level=filters.level)
    if filters.flag:
        queryset = queryset.filter(pk__in=IntakeFlag.objects.filter(flag=filters.flag)
                                   .values("intake_id"))
    tz = timezone.get_current_timezone()
    if filters.submitted_from:
        queryset = queryset.filter(submitted_at__gte=day_start(filters.submitted_from, tz))
    if filters.submitted_to:
        queryset = queryset.filter(submitted_at__lt=day_start(filters.submitted_to, tz,
                                                              days_after=1))
    if filters.assignee == "me":
        queryset = queryset.filter(assigned_to=user)
    elif filters.assignee == "none":
        queryset = queryset.filter(assigned_to__isnull=True)
    elif filters.assignee:
        queryset = queryset.filter(assigned_to_id=int(filters.assignee))
    if filters.overdue:
        queryset = queryset.filter(respond_by__lt=timezone.now(), first_contact_at__isnull=True)
    if filters.outcome == SESSION_PASSED:
        queryset = queryset.filter(pk__in=Decision.objects.filter(
            outcome=Outcome.SCHEDULED, first_session_at__lt=timezone.now()).values("intake_id"))
    elif filters.outcome:
        queryset = queryset.filter(pk__in=Decision.objects.filter(outcome=filters.outcome)
                                   .values("intake_id"))
    number = INTAKE_NUMBER.match(filters.q) if filters.q else None
    if number:
        queryset = queryset.filter(pk=int(number.group(1)))
    elif people is not None:
        queryset = queryset.filter(patient_id__in=people[:SEARCH_PEOPLE_CAP])
    return queryset


def _beyond(cursor: Cursor, *, forward: bool) -> Q:
    """Rows after (or before) the cursor in queue order, as one condition."""
    stamp, pk = cursor.respond_by, cursor.pk
    if forward:
        same = Q(urgent=cursor.urgent) & (Q(respond_by__gt=stamp)
                                          | Q(respond_by=stamp, pk__gt=pk))
        return same | Q(urgent=False) if cursor.urgent else same
    same = Q(urgent=cursor.urgent) & (Q(respond_by__lt=stamp)
                                      | Q(respond_by=stamp, pk__lt=pk))
    return same if cursor.urgent else same | Q(urgent=True)


def _segments(base: QuerySet[Intake], states: tuple[str, ...], cursor: Cursor | None,
              *, forward: bool, size: int) -> list[QuerySet[Intake]]:
    """One ordered, limited index range per (state, urgent) pair, starting after the cursor.

    Each range is a plain index scan on intake_queue_deadline (status, -urgent, respond_by, id) that
    stops after `size` rows, whatever the depth: the union of a few of them, sorted, is the
    page. A single query with OR-ed conditions would make PostgreSQL walk the index from the
    start of the queue up to the cursor instead.
    """
    order = ("respond_by", "pk") if forward else ("-respond_by", "-pk")
    parts = []
    for state in states:
        for urgent in (True, False):
            part = base.filter(status=state, urgent=urgent)
            if cursor is not None:
                if urgent == cursor.urgent:
                    stamp, pk = cursor.respond_by, cursor.pk
                    if forward:
                        # The redundant >= gives the index scan its start; the OR breaks ties.
                        part = part.filter(Q(respond_by__gt=stamp)
                                           | Q(respond_by=stamp, pk__gt=pk),
                                           respond_by__gte=stamp)
                    else:
                        part = part.filter(Q(respond_by__lt=stamp)
                                           | Q(respond_by=stamp, pk__lt=pk),
                                           respond_by__lte=stamp)
                elif (urgent > cursor.urgent) == forward:
                    continue  # this whole segment lies on the other side of the cursor
            parts.append(part.order_by(*order).values_list("pk", "urgent", "respond_by")
                         [:size])
    return parts


def _page_keys(parts: list[QuerySet[Intake]], *, forward: bool,
               size: int) -> list[tuple[int, bool, datetime]]:
    if not parts:
        return []
    if connection.features.supports_slicing_ordering_in_compound and len(parts) > 1:
        order = ("-urgent", "respond_by", "pk") if forward else ("urgent", "-respond_by",
                                                                   "-pk")
        union = parts[0].union(*parts[1:], all=True).order_by(*order)[:size]
        return list(union)
    # SQLite (the demo) cannot limit the parts of a UNION: read them one by one instead.
    keys = [key for part in parts for key in part]
    # A missing deadline sorts last, as PostgreSQL puts NULLs last.
    keys.sort(key=lambda k: (not k[1], k[2] is None, k[2] or datetime.min, k[0]),
              reverse=not forward)
    return keys[:size]


def queue_page(*, user: User, filters: QueueFilters, after: str | None = None,
               before: str | None = None, per_page: int = PER_PAGE) -> QueuePage:
    """One page of the review queue: urgent first, then the nearest response deadline.

    `after` / `before` are cursors from a previous page's next / previous links; a cursor that
    does not decode gives the first page. Runs a fixed number of queries: the page's keys, its
    rows (with patient and assignee), their flags with what each meant in the row's pinned
    criteria, and a count capped at COUNT_CAP; a search
    by name or e-mail first finds the matching people (one more); the first page reads the
    open drafts at acute risk (one more, unless a filter rules drafts out).

    Read from the replica when there is one (iop/db_router.py), unless this person has just
    written: then from the primary, so what they did shows.
    """
    using = replica_alias()
    states = _states(filters)
    searching_people = bool(filters.q) and not INTAKE_NUMBER.match(filters.q)
    people = people_matching(filters.q, using=using) if searching_people else None
    base = _filtered(filters, user, people, using=using)
    cursor, forward = Cursor.decode(after), True
    if cursor is None and (cursor := Cursor.decode(before)) is not None:
        forward = False
    if people is not None:
        # A search narrows the queue to a few people's intakes: one query sorts them all,
        # where the segments would each repeat the same narrowing.
        order = ("-urgent", "respond_by", "pk") if forward else ("urgent", "-respond_by",
                                                                   "-pk")
        narrowed = base.filter(status__in=states)
        if cursor is not None:
            narrowed = narrowed.filter(_beyond(cursor, forward=forward))
        keys = list(narrowed.order_by(*order).values_list("pk", "urgent", "respond_by")
                    [:per_page + 1])
    else:
        keys = _page_keys(_segments(base, states, cursor, forward=forward,
                                    size=per_page + 1), forward=forward, size=per_page + 1)
    more = len(keys) > per_page
    keys = keys[:per_page]
    if not forward:
        keys.reverse()
    by_pk = {intake.pk: intake for intake in (
        Intake.objects.using(using).filter(pk__in=[k[0] for k in keys])
        .select_related("patient", "assigned_to", "urgent_alert__acknowledged_by", "decision")
        .only(*QUEUE_ROW_FIELDS))} if keys else {}
    rows = [by_pk[k[0]] for k in keys if k[0] in by_pk]

    counted = base.filter(status__in=states).order_by()[:COUNT_CAP + 1].count()
    page = QueuePage(rows=rows, count=min(counted, COUNT_CAP), count_capped=counted > COUNT_CAP,
                     flags=_queue_flags(list(by_pk), using=using))
    page.is_first = cursor is None or (not forward and not more)
    if rows:
        has_next = more if forward else True
        has_prev = (cursor is not None) if forward else more
        if has_next:
            page.next_cursor = Cursor.of(rows[-1]).encode()
        if has_prev:
            page.prev_cursor = Cursor.of(rows[0]).encode()
    page.people_capped = people is not None and len(people) > SEARCH_PEOPLE_CAP
    if page.is_first:
        page.acute_risk_drafts = _acute_risk_drafts(base, filters)
    return page


def _queue_flags(intake_ids: list[int], *, using: str) -> dict[int, tuple[list[str],
                                                                     dict[str, str] | None]]:
    """The rows' flags and their pinned words in one query of plain values (QueuePage.flags).

    It was a prefetch, which builds a queryset and a model per flag row, plus a query of the
    pinned words; the words come here with each flag through the intake's recommendation."""
    found: dict[int, tuple[list[str], dict[str, str] | None]] = {}
    if not intake_ids:
        return found
    for intake_id, flag, reasons in (IntakeFlag.objects.using(using)
                                     .filter(intake_id__in=intake_ids).order_by("intake_id", "flag")
                                     .values_list("intake_id", "flag",
                                                  "intake__recommendation__flag_reasons")):
        if intake_id not in found:
            found[intake_id] = ([], {row["id"]: row.get("reason", "") for row in reasons}
                                if reasons else None)
        found[intake_id][0].append(flag)
    return found


def _acute_risk_drafts(base: QuerySet[Intake], filters: QueueFilters) -> list[Intake]:
    """Drafts whose answers showed acute risk and whose alert no clinician has closed:
    "urgent, not submitted", above the first page of the queue, oldest alert first.

    Only in the open (default) or "all" view, narrowed by the assignee and the search like
    the rest; a level, flag or date filter leaves them out (a draft has none of those).
    """
    if filters.state not in ("", "open", "all") or filters.level or filters.flag or (
            filters.submitted_from or filters.submitted_to):
        return []
    return list(base.filter(status=Status.DRAFT, acute_risk_at__isnull=False,
                            acute_risk_closed_at__isnull=True)
                .select_related("patient", "assigned_to", "urgent_alert__acknowledged_by")
                .only(*ACUTE_RISK_DRAFT_FIELDS).order_by("acute_risk_at", "pk"))


def waited(intake: Intake, now: datetime | None = None) -> timedelta | None:
    """How long the intake has waited for a decision (or waited until it was decided); for a
    draft at acute risk, since its alert."""
    start = intake.submitted_at or intake.acute_risk_at
    if start is None:
        return None
    end = intake.decided_at or now or timezone.now()
    return max(end - start, timedelta(0))
