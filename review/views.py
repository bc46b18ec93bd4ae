"""The clinician review dashboard (SPEC §8): queue, intake page, decisions, print, metrics.

Clinicians and admins read (staff_required); only clinicians change anything
(clinician_required). Every intake view starts with `intake_get_for_staff`, and every view
or change of an intake is written to the audit log through the services.
"""

from django.conf import settings
from django.contrib import messages
from django.forms import Textarea
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import clinician_required, staff_required
from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from care.page import care_for_staff
from contacts.services import contact_details_open
from intake.display import answer_sections
from intake.services import AcuteRiskNotOpen, intake_acute_risk_close
from screening.models import CriteriaVersion
from screening.selectors import criteria_version_published

from . import display
from .alerts import AlertError, alert_acknowledge
from .clocks import response_report, response_report_default_range, response_report_stored
from .decision_page import decision_page_context, programs_in_rank_order
from .decisions import decide_refusal, intake_decide
from .export import intake_export_data
from .forms import (
    AcuteRiskCloseForm,
    AssignForm,
    ContactAttemptForm,
    DecideForm,
    MoveForm,
    NoteForm,
    QueueFilterForm,
    ResponseReportForm,
)
from .history_lines import history_lines
from .kept import CRITERIA_SECONDS, kept
from .metrics import clinic_metrics_stored
from .queue_rows import clock_words, intake_links, queue_row
from .selectors import (
    clinicians_active,
    intake_get_for_staff,
    intake_history,
    queue_page,
    waited,
)
from .services import (
    HAND_MOVES,
    contact_attempt_add,
    intake_assign,
    intake_move,
    intake_open,
    note_add,
)
from .state import MOVE_LABELS, ReviewError, moves_allowed


def _query_without(query: QueryDict, *names: str) -> str:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


SEARCH_SESSION_KEY = "review_queue_search"


@staff_required
@require_http_methods(["GET", "POST"])
def queue(request):
    """The queue. Filters travel in the query string; the search text never does (it may be
    a name or an e-mail): the form is posted, the text kept in the session, and the page
    redirected to the filters plus `search=1`."""
    clinicians = list(clinicians_active())
    # The filter offers the flags of the criteria published now (kept a minute in the
    # process: review/kept.py); a badge's hover text is what the flag meant in the criteria
    # pinned to that intake.
    published: dict | None = kept("criteria_published_document", CRITERIA_SECONDS,
                                  _published_document)
    flags = display.flag_choices(published)
    if request.method == "POST":
        form = QueueFilterForm(request.POST, clinicians=clinicians, flags=flags)
        if form.is_valid():
            query = QueryDict(mutable=True)
            for name, value in form.cleaned_data.items():
                if name != "q" and value not in (None, "", False):
                    query[name] = value.isoformat() if hasattr(value, "isoformat") else value
            if form.cleaned_data["q"]:
                request.session[SEARCH_SESSION_KEY] = form.cleaned_data["q"]
                query["search"] = "1"
            else:
                request.session.pop(SEARCH_SESSION_KEY, None)
            url = reverse("review:queue")
            return redirect(f"{url}?{query.urlencode()}" if query else url)
        data = request.POST
    else:
        data = request.GET.copy()
        data.pop("q", None)  # only ever from the session
        if data.get("search") and request.session.get(SEARCH_SESSION_KEY):
            data["q"] = request.session[SEARCH_SESSION_KEY]
        form = QueueFilterForm(data or None, clinicians=clinicians, flags=flags)
    filters = form.filters()
    page = queue_page(user=request.user, filters=filters, after=request.GET.get("after"),
                      before=request.GET.get("before"))
    now = timezone.now()
    published_reasons = display.flag_reasons(published or {})
    no_flags: tuple[list[str], None] = ([], None)
    link = intake_links()
    rows = [queue_row(intake, now=now, viewer_id=request.user.pk, flags=None, link=link)
            for intake in page.acute_risk_drafts]
    for intake in page.rows:
        flags, pinned = page.flags.get(intake.pk, no_flags)
        rows.append(queue_row(intake, now=now, viewer_id=request.user.pk,
                              flags=display.flag_rows(flags, pinned or published_reasons),
                              level=display.LEVEL_SHORT.get(intake.recommended_level, ""),
                              outcome=_outcome_words(intake), link=link))
    # Names appear in the list: who saw which intakes listed is part of the record. The
    # search text itself is not kept (it may be a name).
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, object_type="queue",
                 request=request, detail={"intakes": [row["pk"] for row in rows],
                                          "searched": bool(filters.q)})
    return render(request, "review/queue.html", {
        "form": form, "page": page, "rows": rows,
        "filter_query": _query_without(request.GET, "after", "before", "q"),
        "filtered": bool(request.GET.dict().keys() - {"after", "before"}),
        "can_review": request.user.is_clinician,
    }, status=400 if request.method == "POST" else 200)


def _published_document() -> dict | None:
    try:
        return criteria_version_published().document
    except CriteriaVersion.DoesNotExist:  # between a retire and a publish: the catalogue's
        return None


def _outcome_words(intake) -> str:
    """What came of the decision, for a decided intake's queue row ("" before a decision)."""
    decision = getattr(intake, "decision", None)
    return decision.get_outcome_display() if decision is not None else ""


def _detail_context(request, intake, *, decide_form=None, note_form=None,
                    assign_form=None, contact_form=None, close_form=None, care_form=None,
                    **after_forms) -> dict:
    recommendation = getattr(intake, "recommendation", None)
    decision = getattr(intake, "decision", None)
    can_review = request.user.is_clinician
    can_assign = can_review and intake.status not in (intake.Status.CLOSED, intake.Status.DRAFT)
    if decide_form is None and recommendation is not None:
        decide_form = DecideForm(recommended_level=recommendation.level,
                                 initial={"outcome": "accept"})
    if assign_form is None and can_assign:
        # The clinicians (two queries) only for a page that shows the form: a closed intake,
        # most of those opened, cannot be assigned.
        assign_form = AssignForm(user=request.user, clinicians=list(clinicians_active()),
                                 initial={"assignee": str(intake.assigned_to_id or "")})
    now = timezone.now()
    allowed = moves_allowed(intake.status)
    history = intake_history(intake)
    context = {
        "intake": intake,
        "patient": intake.patient,
        "recommendation": recommendation,
        "decision": decision,
        "sections": answer_sections(intake.answers, version=intake.questionnaire_version,
                                    for_staff=True),
        "severity": display.severity_words(recommendation.severity) if recommendation else "",
        "instruments": display.instrument_rows(recommendation.scores,
                                               recommendation.bands) if recommendation else [],
        # What each flag means, stored with the recommendation from its pinned criteria.
        "flags": display.flag_rows(recommendation.flags, {
            row["id"]: row["reason"] for row in recommendation.flag_reasons})
        if recommendation else [],
        "reasons": recommendation.reasons if recommendation else [],
        # Pure computation on the answers and the pinned criteria already loaded: no query.
        "level_changes": display.level_change_rows(recommendation, intake.answers),
        "level_names": display.LEVEL_NAMES,
        "history": history,
        "history_lines": history_lines(history),
        "notes": list(intake.notes.select_related("author")),
        "waited": display.duration_words(waited(intake, now)),
        "clock": clock_words(intake, now),
        "alert": getattr(intake, "urgent_alert", None),
        "contact_attempts": list(intake.contact_attempts.select_related("clinician")),
        "contact_form": contact_form or ContactAttemptForm(),
        "can_log_contact": can_review and intake.status != intake.Status.CLOSED,
        "moves": [(to, MOVE_LABELS[move]) for to, move in HAND_MOVES.items()
                  if move in allowed],
        "can_review": can_review,
        "can_decide": can_review and intake.status == intake.Status.IN_REVIEW
        and recommendation is not None,
        "decide_form": decide_form,
        "note_form": note_form or NoteForm(),
        "assign_form": assign_form,
        "can_assign": can_assign,
        "acknowledge_minutes": settings.URGENT_ACKNOWLEDGE_WITHIN_MINUTES,
        # Each page that shows the person's numbers records that this staff member saw them.
        "contact_details": contact_details_open(intake=intake, viewer=request.user,
                                                request=request),
        "close_form": close_form or AcuteRiskCloseForm(),
        # Measurement-based care (care/): the re-screens of an intake, a re-screen's suggestion.
        "care": care_for_staff(intake, can_decide=can_review, form=care_form),
    }
    context.update(decision_page_context(request.user, intake, after_forms))
    programs_in_rank_order(decide_form, context["program_fits"])
    return context


@staff_required
@require_GET
def intake_detail(request, pk: int):
    intake = intake_get_for_staff(request.user, pk)
    intake_open(intake=intake, actor=request.user, request=request)
    return render(request, "review/intake.html", _detail_context(request, intake))


@staff_required
@require_GET
def intake_print(request, pk: int):
    intake = intake_get_for_staff(request.user, pk)
    intake_open(intake=intake, actor=request.user, request=request,
                action=AuditEvent.Action.PRINT)
    context = _detail_context(request, intake)
    context["printed_at"] = timezone.now()
    return render(request, "review/print.html", context)


@staff_required
@require_GET
def intake_export(request, pk: int):
    """The intake as JSON for the chart or another system: answers in SPEC §3's shape, the
    recommendation as SPEC §7 gives it (pinned version, rules with their reasons), the
    decision. A download, audited like a view; never cached."""
    intake = intake_get_for_staff(request.user, pk)
    intake_open(intake=intake, actor=request.user, request=request,
                action=AuditEvent.Action.EXPORT)
    response = JsonResponse(intake_export_data(intake), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="intake-{intake.number}.json"'
    response["Cache-Control"] = "no-store"
    return response


# Whether each of the intake page's forms is on the page, from the page's context. The forms
# of after the decision are on it when the state table allows their move (decision_page).
_FORM_SHOWN = {
    "decide_form": lambda context: context["can_decide"] and context["decision"] is None,
    "close_form": lambda context: context["can_review"] and context["intake"].acute_risk_open,
    "assign_form": lambda context: context["can_assign"],
    "note_form": lambda context: context["can_review"],
    "contact_form": lambda context: context["can_log_contact"],
    "care_form": lambda context: bool(context["care"] and context["care"].get("can_decide")),
}


def _form_shown(name: str, context: dict) -> bool:
    shown = _FORM_SHOWN.get(name)
    return shown(context) if shown else name in context["after_forms_shown"]


def _refused(request, intake, form=None, error: ReviewError | None = None, *,
             give_back: bool = True, **forms):
    """The intake page again (400) after a refused form: never silent, nothing typed lost.

    `forms` holds the posted form by its name on the page (`decide_form=...`); `error` is the
    service's refusal when it came to that (`form`, the same form again, is only read from
    `forms`). The page is built from the intake as
    it is now, since another clinician may have changed it meanwhile. Then either:
    - the form is still on the page: it shows its own errors, and the refusal goes beside the
      field it names (at the top of the page when it names none); or
    - the form is gone (the intake was decided, closed or reopened meanwhile): the refusal,
      or else the form's errors, go at the top, and what was typed in its text boxes is
      given back in a message (unless `give_back` is False).
    """
    (name, posted), = forms.items()
    intake = intake_get_for_staff(request.user, intake.pk)
    context = _detail_context(request, intake, **forms)
    if _form_shown(name, context):
        if error is not None and error.field in posted.fields:
            posted.add_error(error.field, error.message)
        elif error is not None:
            messages.error(request, error.message)
    else:
        if error is not None:
            messages.error(request, error.message)
        else:
            messages.error(request, "Not saved: " + " ".join(
                str(message) for field_messages in posted.errors.values()
                for message in field_messages))
        if give_back:
            _typed_back(request, posted)
    return render(request, "review/intake.html", context, status=400)


# The care app's form on this page is refused through the same path.
intake_page_refused = _refused


def _typed_back(request, form) -> None:
    """Give back what was typed in the text boxes of a form the page no longer shows."""
    typed = [(str(field.label), (form.data.get(form.add_prefix(name)) or "").strip())
             for name, field in form.fields.items()
             if isinstance(field.widget, Textarea)]
    typed = [(label, text) for label, text in typed if text]
    if typed:
        messages.info(request, "What you typed was not saved: " + " ".join(
            f"{label}: \u201c{text}\u201d." for label, text in typed))


@clinician_required
@require_POST
def intake_decide_view(request, pk: int):
    intake = intake_get_for_staff(request.user, pk)
    recommendation = getattr(intake, "recommendation", None)
    if recommendation is None:
        messages.error(request, "This intake has no recommendation to decide on.")
        return redirect("review:intake", pk=pk)
    form = DecideForm(request.POST, recommended_level=recommendation.level)
    refusal = decide_refusal(intake)
    if refusal:
        # Not decidable (decided by someone else meanwhile, or not in review yet): say so
        # before any check of the form, which the page will not show.
        return _refused(request, intake, form, ReviewError(refusal), decide_form=form)
    if not form.is_valid():
        return _refused(request, intake, decide_form=form)
    data = form.cleaned_data
    try:
        decision = intake_decide(
            intake=intake, actor=request.user, indicated_level=data["indicated_level"],
            start_level=data.get("start_level") or None, reason_code=data.get("reason_code", ""),
            reason_text=data.get("reason_text", ""), program=data.get("program"),
            next_steps=data.get("next_steps", ""), request=request)
    except ReviewError as error:
        # The state changed under us (a refusal without a field): the form goes from the
        # page, and what was typed in it is given back in a message.
        return _refused(request, intake, form, error, decide_form=form)
    verb = "accepted" if decision.accepted else "overridden"
    messages.success(request, f"Decision recorded: recommendation {verb}; the patient will "
                              f"start at {display.LEVEL_NAMES[decision.start_level]}.")
    return redirect("review:intake", pk=pk)


@clinician_required
@require_POST
def intake_move_view(request, pk: int):
    intake = intake_get_for_staff(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That is not a state an intake can move to.")
        return redirect("review:intake", pk=pk)
    try:
        moved = intake_move(intake=intake, to_state=form.cleaned_data["to_state"],
                            actor=request.user, request=request)
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{moved.number} is now {moved.get_status_display().lower()}.")
    return redirect("review:intake", pk=pk)


@clinician_required
@require_POST
def intake_assign_view(request, pk: int):
    intake = intake_get_for_staff(request.user, pk)
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        return _refused(request, intake, assign_form=form)
    assignee: User | None = form.people.get(form.cleaned_data["assignee"])
    try:
        intake_assign(intake=intake, assignee=assignee, actor=request.user, request=request)
    except ReviewError as error:
        return _refused(request, intake, form, error, assign_form=form)
    who = "nobody" if assignee is None else (
        "you" if assignee == request.user else assignee.full_name or assignee.email)
    messages.success(request, f"{intake.number} is assigned to {who}.")
    return redirect("review:intake", pk=pk)


@clinician_required
@require_POST
def intake_note_view(request, pk: int):
    intake = intake_get_for_staff(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, intake, note_form=form)
    try:
        note_add(intake=intake, author=request.user, text=form.cleaned_data["text"],
                 request=request)
    except ReviewError as error:
        return _refused(request, intake, form, error, note_form=form)
    messages.success(request, "Note saved.")
    return redirect("review:intake", pk=pk)


@clinician_required
@require_POST
def intake_acute_risk_close_view(request, pk: int):
    """Close the alert of a draft at acute risk, with the reason: it leaves the queue."""
    intake = intake_get_for_staff(request.user, pk)
    form = AcuteRiskCloseForm(request.POST)
    if not form.is_valid():
        return _refused(request, intake, close_form=form)
    try:
        intake_acute_risk_close(intake=intake, actor=request.user,
                                reason=form.cleaned_data["reason"], request=request)
    except AcuteRiskNotOpen:
        messages.error(request, "This intake has no open urgent alert to close: it was "
                                "closed already, or was never raised.")
        return redirect("review:intake", pk=pk)
    messages.success(request, f"The urgent alert on {intake.number} is closed; it has left "
                              "the queue.")
    return redirect("review:intake", pk=pk)


@staff_required
@require_GET
def metrics(request):
    """The clinic metrics as last worked out in the background: one row read, never the
    history (review/metrics.py)."""
    stored = clinic_metrics_stored()
    return render(request, "review/metrics.html", {"metrics": stored["metrics"],
                                                   "worked_out_at": stored["at"],
                                                   "stale": stored["stale"],
                                                   "level_names": display.LEVEL_SHORT})


@clinician_required
@require_POST
def intake_acknowledge_view(request, pk: int):
    """"I'm on it": one click on the intake page (where the alert mail's link leads)."""
    intake = intake_get_for_staff(request.user, pk)
    try:
        alert = alert_acknowledge(intake=intake, actor=request.user, request=request)
    except AlertError as error:
        messages.error(request, error.message)
        return redirect("review:intake", pk=pk)
    if alert.acknowledged_by_id == request.user.pk:
        messages.success(request, f"Recorded: you are on {intake.number}. The alert will not "
                                  "go out again.")
    else:
        who = alert.acknowledged_by.full_name or alert.acknowledged_by.email
        messages.info(request, f"{who} acknowledged this alert already, at "
                               f"{timezone.localtime(alert.acknowledged_at):%H:%M}.")
    return redirect("review:intake", pk=pk)


@clinician_required
@require_POST
def intake_contact_view(request, pk: int):
    intake = intake_get_for_staff(request.user, pk)
    form = ContactAttemptForm(request.POST)
    if not form.is_valid():
        return _refused(request, intake, contact_form=form)
    data = form.cleaned_data
    try:
        contact_attempt_add(intake=intake, clinician=request.user, channel=data["channel"],
                            outcome=data["outcome"], note=data.get("note", ""),
                            next_try_at=data.get("next_try_at"), request=request)
    except ReviewError as error:
        return _refused(request, intake, form, error, contact_form=form)
    messages.success(request, "Contact attempt logged.")
    return redirect("review:intake", pk=pk)


@staff_required
@require_GET
def response_times(request):
    """Time to first contact per tier, for the intakes whose clock started in a date range.
    Counts and times only: no patient is named. With no range chosen (nearly every request)
    the default, the last 30 days, as last worked out in the background: one row read, no
    intake (review/clocks.py). A chosen range is worked out now."""
    form = ResponseReportForm(request.GET or None)
    chosen = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
    if chosen:
        start, end = response_report_default_range(timezone.localdate())
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
        start = min(start, end)
        reports, stored = response_report(start=start, end=end), None
    else:
        stored = response_report_stored()
        start, end, reports = stored["start"], stored["end"], stored["tiers"]
    tiers = None if reports is None else [
        {"report": report,
         "median": display.duration_words(report.median),
         "p90": display.duration_words(report.p90),
         "share": None if report.share_within is None else round(100 * report.share_within)}
        for report in reports]
    return render(request, "review/response_times.html", {
        "form": form, "tiers": tiers, "start": start, "end": end, "stored": stored},
        status=400 if form.is_bound and not form.is_valid() else 200)
