"""The patient's intake pages. Every view that takes an intake starts with
intake_get_for_patient: another person's intake is a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import patient_required
from contacts.display import phone_readable
from contacts.selectors import contact_details_of
from screening.engine import AnswersError
from screening.engine import catalogue as C

from . import services
from .display import answer_sections
from .forms import SignForm
from .models import Intake
from .risk import intake_crisis_reasons
from .selectors import intake_get_for_patient, intakes_of_patient
from .steps import (
    BY_SLUG,
    BY_SLUG_ANY,
    CONFIRM,
    REVIEW,
    SIGN,
    attribution_for,
    next_step,
    step_for_field,
    steps_for,
)


def _progress(intake: Intake, current: str) -> dict:
    """The step names and how far along this intake is, for the progress bar."""
    names = [(step.slug, step.title) for step in steps_for(intake.answers, intake.asks)]
    names += [(REVIEW, _("Review")), (SIGN, _("Sign and submit"))]
    slugs = [slug for slug, _title in names]
    position = slugs.index(current) + 1 if current in slugs else 1
    percent = round(position / len(names) * 100 / 5) * 5
    done = set(intake.steps_done)
    return {"steps": [{"slug": slug, "title": title, "done": slug in done,
                       "current": slug == current} for slug, title in names],
            "position": position, "total": len(names), "percent": percent}


def _alerted(intake: Intake | None) -> dict | None:
    """For a draft whose answers alerted the clinic, until a clinician closes the alert: the
    number a clinician will call (as the person reads it, "" when none was given), else None."""
    if intake is None or not intake.acute_risk_open:
        return None
    details = contact_details_of(intake.patient)
    return {"phone": phone_readable(details.phone if details else None)}


def _resume_url(intake: Intake) -> str:
    step = next_step(intake.answers, intake.steps_done, intake.asks)
    if step is None:
        return reverse("intake:review", args=[intake.pk])
    return reverse("intake:step", args=[intake.pk, step.slug])


@patient_required
def intake_home(request):
    intakes = list(intakes_of_patient(request.user))
    draft = next((i for i in intakes if i.status == Intake.Status.DRAFT), None)
    return render(request, "intake/home.html", {
        "draft": draft, "resume_url": _resume_url(draft) if draft else None,
        "crisis_reasons": intake_crisis_reasons(draft) if draft else [],
        "alerted": _alerted(draft),
        "submitted": [i for i in intakes if i.status != Intake.Status.DRAFT]})


@patient_required
@require_POST
def intake_start(request):
    intake = services.intake_start(patient=request.user, request=request)
    return redirect(_resume_url(intake))


@patient_required
def intake_step(request, pk: int, slug: str):
    intake = intake_get_for_patient(request.user, pk)
    if intake.status != Intake.Status.DRAFT:
        return redirect("intake:status", pk=intake.pk)
    step = _step_of(intake, slug)
    if step is None:
        raise Http404("No such step.")
    if not step.applies(intake.answers):
        return redirect(_resume_url(intake))
    kwargs = {**step.form_kwargs(intake.answers), "version": intake.questionnaire_version}
    if step.saves_contact_details:
        kwargs["details"] = contact_details_of(intake.patient)
    if request.method == "POST":
        form = step.form(request.POST, **kwargs)
        if form.is_valid():
            contact = form.contact_details() if step.saves_contact_details else None
            try:
                intake = services.intake_step_save(intake=intake, step=step,
                                                   part=form.answers(), contact=contact,
                                                   request=request)
            except services.IntakeNotEditable:
                return redirect("intake:status", pk=intake.pk)
            except Intake.DoesNotExist:
                return _purged(request)
            if request.POST.get("leave"):
                messages.success(request, _("Saved. You can come back and carry on at any time."))
                return redirect("intake:home")
            # Onwards to the first step still to answer: the next one when going forward,
            # the one a change reopened (or the review page) when coming from the review.
            return redirect(_resume_url(intake))
        if request.POST.get("leave"):
            return _leave_unfinished(request, intake, step, form)
        status = 400
    else:
        form = step.form(answers=intake.answers, unfinished=intake.unfinished.get(step.slug),
                         **kwargs)
        status = 200
    return render(request, "intake/step.html", {
        "intake": intake, "step": step, "form": form,
        "progress": _progress(intake, step.slug),
        "attribution": attribution_for(step.slug, translation.get_language() or C.ENGLISH),
        "back_url": _before(intake, step.slug),
        "crisis_reasons": intake_crisis_reasons(intake), "alerted": _alerted(intake),
        "carried": _carried(intake) if step is CONFIRM else None},
        status=status)


def _step_of(intake: Intake, slug: str):
    """The step at `slug` for this intake: a re-screen asks its own steps and may change any
    answer carried over (through the intake's step for it), not how to reach the person
    (their account page does that)."""
    if not intake.is_rescreen:
        return BY_SLUG.get(slug)
    step = BY_SLUG_ANY.get(slug)
    if step is None or step.saves_contact_details:
        return None
    return step


def _carried(intake: Intake) -> list:
    """The sections of answers a re-screen carried over (those it does not ask again)."""
    asked = set(intake.asks)
    return [section for section in answer_sections(intake.answers,
                                                   version=intake.questionnaire_version)
            if section.slug not in asked]


def _leave_unfinished(request, intake: Intake, step, form):
    """"Save and finish later" on a half-answered page: keep each valid answer and leave."""
    try:
        services.intake_step_keep_unfinished(intake=intake, step=step,
                                             fields=form.valid_part(), request=request)
    except services.IntakeNotEditable:
        return redirect("intake:status", pk=intake.pk)
    except Intake.DoesNotExist:
        return _purged(request)
    messages.success(request, _("Saved what you answered on the %(step)s page. The questions "
                                "still open there wait for you when you come back.")
                     % {"step": step.title})
    return redirect("intake:home")


def _before(intake: Intake, slug: str) -> str | None:
    slugs = [step.slug for step in steps_for(intake.answers, intake.asks)]
    if slug in slugs and slugs.index(slug) > 0:
        return reverse("intake:step", args=[intake.pk, slugs[slugs.index(slug) - 1]])
    return None


@patient_required
def intake_review(request, pk: int):
    intake = intake_get_for_patient(request.user, pk)
    if intake.status != Intake.Status.DRAFT:
        return redirect("intake:status", pk=intake.pk)
    missing = next_step(intake.answers, intake.steps_done, intake.asks)
    details = contact_details_of(intake.patient)
    return render(request, "intake/review.html", {
        "intake": intake,
        "sections": answer_sections(intake.answers, version=intake.questionnaire_version),
        "contact_details": details, "phone": phone_readable(details.phone if details else None),
        "missing": missing, "progress": _progress(intake, REVIEW),
        "crisis_reasons": intake_crisis_reasons(intake)})


@patient_required
def intake_sign(request, pk: int):
    """Consent and typed-name signature; the form posts to intake_submit."""
    intake = intake_get_for_patient(request.user, pk)
    if intake.status != Intake.Status.DRAFT:
        return redirect("intake:status", pk=intake.pk)
    return _sign_page(request, intake, SignForm(initial={"signature_name": ""}))


def _sign_page(request, intake: Intake, form: SignForm, status: int = 200):
    return render(request, "intake/sign.html", {
        "intake": intake, "form": form, "progress": _progress(intake, SIGN),
        "missing": next_step(intake.answers, intake.steps_done, intake.asks),
        "crisis_reasons": intake_crisis_reasons(intake)}, status=status)


@patient_required
@require_POST
def intake_submit(request, pk: int):
    """Sign and submit, once: a second POST (double click, back button, another tab) finds
    the intake submitted and lands on its status page."""
    intake = intake_get_for_patient(request.user, pk)
    if intake.status != Intake.Status.DRAFT:
        return redirect("intake:status", pk=intake.pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _sign_page(request, intake, form, status=400)
    try:
        intake = services.intake_submit(intake=intake, request=request,
                                        signature_name=form.cleaned_data["signature_name"])
    except Intake.DoesNotExist:
        return _purged(request)
    except services.IntakeIncomplete as incomplete:
        messages.error(request, _("A few questions still need an answer before you can submit."))
        return redirect("intake:step", pk=intake.pk, slug=incomplete.step)
    except AnswersError as error:
        # Each step checks its own answers, so the engine refusing them means a step's
        # rules and SPEC §3 disagree: send the person to the question, not to an error page.
        messages.error(request, _("Please check this answer again: %(problem)s")
                       % {"problem": error.message})
        return redirect("intake:step", pk=intake.pk, slug=step_for_field(error.field))
    return redirect("intake:status", pk=intake.pk)


def _purged(request):
    """The draft was deleted (untouched for DRAFT_PURGE_DAYS) while this page was open."""
    messages.error(request, _("That intake was left unfinished for a long time and was "
                              "deleted. Please start a new one."))
    return redirect("intake:home")


@patient_required
def intake_status(request, pk: int):
    intake = intake_get_for_patient(request.user, pk)
    if intake.status == Intake.Status.DRAFT:
        return redirect(_resume_url(intake))
    decision = getattr(intake, "decision", None)
    decided = intake.status in (Intake.Status.DECIDED, Intake.Status.CLOSED) and decision
    details = contact_details_of(intake.patient)
    return render(request, "intake/status.html", {
        "intake": intake, "decision": decision if decided else None,
        "urgent": intake.urgent, "crisis_reasons": intake_crisis_reasons(intake),
        "contact_details": details, "phone": phone_readable(details.phone if details else None)})


@patient_required
def intake_answers(request, pk: int):
    intake = intake_get_for_patient(request.user, pk)
    return render(request, "intake/answers.html", {
        "intake": intake, "sections": answer_sections(intake.answers, version=intake.questionnaire_version)})
