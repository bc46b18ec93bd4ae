"""The intake's steps, in order, as data: the views and services read this list.

A step applies or not from the answers given so far (MDQ only with mood swings or low mood,
PEG only with chronic pain, height and weight only with eating concerns, pregnancy not after
"male" as sex at birth): the server decides.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from contacts.forms import ContactStepForm
from screening.engine import catalogue as C

from . import forms as F


def _always(answers: dict) -> bool:
    return True


def _concern(name: str) -> Callable[[dict], bool]:
    return lambda answers: name in answers.get("concerns", ())


def _any_concern(*names: str) -> Callable[[dict], bool]:
    return lambda answers: any(name in answers.get("concerns", ()) for name in names)


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type[F.StepForm] | type[ContactStepForm]
    applies: Callable[[dict], bool] = _always
    intro: str = ""
    crisis_help: bool = False  # show how to reach help now, before the questions
    form_kwargs: Callable[[dict], dict] = field(default=lambda answers: {})
    # The form saves how to reach the person (contacts.ContactDetails) instead of answers:
    # it owns no answer field, so `answers` stays the engine's input alone.
    saves_contact_details: bool = False


STEPS: tuple[Step, ...] = (
    Step("about", _("About you"), F.AboutForm),
    Step("concerns", _("What brings you here"), F.ConcernsForm),
    # Before the safety questions (SPEC §8b): a clinician who is alerted must be able to call.
    Step("contact", _("How to reach you"), ContactStepForm, saves_contact_details=True,
         intro=_("A clinician will use these details to contact you about your care."),
         form_kwargs=lambda answers: {"age": answers.get("age")}),
    Step("safety", _("Safety"), F.SafetyForm, crisis_help=True),
    Step("mood", _("Mood"), F.Phq9Form),
    Step("anxiety", _("Anxiety"), F.Gad7Form),
    Step("alcohol", _("Alcohol"), F.AuditcForm),
    Step("drugs", _("Drugs"), F.Dast10Form),
    Step("trauma", _("Trauma"), F.TraumaForm),
    Step("eating", _("Eating"), F.EatingForm,
         form_kwargs=lambda answers: {"with_body": _concern("eating")(answers)}),
    # A bipolar screen belongs before depression treatment too (antidepressants alone can
    # set off mania): MDQ opens with low mood as well as with mood swings.
    Step("mood-swings", _("Mood swings"), F.MoodSwingsForm,
         applies=_any_concern("bipolar", "depression")),
    Step("pain", _("Pain"), F.PainForm, applies=_concern("chronic_pain")),
    Step("health", _("Withdrawal and health"), F.HealthForm,
         form_kwargs=lambda answers: {"asks_pregnancy": F.may_be_pregnant(answers)}),
    Step("home", _("Support and home"), F.HomeForm),
    Step("history", _("Past treatment and daily life"), F.HistoryForm),
    Step("availability", _("Availability"), F.AvailabilityForm),
)
BY_SLUG = {step.slug: step for step in STEPS}
# The credit each instrument's terms ask for, under the step that asks it.
ATTRIBUTION = {instrument.step: instrument.attribution
               for instrument in C.INSTRUMENTS.values()} | {"safety": C.CSSRS_ATTRIBUTION}


def attribution_for(slug: str, language: str = C.ENGLISH) -> str | None:
    """The credit under a step, in the person's language (names stay as published)."""
    return C.translated(ATTRIBUTION.get(slug), language)


# A re-screen's last step (SPEC §8b): what was carried over from the last screen, to confirm.
CONFIRM = Step("confirm", _("Confirm your other answers"), F.ConfirmCarriedForm,
               intro=_("These answers are carried over from your last screen. If one is no "
                       "longer true, change it; then confirm the rest."))
BY_SLUG_ANY = BY_SLUG | {CONFIRM.slug: CONFIRM}
# The pages after the questions, shown in the progress bar.
REVIEW, SIGN = "review", "sign"
# Which step asks a given answer field: where to send someone when the engine refuses it.
FIELD_STEP = {name: step.slug for step in STEPS for name in step.form.owns}


def steps_for(answers: dict, asks: list[str] | tuple[str, ...] = ()) -> list[Step]:
    """The steps that apply to these answers, in order: of all the intake's steps, or, for
    a re-screen, of the steps it `asks`."""
    if asks:
        return [BY_SLUG_ANY[slug] for slug in asks
                if slug in BY_SLUG_ANY and BY_SLUG_ANY[slug].applies(answers)]
    return [step for step in STEPS if step.applies(answers)]


def rescreen_asks(positive_steps: list[str]) -> list[str]:
    """The steps a re-screen asks (SPEC §8b): PHQ-9 and GAD-7, the step of each instrument
    that was positive at intake, in the intake's order; the safety questions every time;
    then the confirmation of the answers carried over."""
    wanted = {"mood", "anxiety", *positive_steps}
    return ([step.slug for step in STEPS if step.slug in wanted and step.slug != "safety"]
            + ["safety", CONFIRM.slug])


def next_step(answers: dict, done: list[str],
              asks: list[str] | tuple[str, ...] = ()) -> Step | None:
    """The first step that applies and is not yet saved; None when all are."""
    for step in steps_for(answers, asks):
        if step.slug not in done:
            return step
    return None


def step_for_field(field: str) -> str:
    """The step slug that asks an engine field path such as "cssrs.intent" or "phq9[3]"."""
    top = field.split(".")[0].split("[")[0]
    return FIELD_STEP.get(top, STEPS[0].slug)
