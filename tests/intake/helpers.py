"""Filling the intake through its pages, as a patient's browser would post it."""

from django.urls import reverse

from intake.steps import BY_SLUG, steps_for

NO_MOOD_SWINGS = {"items": [False] * 13, "same_period": False, "problem": "none"}
# The questions the web intake asks since q-2 that older answers lack: a page posts "no".
ASKED_SINCE_Q2 = {"firearm_access": False, "self_harm_past_month": False,
                  "psychotic_symptoms": {"hallucinations": False, "paranoia": False},
                  "overdose_past_year": False}
# What a person types on the "How to reach you" step (kept beside the answers).
CONTACT_POST = {"phone": "(202) 555-0143", "phone_kind": "mobile", "may_call": "yes",
                "may_text": "yes", "may_leave_voicemail": "no", "best_times": ["evening"],
                "preferred_language": "English", "interpreter_needed": "no"}
# A parent or guardian, asked when the person is under 18.
GUARDIAN_POST = {"guardian_name": "Gale Guardian", "guardian_phone": "202-555-0177"}


def step_data(slug: str, answers: dict) -> dict:
    """The POST data of one step's form for these answers (what the page would send)."""
    step = BY_SLUG[slug]
    if step.saves_contact_details:
        minor = answers.get("age", 99) < 18
        return {**CONTACT_POST, **(GUARDIAN_POST if minor else {})}
    data = {}
    for name, value in step.form.initial_from({**ASKED_SINCE_Q2, **answers}).items():
        if value is None or value == []:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def fill_steps(client, intake_id: int, answers: dict, upto: str | None = None) -> None:
    """Post every step that applies to `answers`, in order (stopping after `upto`).

    The web intake asks everyone about trauma and eating, and mood swings with low mood too:
    answers without those get "no".
    """
    answers = {"pcptsd5": {"exposure": False}, "scoff": [False] * 5, **answers}
    if "depression" in answers.get("concerns", ()):
        answers.setdefault("mdq", NO_MOOD_SWINGS)
    for step in steps_for(answers):
        response = client.post(reverse("intake:step", args=[intake_id, step.slug]),
                               step_data(step.slug, answers))
        assert response.status_code == 302, (step.slug, response.content.decode()[:3000])
        if step.slug == upto:
            return


def sign(client, intake_id: int, name: str = "Pat Patient"):
    return client.post(reverse("intake:submit", args=[intake_id]),
                       {"consent": "on", "signature_name": name})
