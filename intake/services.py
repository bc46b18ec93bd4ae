"""Writes of the patient intake: start, save a step, sign and submit once."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from api.webhooks import webhooks_notify
from audit.services import audit_record
from review.models import Notification
from review.notifications import notification_queue
from screening.engine import validate_answers
from screening.services import recommendation_record

from .models import Intake
from .steps import STEPS, Step, next_step, steps_for


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


def _prune(answers: dict, done: list[str]) -> tuple[dict, list[str]]:
    """Drop the answers and saved marks of steps that no longer apply."""
    applying = {step.slug for step in steps_for(answers)}
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


@transaction.atomic
def intake_step_save(*, intake: Intake, step: Step, part: dict, request=None) -> Intake:
    """Save one step's answers (`part`, in the engine's shape). Returns the intake.

    Raises IntakeNotEditable once the intake was submitted.
    """
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if intake.status != Intake.Status.DRAFT:
        raise IntakeNotEditable
    answers = dict(intake.answers)
    for name in step.form.owns:
        answers.pop(name, None)
    answers.update(part)
    done = list(intake.steps_done)
    if step.slug not in done:
        done.append(step.slug)
    intake.answers, intake.steps_done = _prune(answers, done)
    intake.save(update_fields=["answers", "steps_done", "updated_at"])
    # Which step changed, never what was answered: the log is read by admins.
    audit_record(actor=intake.patient, action="change", object_type="intake",
                 object_id=intake.pk, intake_id=intake.pk, request=request,
                 detail={"step": step.slug})
    return intake


@transaction.atomic
def intake_submit(*, intake: Intake, signature_name: str, request=None) -> Intake:
    """Sign and submit once: validate with the engine, store the recommendation pinned to
    the published criteria, and queue the clinicians' notifications. Returns the intake.

    The row is locked first, so a double click, a second tab or the back button finds it
    submitted and changes nothing. Raises IntakeIncomplete (with the step to finish) and
    screening.engine.AnswersError (naming the field) when the answers are not complete.
    """
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if intake.status != Intake.Status.DRAFT:
        return intake
    missing = next_step(intake.answers, intake.steps_done)
    if missing is not None:
        raise IntakeIncomplete(missing.slug)
    validate_answers(intake.answers)
    now = timezone.now()
    intake.signature_name = signature_name
    intake.consented_at = now
    intake.status = Intake.Status.SUBMITTED
    intake.submitted_at = now
    intake.save(update_fields=["signature_name", "consented_at", "status", "submitted_at",
                               "updated_at"])
    recommendation = recommendation_record(intake=intake)
    notification_queue(kind=Notification.Kind.NEW_INTAKE, intake=intake)
    if "urgent" in recommendation.flags:
        notification_queue(kind=Notification.Kind.URGENT, intake=intake)
    audit_record(actor=intake.patient, action="submit", object_type="intake",
                 object_id=intake.pk, intake_id=intake.pk, request=request,
                 detail={"criteria_version": recommendation.criteria_version.version})
    webhooks_notify(event="intake.submitted", intake=intake)
    return intake


# Reminders of an unfinished intake: the first after 1 day, the second after 3 (issue 5).
REMINDER_AFTER_DAYS = (1, 3)


def drafts_to_remind(*, now=None) -> list[int]:
    """Ids of drafts due a reminder: untouched for 1 day with none sent, or 3 with one."""
    now = now or timezone.now()
    due = []
    for sent, days in enumerate(REMINDER_AFTER_DAYS):
        due += list(Intake.objects.filter(
            status=Intake.Status.DRAFT, reminders_sent=sent,
            updated_at__lte=now - timezone.timedelta(days=days),
        ).values_list("pk", flat=True))
    return due


@transaction.atomic
def intake_remind(*, intake_id: int, now=None) -> bool:
    """Queue the next reminder for one draft if it is still due. Returns True if queued.

    Locked and re-checked, so a task run twice sends one reminder, not two.
    """
    now = now or timezone.now()
    intake = Intake.objects.select_for_update().filter(
        pk=intake_id, status=Intake.Status.DRAFT).first()
    if intake is None or intake.reminders_sent >= len(REMINDER_AFTER_DAYS):
        return False
    if intake.updated_at > now - timezone.timedelta(
            days=REMINDER_AFTER_DAYS[intake.reminders_sent]):
        return False
    notification_queue(kind=Notification.Kind.REMINDER, intake=intake)
    # update() keeps updated_at: a reminder is not the patient touching the intake.
    Intake.objects.filter(pk=intake.pk).update(reminders_sent=intake.reminders_sent + 1)
    return True


@transaction.atomic
def drafts_purge(*, days: int, now=None) -> int:
    """Delete drafts untouched for `days` days (answers never submitted). Returns how many.

    Each deletion is logged (by intake id; the log row outlives the draft).
    """
    now = now or timezone.now()
    stale = Intake.objects.select_for_update(skip_locked=True).filter(
        status=Intake.Status.DRAFT, updated_at__lte=now - timezone.timedelta(days=days))
    # Locked, so a patient submitting one of these right now waits, then finds it gone
    # (skip_locked: one they are saving right now is left for tomorrow's run).
    ids = list(stale.values_list("pk", flat=True))
    Intake.objects.filter(pk__in=ids).delete()
    for pk in ids:
        audit_record(actor=None, action="change", object_type="intake", object_id=pk,
                     intake_id=pk, detail={"purged_draft_after_days": days})
    return len(ids)
