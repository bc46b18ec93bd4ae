"""One form per intake step. Each reads its part of the stored answers and writes it back in
exactly the engine's shape (SPEC §3), so what is stored is what gets screened.

Questions that only apply after a yes (C-SSRS Q3–Q5 and the Q6 follow-up, the PC-PTSD-5
items) are always in the page, marked with `data-show-when` for static/js/intake.js to hide
them until they apply; the form's clean() is the source of truth either way.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout
from django import forms

from . import measures
from . import questions as Q

REQUIRED = "Please answer this question."


def yes_no(label: str, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=Q.YES_NO, widget=forms.RadioSelect,
                             required=required, error_messages={"required": REQUIRED})


def choice(label: str, choices, required: bool = True, coerce=str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=choices, coerce=coerce,
                                  widget=forms.RadioSelect, required=required,
                                  error_messages={"required": REQUIRED})


def as_bool(value: str) -> bool:
    return value == "yes"


def as_yes_no(value) -> str | None:
    return None if value is None else ("yes" if value else "no")


class StepForm(forms.Form):
    """A step's form: `owns` lists the top-level answer fields it writes."""

    owns: tuple[str, ...] = ()
    lead = ""

    def __init__(self, *args, answers: dict | None = None, unfinished: dict | None = None,
                 **kwargs):
        if not args and "data" not in kwargs:
            # What was kept of a half-answered page wins over the step's saved answers.
            kwargs.setdefault("initial", {**self.initial_from(answers or {}),
                                          **(unfinished or {})})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        layout = self.layout()
        if layout is not None:
            self.helper.layout = layout

    def layout(self):
        return None

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


class AboutForm(StepForm):
    owns = ("age", "sex_at_birth")
    age = forms.IntegerField(label="How old are you?", min_value=12, max_value=120,
                             error_messages={"required": REQUIRED,
                                             "min_value": "This service is for people aged 12 "
                                                          "and over.",
                                             "max_value": "Please check your age: it can be at most 120."})
    sex_at_birth = choice("What sex were you assigned at birth?",
                          [("female", "Female"), ("male", "Male"), ("intersex", "Intersex"),
                           ("unknown", "I don't know or prefer not to say")])

    @classmethod
    def initial_from(cls, answers):
        return {name: answers.get(name) for name in cls.owns}

    def answers(self):
        return {name: self.cleaned_data[name] for name in self.owns}


CONCERN_CHOICES = [
    ("alcohol", "Alcohol"), ("drugs", "Drugs"), ("depression", "Depression or low mood"),
    ("anxiety", "Anxiety, panic or worry"),
    ("bipolar", "Mood swings (highs and lows, bipolar disorder)"),
    ("trauma", "Trauma or PTSD"), ("eating", "Eating or weight"),
    ("chronic_pain", "Chronic pain"), ("other", "Something else"),
]


class ConcernsForm(StepForm):
    owns = ("concerns",)
    concerns = forms.MultipleChoiceField(
        label="What brings you here? Choose all that apply.", choices=CONCERN_CHOICES,
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Leave all unticked if you are not sure.")

    @classmethod
    def initial_from(cls, answers):
        return {"concerns": answers.get("concerns", [])}

    def answers(self):
        return {"concerns": list(self.cleaned_data["concerns"])}


CSSRS_FOLLOW_UPS = ("method", "intent", "plan")


class SafetyForm(StepForm):
    owns = ("cssrs", "harm_to_others")
    lead = Q.CSSRS_LEAD

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in Q.CSSRS.items():
            required = name in ("wish_dead", "suicidal_thoughts", "behavior_lifetime")
            self.fields[f"cssrs_{name}"] = yes_no(text, required=required)
        self.fields["harm_to_others"] = choice(
            "In the past month, have you had thoughts of hurting someone else?",
            [("none", "No"), ("thoughts", "Yes, thoughts, but no intention of acting on them"),
             ("intent", "Yes, and I intend to act on them")])
        self.helper.layout = Layout(
            HTML(f"<p>{Q.CSSRS_LEAD}</p>"),
            "cssrs_wish_dead", "cssrs_suicidal_thoughts",
            # The hint reads true whether the script shows the group on a yes or, with
            # JavaScript off, every question is on the page at once.
            Div(HTML('<p class="fw-semibold">If you answered yes to thoughts of killing '
                     'yourself:</p>'),
                *[f"cssrs_{name}" for name in CSSRS_FOLLOW_UPS], css_class="conditional",
                data_show_when="cssrs_suicidal_thoughts=yes"),
            "cssrs_behavior_lifetime",
            Div(HTML('<p class="fw-semibold">If you answered yes to the question above:</p>'),
                "cssrs_behavior_past_3_months", css_class="conditional",
                data_show_when="cssrs_behavior_lifetime=yes"),
            "harm_to_others",
        )

    @classmethod
    def initial_from(cls, answers):
        cssrs = answers.get("cssrs", {})
        initial = {f"cssrs_{name}": as_yes_no(cssrs.get(name)) for name in Q.CSSRS}
        initial["harm_to_others"] = answers.get("harm_to_others")
        return initial

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cssrs_suicidal_thoughts") == "yes":
            for name in CSSRS_FOLLOW_UPS:
                if not cleaned.get(f"cssrs_{name}") and f"cssrs_{name}" not in self.errors:
                    self.add_error(f"cssrs_{name}", "Please answer this question: you said "
                                                    "yes to thoughts of killing yourself.")
        if cleaned.get("cssrs_behavior_lifetime") == "yes" and not cleaned.get(
                "cssrs_behavior_past_3_months"):
            self.add_error("cssrs_behavior_past_3_months", "Please answer this question.")
        return cleaned

    def answers(self):
        data = self.cleaned_data
        cssrs = {name: as_bool(data[f"cssrs_{name}"])
                 for name in ("wish_dead", "suicidal_thoughts", "behavior_lifetime")}
        for name in CSSRS_FOLLOW_UPS:
            answer = data.get(f"cssrs_{name}")
            # A yes is never discarded (SPEC §3): kept even when Q2 is now no. A no only
            # counts where the question applied.
            if answer == "yes" or (answer == "no" and cssrs["suicidal_thoughts"]):
                cssrs[name] = as_bool(answer)
        recent = data.get("cssrs_behavior_past_3_months")
        if recent == "yes" or (recent == "no" and cssrs["behavior_lifetime"]):
            cssrs["behavior_past_3_months"] = as_bool(recent)
        return {"cssrs": cssrs, "harm_to_others": data["harm_to_others"]}


class ScaleForm(StepForm):
    """An instrument of items scored on one scale (PHQ-9, GAD-7)."""

    key = ""
    items: list[str] = []
    scale = Q.FREQUENCY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, text in enumerate(self.items, start=1):
            self.fields[f"{self.key}_{number}"] = choice(f"{number}. {text}", self.scale,
                                                         coerce=int)
        self.helper.layout = Layout(HTML(f"<p class=\"lead\">{self.lead}</p>"),
                                    *_items(self.key, len(self.items)))

    @classmethod
    def initial_from(cls, answers):
        values = answers.get(cls.key) or []
        return {f"{cls.key}_{n}": value for n, value in enumerate(values, start=1)}

    def answers(self):
        return {self.key: [self.cleaned_data[name] for name in _items(self.key,
                                                                       len(self.items))]}


class Phq9Form(ScaleForm):
    owns = ("phq9",)
    key, items, lead = "phq9", Q.PHQ9, Q.PHQ9_LEAD


class Gad7Form(ScaleForm):
    owns = ("gad7",)
    key, items, lead = "gad7", Q.GAD7, Q.GAD7_LEAD


class AuditcForm(StepForm):
    owns = ("auditc",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (text, options) in enumerate(Q.AUDITC, start=1):
            self.fields[f"auditc_{number}"] = choice(f"{number}. {text}",
                                                     list(enumerate(options)), coerce=int)

    @classmethod
    def initial_from(cls, answers):
        return {f"auditc_{n}": v for n, v in enumerate(answers.get("auditc") or [], start=1)}

    def answers(self):
        return {"auditc": [self.cleaned_data[f"auditc_{n}"] for n in (1, 2, 3)]}


class YesNoListForm(StepForm):
    """An instrument of yes/no items (DAST-10, SCOFF)."""

    key = ""
    items: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, text in enumerate(self.items, start=1):
            self.fields[f"{self.key}_{number}"] = yes_no(f"{number}. {text}")

    @classmethod
    def initial_from(cls, answers):
        return {f"{cls.key}_{n}": as_yes_no(v)
                for n, v in enumerate(answers.get(cls.key) or [], start=1)}

    def answers(self):
        return {self.key: [as_bool(self.cleaned_data[name])
                           for name in _items(self.key, len(self.items))]}


class Dast10Form(YesNoListForm):
    owns = ("dast10",)
    key, items, lead = "dast10", Q.DAST10, Q.DAST10_LEAD

    def layout(self):
        return Layout(HTML(f"<p class=\"lead\">{Q.DAST10_LEAD}</p>"), *_items("dast10", 10))


class TraumaForm(StepForm):
    owns = ("pcptsd5",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pcptsd5_exposure"] = yes_no(Q.PCPTSD5_EXPOSURE)
        for number, text in enumerate(Q.PCPTSD5, start=1):
            self.fields[f"pcptsd5_{number}"] = yes_no(f"{number}. {text}", required=False)
        self.helper.layout = Layout(
            "pcptsd5_exposure",
            Div(HTML(f"<p class=\"fw-semibold\">If you answered yes: {Q.PCPTSD5_LEAD}</p>"),
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
                    self.add_error(name, "Please answer this question: you said yes to such "
                                         "an event.")
        return cleaned

    def answers(self):
        data = self.cleaned_data
        if data["pcptsd5_exposure"] == "no":
            return {"pcptsd5": {"exposure": False}}
        return {"pcptsd5": {"exposure": True,
                            "items": [as_bool(data[name]) for name in _items("pcptsd5", 5)]}}


class EatingForm(YesNoListForm):
    """SCOFF for everyone; height and weight (for BMI) only with eating concerns, in the
    units the person uses (intake/measures.py reads and converts them)."""

    owns = ("scoff", "height_cm", "weight_kg")
    key, items = "scoff", Q.SCOFF

    def __init__(self, *args, with_body=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_body = with_body
        if with_body:
            self.fields["body_units"] = choice("Which units do you use for your weight and "
                                               "height?", measures.UNIT_CHOICES)
            self.fields["height"] = forms.CharField(
                label="Your height", max_length=40, error_messages={"required": REQUIRED},
                help_text="For example 5 ft 6 in, 5'6\" or 168 cm.")
            self.fields["weight"] = forms.CharField(
                label="Your weight", max_length=40, error_messages={"required": REQUIRED},
                help_text="For example 120 lb or 54.5 kg. A number alone is taken in the "
                          "units chosen above.")

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
                # On both: neither is kept by "save and finish later" until they agree.
                self.add_error("height", problem)
                self.add_error("weight", "Please check your weight and its units "
                                         "(see the message above).")
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
    owns = ("mdq",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, text in enumerate(Q.MDQ, start=1):
            self.fields[f"mdq_{number}"] = yes_no(f"{number}. ...{text}")
        self.fields["mdq_same_period"] = yes_no(Q.MDQ_SAME_PERIOD)
        self.fields["mdq_problem"] = choice(Q.MDQ_PROBLEM, Q.MDQ_PROBLEM_CHOICES)
        self.helper.layout = Layout(HTML(f"<p class=\"lead\">{Q.MDQ_LEAD}</p>"),
                                    *_items("mdq", 13), "mdq_same_period", "mdq_problem")

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


class PainForm(StepForm):
    owns = ("peg",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (text, anchors) in enumerate(Q.PEG, start=1):
            self.fields[f"peg_{number}"] = choice(
                f"{number}. {text} ({anchors})", [(n, str(n)) for n in range(11)], coerce=int)
            self.fields[f"peg_{number}"].widget.attrs["class"] = "peg-scale"

    @classmethod
    def initial_from(cls, answers):
        return {f"peg_{n}": v for n, v in enumerate(answers.get("peg") or [], start=1)}

    def answers(self):
        return {"peg": [self.cleaned_data[f"peg_{n}"] for n in (1, 2, 3)]}


# Whom the pregnancy question is for (SPEC §3 sex at birth), said beside it.
MAY_BE_PREGNANT = ("female", "intersex", "unknown")
PREGNANCY_FOR = ("Asked because you said your sex at birth was female or intersex, or did not "
                 "say.")


def may_be_pregnant(answers: dict) -> bool:
    """Whether the pregnancy question applies: not after "male" as sex at birth."""
    return answers.get("sex_at_birth", "unknown") in MAY_BE_PREGNANT


class HealthForm(StepForm):
    owns = ("withdrawal", "medical")
    current_symptoms = choice(
        "Right now, do you have withdrawal symptoms after cutting down or stopping alcohol "
        "or drugs (for example shaking, sweating, nausea, feeling very anxious, seeing or "
        "hearing things)?",
        [("none", "No"), ("mild", "Yes, mild"), ("moderate", "Yes, moderate"),
         ("severe", "Yes, severe")])
    history_seizures_or_dts = yes_no("Have you ever had a seizure (fit) or delirium tremens "
                                     "(the DTs) when stopping alcohol or drugs?")
    daily_use = yes_no("Do you drink heavily, or take benzodiazepines or opioids, every day?")
    unstable = yes_no("Do you have a medical condition that needs 24-hour medical care "
                      "right now?")
    pregnant = yes_no("Are you pregnant?", required=False)

    def __init__(self, *args, asks_pregnancy=True, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked only of people who may be pregnant: the engine still gets `pregnant`
        # (false when it was not asked), as SPEC §3 requires both medical answers.
        self.asks_pregnancy = asks_pregnancy
        if asks_pregnancy:
            self.fields["pregnant"].required = True
            self.fields["pregnant"].help_text = PREGNANCY_FOR
        else:
            del self.fields["pregnant"]

    @classmethod
    def initial_from(cls, answers):
        withdrawal, medical = answers.get("withdrawal", {}), answers.get("medical", {})
        return {"current_symptoms": withdrawal.get("current_symptoms"),
                "history_seizures_or_dts": as_yes_no(withdrawal.get("history_seizures_or_dts")),
                "daily_use": as_yes_no(withdrawal.get("daily_use")),
                "unstable": as_yes_no(medical.get("unstable")),
                "pregnant": as_yes_no(medical.get("pregnant"))}

    def answers(self):
        data = self.cleaned_data
        return {"withdrawal": {"current_symptoms": data["current_symptoms"],
                               "history_seizures_or_dts": as_bool(
                                   data["history_seizures_or_dts"]),
                               "daily_use": as_bool(data["daily_use"])},
                "medical": {"unstable": as_bool(data["unstable"]),
                            "pregnant": self.asks_pregnancy and as_bool(data["pregnant"])}}


class HomeForm(StepForm):
    owns = ("support", "housing", "home_safe")
    support = choice("How much support do you have from family or friends?",
                     [("strong", "Strong: people I can rely on"),
                      ("adequate", "Enough"), ("limited", "A little"), ("none", "None")])
    housing = choice("Where are you living?",
                     [("stable", "A stable home"),
                      ("unstable", "Somewhere I may not be able to stay"),
                      ("homeless", "I have no home")])
    home_safe = yes_no("Is your home safe for you? (no violence or abuse, and no one there "
                       "is actively using drugs or drinking heavily)")

    @classmethod
    def initial_from(cls, answers):
        return {"support": answers.get("support"), "housing": answers.get("housing"),
                "home_safe": as_yes_no(answers.get("home_safe"))}

    def answers(self):
        data = self.cleaned_data
        return {"support": data["support"], "housing": data["housing"],
                "home_safe": as_bool(data["home_safe"])}


class HistoryForm(StepForm):
    owns = ("recent_inpatient", "failed_outpatient", "functioning")
    recent_inpatient = choice(
        "Have you left a hospital, residential program or detox recently?",
        [("none", "No"), ("past_year", "Yes, in the past year"),
         ("past_30_days", "Yes, in the past 30 days")])
    failed_outpatient = yes_no("In the past year, have you had outpatient therapy or "
                               "counselling that did not help enough?")
    functioning = choice("How are you managing work, school, family and looking after "
                         "yourself?",
                         [("independent", "I am managing"),
                          ("some_difficulty", "I am struggling with some of it"),
                          ("unable", "I am not able to manage")])

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
    owns = ("availability", "hours_available_per_week")
    availability = forms.MultipleChoiceField(
        label="When could you come to a program? Choose all that apply.",
        choices=[("weekday_morning", "Weekday mornings"),
                 ("weekday_afternoon", "Weekday afternoons"),
                 ("weekday_evening", "Weekday evenings"), ("weekend", "Weekends")],
        widget=forms.CheckboxSelectMultiple, required=False)
    hours_available_per_week = forms.IntegerField(
        label="About how many hours a week could you give to treatment?", min_value=0,
        max_value=40, required=False, help_text="An intensive program is 9 to 20 hours a week.")

    @classmethod
    def initial_from(cls, answers):
        return {"availability": answers.get("availability", []),
                "hours_available_per_week": answers.get("hours_available_per_week")}

    def answers(self):
        result = {"availability": list(self.cleaned_data["availability"])}
        if self.cleaned_data["hours_available_per_week"] is not None:
            result["hours_available_per_week"] = self.cleaned_data["hours_available_per_week"]
        return result


class SignForm(forms.Form):
    consent = forms.BooleanField(
        label="I agree that the clinic may use these answers to decide with me which level "
              "of care fits, and that they are true to the best of my knowledge.",
        error_messages={"required": "Please tick to agree before you submit."})
    signature_name = forms.CharField(
        label="Type your full name as your signature", max_length=200,
        error_messages={"required": "Please type your name to sign."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_signature_name(self):
        name = " ".join(self.cleaned_data["signature_name"].split())
        if len(name) < 2:
            raise forms.ValidationError("Please type your full name.")
        return name

