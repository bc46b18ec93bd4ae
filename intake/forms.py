"""One form per intake step. Each reads its part of the stored answers and writes it back in
exactly the engine's shape (SPEC §3), so what is stored is what gets screened.

Every question, its options and their order come from the clinical catalogue
(screening/engine/catalogue.py), in the wording of the questionnaire version the intake is
pinned to: a form holds no wording of its own, only how a step's questions are laid out and
which follow-up depends on which answer. A question the version did not ask is not asked.

Questions that only apply after a yes (C-SSRS Q3–Q5 and the Q6 follow-up, the PC-PTSD-5
items) are always in the page, marked with `data-show-when` for static/js/intake.js to hide
them until they apply; the form's clean() is the source of truth either way.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout
from django import forms
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _

from screening.engine import catalogue as C

from . import measures

REQUIRED = _("Please answer this question.")
CURRENT = C.CURRENT_QUESTIONNAIRE
_ITEMS = C.item_questions()


def spec(path: str) -> C.Question:
    """The catalogue's entry for an answer field or an instrument item ("phq9[0]")."""
    return C.ANSWERS.get(path) or _ITEMS[path]


def as_bool(value: str) -> bool:
    return value == "yes"


def as_yes_no(value) -> str | None:
    return None if value is None else ("yes" if value else "no")


def owned_by(step: str) -> tuple[str, ...]:
    """The top-level answer fields the catalogue puts on a step."""
    return tuple(path for path in C.TOP_LEVEL if C.ANSWERS[path].step == step)


class StepForm(forms.Form):
    """A step's form: `owns` lists the top-level answer fields it writes; `paths` maps each
    form field to the catalogue path it asks, for the display to find its wording."""

    step = ""
    owns: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.step:
            cls.owns = owned_by(cls.step)

    def __init__(self, *args, answers: dict | None = None, unfinished: dict | None = None,
                 version: str = CURRENT, **kwargs):
        if not args and "data" not in kwargs:
            # What was kept of a half-answered page wins over the step's saved answers.
            kwargs.setdefault("initial", {**self.initial_from(answers or {}),
                                          **(unfinished or {})})
        super().__init__(*args, **kwargs)
        self.version = version
        # The person reads the questions in the page's language; answers are stored as codes.
        self.language = translation.get_language() or C.ENGLISH
        self.paths: dict[str, str] = {}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.build()
        layout = self.layout()
        if layout is not None:
            self.helper.layout = layout

    def build(self) -> None:
        """Add the step's questions (self.ask)."""

    def layout(self):
        return None

    def wording(self, path: str) -> str | None:
        return C.question(path, self.version, self.language)

    def lead(self, path: str) -> HTML:
        return HTML(f'<p class="lead">{escape(self.wording(path) or "")}</p>')

    def ask(self, name: str, path: str, *, number: int | None = None, prefix: str = "",
            required: bool | None = None) -> bool:
        """Add the question at `path` as form field `name`, worded and with the options of
        this form's version. Returns False (and adds nothing) when the version did not ask it.
        """
        text = self.wording(path)
        if text is None:
            return False
        question = spec(path)
        label = f"{number}. {prefix}{text}" if number is not None else text
        if question.hint and question.kind in ("integer", "boolean", "choice") and \
                question.options and question.path.startswith("peg"):
            # the PEG's anchors belong to the question
            label = f"{label} ({C.translated(question.hint, self.language)})"
        required = question.required if required is None else required
        messages = {"required": REQUIRED}
        if question.kind == "boolean":
            field: forms.Field = forms.ChoiceField(
                choices=[("yes", self.option(path, True)), ("no", self.option(path, False))],
                widget=forms.RadioSelect)
        elif question.options and question.kind in ("choice", "integer"):
            coerce = int if question.kind == "integer" else str
            field = forms.TypedChoiceField(
                choices=[(o.value, self.option(path, o.value)) for o in question.options],
                coerce=coerce, widget=forms.RadioSelect)
        elif question.kind == "choices":
            field = forms.MultipleChoiceField(
                choices=[(o.value, self.option(path, o.value)) for o in question.options],
                widget=forms.CheckboxSelectMultiple)
        elif question.kind == "integer":
            field = forms.IntegerField(
                min_value=question.low, max_value=question.high,
                error_messages={
                    "min_value": _("Please give a number from %(low)s.") % {"low": f"{question.low:g}"},
                    "max_value": _("It can be at most %(high)s.") % {"high": f"{question.high:g}"}})
        else:
            raise ValueError(f"no form field for {path} ({question.kind})")
        field.label, field.required = label, required
        field.error_messages.update(messages)
        if question.hint and not question.path.startswith("peg"):
            field.help_text = C.translated(question.hint, self.language)
        self.fields[name] = field
        self.paths[name] = path
        return True

    def option(self, path: str, value) -> str:
        return C.option_label(path, value, self.version, self.language) or str(value)

    def asked(self, name: str) -> bool:
        return name in self.fields

    @classmethod
    def initial_from(cls, answers: dict) -> dict:
        return {}

    def answers(self) -> dict:
        """The cleaned data as answer fields (only those this step owns)."""
        raise NotImplementedError

    def valid_part(self) -> dict:
        """Of a bound form that is not valid as a whole, each field answered and valid on its
        own, as typed: what "save and finish later" keeps of a half-answered page."""
        self.is_valid()
        kept = {}
        for name in self.fields:
            if name in self.errors or name not in self.cleaned_data:
                continue
            value = self[name].data
            if value not in (None, "", []):
                kept[name] = value
        return kept


def _items(prefix: str, count: int) -> list[str]:
    return [f"{prefix}_{n}" for n in range(1, count + 1)]


def _instrument_items(form: StepForm, key: str, *, prefix: str = "") -> list[str]:
    """Ask every item of an instrument as `key_1`, `key_2`...; returns the field names."""
    names = []
    for number, item in enumerate(C.INSTRUMENTS[key].items, start=1):
        form.ask(f"{key}_{number}", item.path, number=number, prefix=prefix)
        names.append(f"{key}_{number}")
    return names


class AboutForm(StepForm):
    step = "about"

    def build(self):
        self.ask("age", "age")
        self.fields["age"].error_messages.update({
            "min_value": _("This service is for people aged 12 and over."),
            "max_value": _("Please check your age: it can be at most 120.")})
        self.ask("sex_at_birth", "sex_at_birth")

    @classmethod
    def initial_from(cls, answers):
        return {name: answers.get(name) for name in cls.owns}

    def answers(self):
        return {name: self.cleaned_data[name] for name in self.owns}


class ConcernsForm(StepForm):
    step = "concerns"

    def build(self):
        self.ask("concerns", "concerns")

    @classmethod
    def initial_from(cls, answers):
        return {"concerns": answers.get("concerns", [])}

    def answers(self):
        return {"concerns": list(self.cleaned_data["concerns"])}


# Q3-Q5 follow a yes to Q2 (thoughts); Q6's follow-up a yes to Q6. The catalogue marks the
# three asked of everyone as required.
THOUGHTS_FOLLOW_UPS = ("method", "intent", "plan")
CSSRS_ASKED_OF_ALL = tuple(name for name in C.ANSWERS["cssrs"].parts
                           if C.ANSWERS[f"cssrs.{name}"].required)
# The optional safety questions of SPEC v2 on this step, asked where the version has them.
SAFETY_YES_NO = ("self_harm_past_month", "firearm_access")


class SafetyForm(StepForm):
    step = "safety"

    def build(self):
        for name in C.ANSWERS["cssrs"].parts:
            self.ask(f"cssrs_{name}", f"cssrs.{name}",
                     required=name in CSSRS_ASKED_OF_ALL)
        self.ask("harm_to_others", "harm_to_others")
        for name in SAFETY_YES_NO:
            self.ask(name, name, required=True)

    def layout(self):
        return Layout(
            self.lead("cssrs"),
            "cssrs_wish_dead", "cssrs_suicidal_thoughts",
            # The hint reads true whether the script shows the group on a yes or, with
            # JavaScript off, every question is on the page at once.
            Div(HTML(format_html('<p class="fw-semibold">{}</p>', _(
                "If you answered yes to thoughts of killing yourself:"))),
                *[f"cssrs_{name}" for name in THOUGHTS_FOLLOW_UPS], css_class="conditional",
                data_show_when="cssrs_suicidal_thoughts=yes"),
            "cssrs_behavior_lifetime",
            Div(HTML(format_html('<p class="fw-semibold">{}</p>',
                                 _("If you answered yes to the question above:"))),
                "cssrs_behavior_past_3_months", css_class="conditional",
                data_show_when="cssrs_behavior_lifetime=yes"),
            "harm_to_others", *[name for name in SAFETY_YES_NO if self.asked(name)],
        )

    @classmethod
    def initial_from(cls, answers):
        cssrs = answers.get("cssrs", {})
        initial = {f"cssrs_{name}": as_yes_no(cssrs.get(name))
                   for name in C.ANSWERS["cssrs"].parts}
        initial["harm_to_others"] = answers.get("harm_to_others")
        for name in SAFETY_YES_NO:
            initial[name] = as_yes_no(answers.get(name))
        return initial

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cssrs_suicidal_thoughts") == "yes":
            for name in THOUGHTS_FOLLOW_UPS:
                if not cleaned.get(f"cssrs_{name}") and f"cssrs_{name}" not in self.errors:
                    self.add_error(f"cssrs_{name}", _("Please answer this question: you said "
                                                      "yes to thoughts of killing yourself."))
        if cleaned.get("cssrs_behavior_lifetime") == "yes" and not cleaned.get(
                "cssrs_behavior_past_3_months"):
            self.add_error("cssrs_behavior_past_3_months", REQUIRED)
        return cleaned

    def answers(self):
        data = self.cleaned_data
        cssrs = {name: as_bool(data[f"cssrs_{name}"]) for name in CSSRS_ASKED_OF_ALL}
        for name in THOUGHTS_FOLLOW_UPS:
            answer = data.get(f"cssrs_{name}")
            # A yes is never discarded (SPEC §3): kept even when Q2 is now no. A no only
            # counts where the question applied.
            if answer == "yes" or (answer == "no" and cssrs["suicidal_thoughts"]):
                cssrs[name] = as_bool(answer)
        recent = data.get("cssrs_behavior_past_3_months")
        if recent == "yes" or (recent == "no" and cssrs["behavior_lifetime"]):
            cssrs["behavior_past_3_months"] = as_bool(recent)
        result = {"cssrs": cssrs, "harm_to_others": data["harm_to_others"]}
        for name in SAFETY_YES_NO:
            if self.asked(name):
                result[name] = as_bool(data[name])
        return result


class InstrumentForm(StepForm):
    """A step asking one instrument's items, answered as a list (PHQ-9, GAD-7, AUDIT-C,
    DAST-10, SCOFF, PEG)."""

    key = ""
    with_lead = True

    def build(self):
        _instrument_items(self, self.key)

    def layout(self):
        lead = [self.lead(self.key)] if self.with_lead and self.wording(self.key) else []
        return Layout(*lead, *self.item_names())

    def item_names(self) -> list[str]:
        return _items(self.key, len(C.INSTRUMENTS[self.key].items))

    @classmethod
    def initial_from(cls, answers):
        values = answers.get(cls.key) or []
        convert = as_yes_no if C.INSTRUMENTS[cls.key].items[0].kind == "boolean" else None
        return {f"{cls.key}_{n}": convert(value) if convert else value
                for n, value in enumerate(values, start=1)}

    def item_answers(self) -> list:
        boolean = C.INSTRUMENTS[self.key].items[0].kind == "boolean"
        return [as_bool(self.cleaned_data[name]) if boolean else self.cleaned_data[name]
                for name in self.item_names()]

    def answers(self):
        return {self.key: self.item_answers()}


class Phq9Form(InstrumentForm):
    step, key = "mood", "phq9"


class Gad7Form(InstrumentForm):
    step, key = "anxiety", "gad7"


class AuditcForm(InstrumentForm):
    step, key = "alcohol", "auditc"


class Dast10Form(InstrumentForm):
    step, key = "drugs", "dast10"

    def build(self):
        super().build()
        self.ask("overdose_past_year", "overdose_past_year", required=True)

    def layout(self):
        layout = super().layout()
        if self.asked("overdose_past_year"):
            layout.append("overdose_past_year")
        return layout

    @classmethod
    def initial_from(cls, answers):
        initial = super().initial_from(answers)
        initial["overdose_past_year"] = as_yes_no(answers.get("overdose_past_year"))
        return initial

    def answers(self):
        result = super().answers()
        if self.asked("overdose_past_year"):
            result["overdose_past_year"] = as_bool(self.cleaned_data["overdose_past_year"])
        return result


class TraumaForm(StepForm):
    step = "trauma"

    def build(self):
        self.ask("pcptsd5_exposure", "pcptsd5.exposure")
        for number, item in enumerate(C.PCPTSD5.items, start=1):
            self.ask(f"pcptsd5_{number}", item.path, number=number, required=False)

    def layout(self):
        return Layout(
            "pcptsd5_exposure",
            Div(HTML(format_html('<p class="fw-semibold">{} {}</p>', _("If you answered yes:"),
                                 self.wording("pcptsd5.items") or "")),
                *_items("pcptsd5", 5),
                css_class="conditional", data_show_when="pcptsd5_exposure=yes"))

    @classmethod
    def initial_from(cls, answers):
        given = answers.get("pcptsd5")
        if not given:
            return {}
        initial = {"pcptsd5_exposure": as_yes_no(given["exposure"])}
        for number, value in enumerate(given.get("items") or [], start=1):
            initial[f"pcptsd5_{number}"] = as_yes_no(value)
        return initial

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pcptsd5_exposure") == "yes":
            for name in _items("pcptsd5", 5):
                if not cleaned.get(name):
                    self.add_error(name, _("Please answer this question: you said yes to such "
                                           "an event."))
        return cleaned

    def answers(self):
        data = self.cleaned_data
        if data["pcptsd5_exposure"] == "no":
            return {"pcptsd5": {"exposure": False}}
        return {"pcptsd5": {"exposure": True,
                            "items": [as_bool(data[name]) for name in _items("pcptsd5", 5)]}}


class EatingForm(InstrumentForm):
    """SCOFF for everyone; height and weight (for BMI) only with eating concerns, in the
    units the person uses (intake/measures.py reads and converts them)."""

    step, key = "eating", "scoff"

    def __init__(self, *args, with_body=False, **kwargs):
        self.with_body = with_body
        super().__init__(*args, **kwargs)

    def build(self):
        super().build()
        if self.with_body:
            self.fields["body_units"] = forms.TypedChoiceField(
                label=_("Which units do you use for your weight and height?"),
                choices=measures.UNIT_CHOICES, widget=forms.RadioSelect,
                error_messages={"required": REQUIRED})
            # The questions as the version words them; the boxes take any of the units.
            self.fields["height"] = forms.CharField(
                label=_("Your height"), max_length=40, error_messages={"required": REQUIRED},
                help_text=_("For example 5 ft 6 in, 5'6\" or 168 cm."))
            self.fields["weight"] = forms.CharField(
                label=_("Your weight"), max_length=40, error_messages={"required": REQUIRED},
                help_text=_("For example 120 lb or 54.5 kg. A number alone is taken in the "
                            "units chosen above."))
            self.paths.update(height="height_cm", weight="weight_kg")

    def layout(self):
        return None

    @classmethod
    def initial_from(cls, answers):
        initial = super().initial_from(answers)
        if answers.get("height_cm") is not None:
            # Stored in the engine's units: shown back in them, which reads the same.
            initial.update(body_units=measures.METRIC, height=f"{answers['height_cm']} cm",
                           weight=f"{answers.get('weight_kg')} kg")
        return initial

    def clean(self):
        cleaned = super().clean()
        if not self.with_body or not cleaned.get("body_units"):
            return cleaned
        units, readings = cleaned["body_units"], {}
        for name, read in (("height", measures.read_height), ("weight", measures.read_weight)):
            if cleaned.get(name):
                try:
                    readings[name] = read(cleaned[name], units)
                except measures.NotUnderstood as error:
                    self.add_error(name, str(error))
        if len(readings) == 2:
            problem = measures.implausible(readings["height"], readings["weight"])
            if problem:
                which, message = problem
                # A BMI out of bounds is on both: neither is kept by "save and finish
                # later" until they agree.
                self.add_error("weight" if which == "weight" else "height", message)
                if which == "both":
                    self.add_error("weight", _("Please check your weight and its units "
                                               "(see the message above)."))
            else:
                cleaned["height_cm"] = readings["height"].value
                cleaned["weight_kg"] = readings["weight"].value
        return cleaned

    def answers(self):
        result = super().answers()
        if self.with_body:
            # JSON has no Decimal: the rounded tenth is stored as the number it is.
            result["height_cm"] = float(self.cleaned_data["height_cm"])
            result["weight_kg"] = float(self.cleaned_data["weight_kg"])
        return result


class MoodSwingsForm(StepForm):
    step = "mood-swings"

    def build(self):
        _instrument_items(self, "mdq", prefix="...")
        self.ask("mdq_same_period", "mdq.same_period")
        self.ask("mdq_problem", "mdq.problem")

    def layout(self):
        return Layout(self.lead("mdq.items"), *_items("mdq", 13), "mdq_same_period",
                      "mdq_problem")

    @classmethod
    def initial_from(cls, answers):
        given = answers.get("mdq")
        if not given:
            return {}
        initial = {f"mdq_{n}": as_yes_no(v) for n, v in enumerate(given["items"], start=1)}
        initial.update(mdq_same_period=as_yes_no(given["same_period"]),
                       mdq_problem=given["problem"])
        return initial

    def answers(self):
        data = self.cleaned_data
        return {"mdq": {"items": [as_bool(data[name]) for name in _items("mdq", 13)],
                        "same_period": as_bool(data["mdq_same_period"]),
                        "problem": data["mdq_problem"]}}


class PainForm(InstrumentForm):
    step, key, with_lead = "pain", "peg", False

    def build(self):
        super().build()
        for name in self.item_names():
            self.fields[name].widget.attrs["class"] = "peg-scale"


# Whom the pregnancy question is for, said beside it. Everyone but "male" at birth: an
# answer added to sex at birth later is asked it too, the safe side.
PREGNANCY_FOR = _("Asked because you said your sex at birth was not male, or did not say.")
PSYCHOTIC = C.ANSWERS["psychotic_symptoms"].parts


def may_be_pregnant(answers: dict) -> bool:
    """Whether the pregnancy question applies: not after "male" as sex at birth."""
    return answers.get("sex_at_birth") != "male"


class HealthForm(StepForm):
    step = "health"

    def __init__(self, *args, asks_pregnancy=True, **kwargs):
        # Asked only of people who may be pregnant: the engine still gets `pregnant`
        # (false when it was not asked), as SPEC §3 requires both medical answers.
        self.asks_pregnancy = asks_pregnancy
        super().__init__(*args, **kwargs)

    def build(self):
        for name in C.ANSWERS["withdrawal"].parts:
            self.ask(name, f"withdrawal.{name}")
        self.ask("unstable", "medical.unstable")
        if self.asks_pregnancy:
            self.ask("pregnant", "medical.pregnant")
            self.fields["pregnant"].help_text = PREGNANCY_FOR
        for name in PSYCHOTIC:
            self.ask(name, f"psychotic_symptoms.{name}", required=True)

    @classmethod
    def initial_from(cls, answers):
        withdrawal, medical = answers.get("withdrawal", {}), answers.get("medical", {})
        psychotic = answers.get("psychotic_symptoms", {})
        return {"current_symptoms": withdrawal.get("current_symptoms"),
                "history_seizures_or_dts": as_yes_no(withdrawal.get("history_seizures_or_dts")),
                "daily_use": as_yes_no(withdrawal.get("daily_use")),
                "unstable": as_yes_no(medical.get("unstable")),
                "pregnant": as_yes_no(medical.get("pregnant")),
                **{name: as_yes_no(psychotic.get(name)) for name in PSYCHOTIC}}

    def answers(self):
        data = self.cleaned_data
        result = {"withdrawal": {"current_symptoms": data["current_symptoms"],
                                 "history_seizures_or_dts": as_bool(
                                     data["history_seizures_or_dts"]),
                                 "daily_use": as_bool(data["daily_use"])},
                  "medical": {"unstable": as_bool(data["unstable"]),
                              "pregnant": self.asks_pregnancy and as_bool(data["pregnant"])}}
        if all(self.asked(name) for name in PSYCHOTIC):
            result["psychotic_symptoms"] = {name: as_bool(data[name]) for name in PSYCHOTIC}
        return result


class HomeForm(StepForm):
    step = "home"

    def build(self):
        for name in self.owns:
            self.ask(name, name)

    @classmethod
    def initial_from(cls, answers):
        return {"support": answers.get("support"), "housing": answers.get("housing"),
                "home_safe": as_yes_no(answers.get("home_safe"))}

    def answers(self):
        data = self.cleaned_data
        return {"support": data["support"], "housing": data["housing"],
                "home_safe": as_bool(data["home_safe"])}


class HistoryForm(StepForm):
    step = "history"

    def build(self):
        for name in self.owns:
            self.ask(name, name)

    @classmethod
    def initial_from(cls, answers):
        return {"recent_inpatient": answers.get("recent_inpatient"),
                "failed_outpatient": as_yes_no(answers.get("failed_outpatient")),
                "functioning": answers.get("functioning")}

    def answers(self):
        data = self.cleaned_data
        return {"recent_inpatient": data["recent_inpatient"],
                "failed_outpatient": as_bool(data["failed_outpatient"]),
                "functioning": data["functioning"]}


class AvailabilityForm(StepForm):
    step = "availability"

    def build(self):
        for name in self.owns:
            self.ask(name, name)

    @classmethod
    def initial_from(cls, answers):
        return {"availability": answers.get("availability", []),
                "hours_available_per_week": answers.get("hours_available_per_week")}

    def answers(self):
        result = {"availability": list(self.cleaned_data["availability"])}
        if self.cleaned_data["hours_available_per_week"] is not None:
            result["hours_available_per_week"] = self.cleaned_data["hours_available_per_week"]
        return result


class ConfirmCarriedForm(StepForm):
    """The last step of a re-screen: the answers carried over from the last screen, which
    the person confirms (or changes through each section's link first). It owns no answer:
    what it confirms is already in the answers."""

    def build(self):
        self.fields["still_true"] = forms.BooleanField(
            label=_("The other answers from my last screen, shown above, are still true "
                    "(I have changed those that were not)."),
            error_messages={"required": _("Please tick to confirm, or change the answers "
                                          "that are no longer true first.")})

    def answers(self):
        return {}


class SignForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree that the clinic may use these answers to decide with me which level "
                "of care fits, and that they are true to the best of my knowledge."),
        error_messages={"required": _("Please tick to agree before you submit.")})
    signature_name = forms.CharField(
        label=_("Type your full name as your signature"), max_length=200,
        error_messages={"required": _("Please type your name to sign.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_signature_name(self):
        name = " ".join(self.cleaned_data["signature_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Please type your full name."))
        return name
