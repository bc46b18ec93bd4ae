"""Writes of the patient intake: start, save a step, sign and submit once; a draft that
shows acute risk alerts the clinic at once and waits for a clinician to close it."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from api.webhooks import webhooks_notify
from audit.models import AuditEvent
from audit.services import audit_record
from contacts.services import contact_details_save
from review.notifications import (
    notify_acute_risk,
    notify_intake_reminder,
    notify_intake_submitted,
)
from screening.engine import validate_answers
from screening.models import Recommendation
from screening.services import recommendation_record

from .models import Intake, IntakeFlag
from .risk import shows_acute_risk
from .signals import rescreen_submitted
from .steps import BY_SLUG_ANY, STEPS, Step, next_step, steps_for


class IntakeNotEditable(Exception):
    """The intake was submitted already: its answers no longer change."""


class IntakeIncomplete(Exception):
    """Submit before every step is saved and the intake signed; `step` is where to go."""

    def __init__(self, step: str):
        super().__init__(step)
        self.step = step


def intake_start(*, patient, request=None) -> Intake:
    """The patient's unfinished intake, or a new one. Returns it.

    Two tabs starting at once meet the one-draft-per-patient constraint: the loser reads
    the winner's draft instead of making a second.
    """
    draft = Intake.objects.filter(patient=patient, status=Intake.Status.DRAFT).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            intake = Intake.objects.create(patient=patient)
            audit_record(actor=patient, action="create", object_type="intake",
                         object_id=intake.pk, intake_id=intake.pk, request=request)
            return intake
    except IntegrityError:
        return Intake.objects.get(patient=patient, status=Intake.Status.DRAFT)


def answering_language() -> str:
    """The language of the page the person is answering on, as one of LANGUAGES' codes.

    Read from the request's active language (the account's, set by the middleware), so
    every caller records the language the person actually read the questions in.
    """
    try:
        return translation.get_supported_language_variant(translation.get_language() or "en")
    except LookupError:
        return "en"


def _prune(answers: dict, done: list[str], asks: list[str]) -> tuple[dict, list[str]]:
    """Drop the answers and saved marks of steps that no longer apply (a re-screen keeps
    the marks of the steps it asks, its confirmation among them)."""
    applying = ({step.slug for step in steps_for(answers)}
                | {step.slug for step in steps_for(answers, asks)})
    for step in STEPS:
        if step.slug not in applying:
            for name in step.form.owns:
                answers.pop(name, None)
    done = [slug for slug in done if slug in applying]
    # Eating asks height and weight only with eating concerns: without them the two go;
    # with them newly chosen, the eating step is open again until they are given.
    if "eating" not in answers.get("concerns", ()):
        answers.pop("height_cm", None)
        answers.pop("weight_kg", None)
    elif "height_cm" not in answers and "eating" in done:
        done.remove("eating")
    return answers, done


def _locked(intake: Intake) -> Intake:
    """The intake read again under a row lock, keeping the person already in hand.

    The view found the intake by its patient, the signed-in person whose roles this request
    has read already; the fresh row would load them again (twice a step save, once for the
    audit row's role and once for the contact details) inside the locking transaction.
    """
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if Intake.patient.is_cached(intake):
        locked.patient = intake.patient
    return locked


@transaction.atomic
def intake_step_save(*, intake: Intake, step: Step, part: dict, request=None,
                     contact: dict | None = None) -> Intake:
    """Save one step's answers (`part`, in the engine's shape), or for the step that asks
    how to reach the person, its `contact` details beside the answers. Returns the intake.

    The save that first shows acute risk queues the urgent alert in this same transaction
    (see _acute_risk_raise). Raises IntakeNotEditable once the intake was submitted.
    """
    intake = _locked(intake)
    if intake.status != Intake.Status.DRAFT:
        raise IntakeNotEditable
    answers = dict(intake.answers)
    for name in step.form.owns:
        answers.pop(name, None)
    answers.update(part)
    done = list(intake.steps_done)
    if step.slug not in done:
        done.append(step.slug)
    intake.answers, intake.steps_done = _prune(answers, done, intake.asks)
    intake.unfinished = _applying_unfinished(intake.answers, intake.unfinished, saved=step.slug,
                                             asks=intake.asks)
    intake.language = answering_language()
    intake.save(update_fields=["answers", "steps_done", "unfinished", "language", "updated_at"])
    if contact is not None:
        contact_details_save(patient=intake.patient, data=contact, request=request,
                             intake_id=intake.pk)
    # Which step changed, never what was answered: the log is read by admins.
    audit_record(actor=intake.patient, action="change", object_type="intake",
                 object_id=intake.pk, intake_id=intake.pk, request=request,
                 detail={"step": step.slug})
    if intake.acute_risk_at is None and shows_acute_risk(intake.answers):
        _acute_risk_raise(intake)
    return intake


def _applying_unfinished(answers: dict, unfinished: dict, saved: str = "",
                         asks: list[str] | None = None) -> dict:
    """The half-answered pages kept, without the one just saved whole and those of steps
    that no longer apply."""
    applying = ({step.slug for step in steps_for(answers)}
                | {step.slug for step in steps_for(answers, asks or ())})
    return {slug: fields for slug, fields in unfinished.items()
            if slug in applying and slug != saved}


@transaction.atomic
def intake_step_keep_unfinished(*, intake: Intake, step: Step, fields: dict,
                                request=None) -> Intake:
    """"Save and finish later" on a page not fully answered: keep `fields` (form field ->
    value as typed, each valid on its own) to show again, without saving the step or
    marking it done, so nothing incomplete reaches the answers. Returns the intake.

    Raises IntakeNotEditable once the intake was submitted.
    """
    intake = _locked(intake)
    if intake.status != Intake.Status.DRAFT:
        raise IntakeNotEditable
    unfinished = dict(intake.unfinished)
    if fields:
        unfinished[step.slug] = fields
    else:
        unfinished.pop(step.slug, None)
    intake.unfinished = unfinished
    intake.language = answering_language()
    intake.save(update_fields=["unfinished", "language", "updated_at"])
    audit_record(actor=intake.patient, action="change", object_type="intake",
                 object_id=intake.pk, intake_id=intake.pk, request=request,
                 detail={"step": step.slug, "unfinished": True})
    return intake


def _acute_risk_raise(intake: Intake) -> None:
    """Alert the on-call clinicians now, before any submit (SPEC §8b), and put the draft in
    the queue as urgent. Runs inside the step's transaction on the locked row: the alert
    row and the mark commit together or not at all, and two tabs saving at once raise it once.
    """
    intake.acute_risk_at = timezone.now()
    intake.urgent = True
    intake.save(update_fields=["acute_risk_at", "urgent"])
    notify_acute_risk(intake=intake)
    # The person's own save raised it: they are the actor, as for the step itself.
    audit_record(actor=intake.patient, action=AuditEvent.Action.CHANGE, object_type="intake",
                 object_id=intake.pk, intake_id=intake.pk,
                 detail={"acute_risk_alert": "raised before submit"})


class AcuteRiskNotOpen(Exception):
    """There is no open acute-risk alert on this intake to close (closed already, or none)."""


@transaction.atomic
def intake_acute_risk_close(*, intake: Intake, actor, reason: str, request=None) -> Intake:
    """A clinician closes the alert of a draft that showed acute risk, with the reason
    (e.g. "Reached by phone, safe, plan agreed"). The draft leaves the queue; reminders and
    the purge apply to it again; the person can still finish and submit it. Returns it.

    Raises AcuteRiskNotOpen when the intake has no open alert (someone closed it first).
    """
    row = Intake.objects.select_for_update().get(pk=intake.pk)
    if not row.acute_risk_open:
        raise AcuteRiskNotOpen
    row.acute_risk_closed_at = timezone.now()
    row.acute_risk_closed_by = actor
    row.acute_risk_close_reason = reason
    # update() keeps updated_at: the purge counts from the person's last save, not ours.
    Intake.objects.filter(pk=row.pk).update(
        acute_risk_closed_at=row.acute_risk_closed_at, acute_risk_closed_by=actor,
        acute_risk_close_reason=reason)
    audit_record(actor=actor, action=AuditEvent.Action.STATE, object_type="intake",
                 object_id=row.pk, intake_id=row.pk, request=request,
                 detail={"acute_risk_alert": "closed"})
    return row


@transaction.atomic
def intake_submit(*, intake: Intake, signature_name: str, request=None) -> Intake:
    """Sign and submit once: validate with the engine, store the recommendation pinned to
    the published criteria, and queue the clinicians' notifications. Returns the intake.

    The row is locked first, so a double click, a second tab or the back button finds it
    submitted and changes nothing. Raises IntakeIncomplete (with the step to finish) and
    screening.engine.AnswersError (naming the field) when the answers are not complete.
    """
    intake = _locked(intake)
    if intake.status != Intake.Status.DRAFT:
        return intake
    missing = next_step(intake.answers, intake.steps_done, intake.asks)
    if missing is not None:
        raise IntakeIncomplete(missing.slug)
    validate_answers(intake.answers)
    now = timezone.now()
    intake.signature_name = signature_name
    intake.consented_at = now
    intake.status = Intake.Status.SUBMITTED
    intake.submitted_at = now
    # The questions were answered on the steps, each recording its page's language; signing
    # in another language does not change the language the answers were given in.
    intake.language = intake.language or answering_language()
    intake.save(update_fields=["signature_name", "consented_at", "status", "submitted_at",
                               "language", "updated_at"])
    recommendation = intake_recommendation_record(intake=intake)
    if intake.is_rescreen:
        # The care app suggests what follows from it and tells review (its worsening alert,
        # its clock): intake knows nothing of care, it only says a re-screen came in.
        rescreen_submitted.send(sender=Intake, intake=intake, recommendation=recommendation)
    else:
        # A draft that raised the urgent alert already is not alerted twice: the on-call
        # clinicians have it (and the new-intake notice says it is now submitted).
        notify_intake_submitted(intake=intake, urgent=intake.urgent, flags=recommendation.flags,
                                already_alerted=intake.acute_risk_at is not None)
    audit_record(actor=intake.patient, action="submit", object_type="intake",
                 object_id=intake.pk, intake_id=intake.pk, request=request,
                 detail={"criteria_version": recommendation.criteria_version.version})
    webhooks_notify(event="intake.submitted", intake=intake)
    return intake


def intake_recommendation_record(*, intake: Intake) -> Recommendation:
    """Have screening store the recommendation for the intake's answers, then copy onto the
    intake what the queue filters on (urgent, the level, a row per flag), so the queue is
    one indexed query. Returns the recommendation."""
    recommendation = recommendation_record(intake_id=intake.pk, answers=intake.answers,
                                           case_id=intake.number)
    intake.urgent = "urgent" in recommendation.flags
    intake.recommended_level = recommendation.level
    intake.save(update_fields=["urgent", "recommended_level", "updated_at"])
    IntakeFlag.objects.bulk_create([IntakeFlag(intake=intake, flag=flag)
                                    for flag in recommendation.flags])
    return recommendation


class RescreenNotStarted(Exception):
    """The person has an unfinished first intake: a re-screen waits until it is done."""


@transaction.atomic
def rescreen_start(*, follows: Intake, carried_from: Intake, asks: list[str],
                   request=None) -> Intake:
    """The person's unfinished re-screen of the care decided on `follows`, or a new one:
    the answers of `carried_from` (their last screen) carried over, less those of the steps
    it `asks` again (never shown pre-filled: a score is given afresh). Returns it.

    Raises RescreenNotStarted when an unfinished first intake is in the way (one draft per
    person).
    """
    patient = follows.patient
    draft = Intake.objects.select_for_update().filter(patient=patient,
                                                      status=Intake.Status.DRAFT).first()
    if draft is not None:
        if draft.is_rescreen:
            return draft
        raise RescreenNotStarted
    answers = dict(carried_from.answers)
    for slug in asks:
        for name in BY_SLUG_ANY[slug].form.owns:
            answers.pop(name, None)
    rescreen = Intake.objects.create(patient=patient, kind=Intake.Kind.RESCREEN,
                                     follows=follows, asks=list(asks), answers=answers)
    audit_record(actor=patient, action="create", object_type="intake", object_id=rescreen.pk,
                 intake_id=rescreen.pk, request=request,
                 detail={"rescreen_of": follows.pk, "carried_from": carried_from.pk})
    return rescreen


def rescreen_mark_decided(*, rescreen: Intake, level: str, at) -> None:
    """A clinician decided on the re-screen's suggestion: it leaves the queue, decided."""
    Intake.objects.filter(pk=rescreen.pk).update(status=Intake.Status.DECIDED, decided_at=at,
                                                 decided_level=level)


# Reminders of an unfinished intake: the first after 1 day, the second after 3 (issue 5).
REMINDER_AFTER_DAYS = (1, 3)
# A draft at acute risk is the clinic's to act on, not the person's to "finish when ready":
# no reminder and no purge until a clinician has closed its alert (SPEC §8b).
LEFT_ALONE = Q(acute_risk_at__isnull=False, acute_risk_closed_at__isnull=True)


def drafts_to_remind(*, now=None) -> list[int]:
    """Ids of drafts due a reminder: untouched for 1 day with none sent, or 3 with one."""
    now = now or timezone.now()
    due = []
    for sent, days in enumerate(REMINDER_AFTER_DAYS):
        # A re-screen has its own reminder (care.invitations), not this one.
        due += list(Intake.objects.filter(
            status=Intake.Status.DRAFT, kind=Intake.Kind.INTAKE, reminders_sent=sent,
            updated_at__lte=now - timezone.timedelta(days=days),
        ).exclude(LEFT_ALONE).values_list("pk", flat=True))
    return due


@transaction.atomic
def intake_remind(*, intake_id: int, now=None) -> bool:
    """Queue the next reminder for one draft if it is still due. Returns True if queued.

    Locked and re-checked, so a task run twice sends one reminder, not two.
    """
    now = now or timezone.now()
    intake = Intake.objects.select_for_update().filter(
        pk=intake_id, status=Intake.Status.DRAFT, kind=Intake.Kind.INTAKE,
    ).exclude(LEFT_ALONE).first()
    if intake is None or intake.reminders_sent >= len(REMINDER_AFTER_DAYS):
        return False
    if intake.updated_at > now - timezone.timedelta(
            days=REMINDER_AFTER_DAYS[intake.reminders_sent]):
        return False
    notify_intake_reminder(intake=intake)
    # update() keeps updated_at: a reminder is not the patient touching the intake.
    Intake.objects.filter(pk=intake.pk).update(reminders_sent=intake.reminders_sent + 1)
    return True


@transaction.atomic
def drafts_purge(*, days: int, now=None) -> int:
    """Delete drafts untouched for `days` days (answers never submitted), except those at
    acute risk whose alert no clinician has closed. Returns how many.

    Each deletion is logged (by intake id; the log row outlives the draft).
    """
    now = now or timezone.now()
    stale = Intake.objects.select_for_update(skip_locked=True).filter(
        status=Intake.Status.DRAFT, updated_at__lte=now - timezone.timedelta(days=days),
    ).exclude(LEFT_ALONE)
    # Locked, so a patient submitting one of these right now waits, then finds it gone
    # (skip_locked: one they are saving right now is left for tomorrow's run).
    ids = list(stale.values_list("pk", flat=True))
    Intake.objects.filter(pk__in=ids).delete()
    for pk in ids:
        audit_record(actor=None, action="change", object_type="intake", object_id=pk,
                     intake_id=pk, detail={"purged_draft_after_days": days})
    return len(ids)
