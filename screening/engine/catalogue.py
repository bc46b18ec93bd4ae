"""The one clinical vocabulary: every answer of SPEC §3 and every instrument of SPEC §4.

For each answer field: its path in the answers ("withdrawal.daily_use"), its values from
least to most worrying, the question as the person reads it, the label staff read and the
intake step that asks it. For each instrument: its items with their options and points, its
score range, the band edges of SPEC §4, its time frame and its LOINC codes where they exist.
Validation (answers.py), score ranges (criteria.py), the facts, the publish checks and the
bench's generated cases, the `screen` command and the criteria editor read this module, so
adding a choice to an answer is a change here (and to this module's tests) only. Its
wording and labels are copied from intake/questions.py, intake/forms.py and
review/display.py, which are to read them from here instead.

Wording is versioned (SPEC §8b "Questionnaire versions"): an intake pins the version it was
answered on and staff read each answer under the question as it was asked. A question's
`text` is its wording in the version that first asked it (`since`); a later version lists
only what it rewords (REWORDED), so no wording is written twice. `question()` and
`option_label()` give the wording of one version.

Pure data, standard library only: no Django, no I/O.
"""

from dataclasses import dataclass, field

from . import wording_es

QUESTIONNAIRE_VERSIONS = ("q-1", "q-2")  # oldest first
CURRENT_QUESTIONNAIRE = QUESTIONNAIRE_VERSIONS[-1]


@dataclass(frozen=True, slots=True)
class Option:
    """One answer a person can give: the value stored in the answers, what the person
    reads, what staff read, and the points it scores on an instrument item."""

    value: object
    label: str
    staff: str
    points: int | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """One answer field (or one instrument item) of SPEC §3.

    kind: "boolean", "choice" (one of the options), "choices" (a list of them), "integer",
    "number", "object" (holds `parts`), or "items" (an instrument's list of item answers).
    options run from least to most worrying where `ordered` (a choice with no such order,
    such as sex at birth, keeps SPEC's order).
    """

    path: str
    kind: str
    step: str
    staff: str
    text: str = ""
    options: tuple[Option, ...] = ()
    required: bool = True
    low: float | None = None
    high: float | None = None
    ordered: bool = True
    parts: tuple[str, ...] = ()
    instrument: str = ""
    hint: str = ""
    since: str = QUESTIONNAIRE_VERSIONS[0]

    @property
    def values(self) -> tuple:
        """The values this answer may take, least to most worrying where ordered."""
        return tuple(option.value for option in self.options)


@dataclass(frozen=True, slots=True)
class Instrument:
    """A screening instrument: where its answers live, its items and how it is read."""

    key: str
    name: str
    topic: str
    path: str  # where the item answers are: "phq9", "pcptsd5.items"
    step: str
    time_frame: str
    lead: str
    items: tuple[Question, ...]
    score_range: tuple[float, float]
    bands: dict = field(default_factory=dict)  # SPEC §4, in the criteria's own format
    loinc_panel: str | None = None
    loinc_total: str | None = None
    attribution: str = ""
    scoring: str = ""

    @property
    def highest_item_points(self) -> int:
        return max(option.points or 0 for item in self.items for option in item.options)


def _yes_no(yes_worse: bool = True) -> tuple[Option, ...]:
    no, yes = Option(False, "No", "No"), Option(True, "Yes", "Yes")
    return (no, yes) if yes_worse else (yes, no)


def _choice(*options: tuple) -> tuple[Option, ...]:
    """(value, what the person reads, what staff read) triples, least worrying first."""
    return tuple(Option(value, label, staff) for value, label, staff in options)


def _boolean(path, step, staff, text, required=True, since=QUESTIONNAIRE_VERSIONS[0],
             yes_worse=True):
    return Question(path, "boolean", step, staff, text, _yes_no(yes_worse), required,
                    since=since)


# --- instruments ---------------------------------------------------------------------------
# LOINC codes were checked against public FHIR material (HL7 US Core's PHQ-9 panel example,
# published FHIR Questionnaires and Observations using the codes with their LOINC display
# names). Where none could be found, the code is None rather than a guess.

FREQUENCY = (("Not at all", 0), ("Several days", 1), ("More than half the days", 2),
             ("Nearly every day", 3))
PFIZER = ("developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
          "colleagues, with an educational grant from Pfizer Inc. No permission required to "
          "reproduce, translate, display or distribute.")


def _scored_items(key: str, step: str, texts_and_staff, options) -> tuple[Question, ...]:
    scale = tuple(Option(points, label, label, points) for label, points in options)
    return tuple(Question(f"{key}[{index}]", "integer", step, staff, text, scale,
                          low=0, high=scale[-1].points)
                 for index, (text, staff) in enumerate(texts_and_staff))


def _yes_no_items(path: str, step: str, texts_and_staff, reversed_at=()) -> tuple[Question, ...]:
    items = []
    for index, (text, staff) in enumerate(texts_and_staff):
        yes_points = 0 if index in reversed_at else 1
        options = (Option(False, "No", "No", 1 - yes_points),
                   Option(True, "Yes", "Yes", yes_points))
        if index in reversed_at:  # "no" is the worrying answer here
            options = options[::-1]
        items.append(Question(f"{path}[{index}]", "boolean", step, staff, text, options))
    return tuple(items)


PHQ9 = Instrument(
    key="phq9", name="PHQ-9", topic="depression", path="phq9", step="mood",
    time_frame="the last 2 weeks",
    lead="Over the last 2 weeks, how often have you been bothered by any of the following "
         "problems?",
    items=_scored_items("phq9", "mood", (
        ("Little interest or pleasure in doing things", "Little interest or pleasure"),
        ("Feeling down, depressed, or hopeless", "Feeling down, depressed, hopeless"),
        ("Trouble falling or staying asleep, or sleeping too much", "Sleep trouble"),
        ("Feeling tired or having little energy", "Tired, little energy"),
        ("Poor appetite or overeating", "Poor appetite or overeating"),
        ("Feeling bad about yourself, or that you are a failure or have let yourself or "
         "your family down", "Feeling bad about yourself"),
        ("Trouble concentrating on things, such as reading the newspaper or watching "
         "television", "Trouble concentrating"),
        ("Moving or speaking so slowly that other people could have noticed? Or the "
         "opposite: being so fidgety or restless that you have been moving around a lot "
         "more than usual", "Slowed down or restless"),
        ("Thoughts that you would be better off dead or of hurting yourself in some way",
         "Better off dead or self-harm thoughts"),
    ), FREQUENCY),
    score_range=(0, 27),
    bands={"mild": 5, "moderate": 10, "moderately_severe": 15, "severe": 20},
    loinc_panel="44249-1", loinc_total="44261-6",
    attribution=f"PHQ-9: {PFIZER}", scoring="sum of the 9 items",
)

GAD7 = Instrument(
    key="gad7", name="GAD-7", topic="anxiety", path="gad7", step="anxiety",
    time_frame="the last 2 weeks",
    lead="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=_scored_items("gad7", "anxiety", (
        ("Feeling nervous, anxious or on edge", "Nervous, anxious, on edge"),
        ("Not being able to stop or control worrying", "Cannot stop worrying"),
        ("Worrying too much about different things", "Worrying too much"),
        ("Trouble relaxing", "Trouble relaxing"),
        ("Being so restless that it is hard to sit still", "Restless"),
        ("Becoming easily annoyed or irritable", "Easily annoyed"),
        ("Feeling afraid as if something awful might happen", "Afraid something awful"),
    ), FREQUENCY),
    score_range=(0, 21),
    bands={"mild": 5, "moderate": 10, "severe": 15},
    loinc_panel="69737-5", loinc_total="70274-6",
    attribution=f"GAD-7: {PFIZER}", scoring="sum of the 7 items",
)


def _auditc_items() -> tuple[Question, ...]:
    items = (
        ("How often do you have a drink containing alcohol?", "How often a drink",
         ("Never", "Monthly or less", "2 to 4 times a month", "2 to 3 times a week",
          "4 or more times a week")),
        ("How many standard drinks containing alcohol do you have on a typical day when you "
         "are drinking?", "Drinks on a typical day",
         ("1 or 2 (or I don't drink)", "3 or 4", "5 or 6", "7 to 9", "10 or more")),
        ("How often do you have six or more drinks on one occasion?",
         "Six or more on one occasion",
         ("Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily")),
    )
    return tuple(
        Question(f"auditc[{index}]", "integer", "alcohol", staff, text,
                 tuple(Option(points, label, label, points)
                       for points, label in enumerate(labels)), low=0, high=4)
        for index, (text, staff, labels) in enumerate(items))


_AUDITC_NOT_MALE = {"mild": 3, "moderate": 5, "severe": 8}
AUDITC = Instrument(
    key="auditc", name="AUDIT-C", topic="alcohol", path="auditc", step="alcohol",
    time_frame="the past year",
    lead="These questions are about your drinking in the past year. A standard drink is a "
         "can of beer, a glass of wine or a shot of spirits.",
    items=_auditc_items(),
    score_range=(0, 12),
    bands={"female": _AUDITC_NOT_MALE, "male": {"mild": 4, "moderate": 6, "severe": 8},
           "intersex": _AUDITC_NOT_MALE, "unknown": _AUDITC_NOT_MALE},
    loinc_panel="72109-2", loinc_total="75626-2",
    attribution="AUDIT-C: the first three questions of the Alcohol Use Disorders "
                "Identification Test (AUDIT), World Health Organization; Bush et al., 1998.",
    scoring="sum of the 3 items; bands by sex at birth",
)

DAST10_USES_DRUGS, DAST10_ABLE_TO_STOP = 0, 2  # item 1 and item 3 (from 0)
DAST10 = Instrument(
    key="dast10", name="DAST-10", topic="drugs", path="dast10", step="drugs",
    time_frame="the past 12 months",
    lead="These questions are about drug use in the past 12 months, not counting alcohol or "
         "tobacco, or medicines taken as prescribed.",
    items=_yes_no_items("dast10", "drugs", (
        ("Have you used drugs other than those required for medical reasons?",
         "Used drugs (non-medical)"),
        ("Do you abuse more than one drug at a time?", "More than one drug at a time"),
        ("Are you always able to stop using drugs when you want to?",
         "Always able to stop (no scores 1 when item 1 is yes)"),
        ("Have you had \"blackouts\" or \"flashbacks\" as a result of drug use?",
         "Blackouts or flashbacks"),
        ("Do you ever feel bad or guilty about your drug use?", "Feel bad or guilty"),
        ("Does your spouse (or parents) ever complain about your involvement with drugs?",
         "Family complains"),
        ("Have you neglected your family because of your use of drugs?", "Neglected family"),
        ("Have you engaged in illegal activities in order to obtain drugs?",
         "Illegal activities to obtain"),
        ("Have you ever experienced withdrawal symptoms (felt sick) when you stopped taking "
         "drugs?", "Withdrawal symptoms"),
        ("Have you had medical problems as a result of your drug use (for example memory "
         "loss, hepatitis, convulsions, bleeding)?", "Medical problems from use"),
    ), reversed_at=(DAST10_ABLE_TO_STOP,)),
    score_range=(0, 10),
    bands={"mild": 1, "moderate": 3, "moderately_severe": 6, "severe": 9},
    # 82666-9 "Drug Abuse Screening Test-10 [DAST-10]" and 82667-7 "Total score [DAST-10]"
    # as public FHIR data uses them; 82758-9 (once suggested) was found nowhere for DAST-10.
    loinc_panel="82666-9", loinc_total="82667-7",
    attribution="DAST-10: © 1982 Harvey A. Skinner, PhD, and the Centre for Addiction and "
                "Mental Health, Toronto, Canada. Reproduced for non-commercial clinical use "
                "with credit to the author, Dr. Harvey A. Skinner.",
    scoring="yes = 1; item 3 scores 1 for no, and only when item 1 is yes",
)

PCPTSD5 = Instrument(
    key="pcptsd5", name="PC-PTSD-5", topic="trauma", path="pcptsd5.items", step="trauma",
    time_frame="the past month",
    lead="In the past month, have you...",
    items=_yes_no_items("pcptsd5.items", "trauma", (
        ("had nightmares about the event(s) or thought about the event(s) when you did not "
         "want to?", "Nightmares or unwanted thoughts"),
        ("tried hard not to think about the event(s) or went out of your way to avoid "
         "situations that reminded you of the event(s)?", "Avoidance"),
        ("been constantly on guard, watchful, or easily startled?", "On guard, easily startled"),
        ("felt numb or detached from people, activities, or your surroundings?",
         "Numb or detached"),
        ("felt guilty or unable to stop blaming yourself or others for the event(s) or any "
         "problems the event(s) may have caused?", "Guilt or blame"),
    )),
    score_range=(0, 5),
    bands={"moderate": 3, "moderately_severe": 4},
    loinc_panel=None, loinc_total=None,  # no code found in public FHIR material
    attribution="PC-PTSD-5: Prins, Bovin, Kimerling et al., 2016; National Center for PTSD, "
                "US Department of Veterans Affairs.",
    scoring="count of yes when exposed, else 0",
)

SCOFF = Instrument(
    key="scoff", name="SCOFF", topic="eating", path="scoff", step="eating",
    time_frame="now (no fixed time frame)", lead="",
    items=_yes_no_items("scoff", "eating", (
        ("Do you make yourself Sick because you feel uncomfortably full?",
         "Make yourself sick"),
        ("Do you worry you have lost Control over how much you eat?",
         "Lost control over eating"),
        ("Have you recently lost more than One stone (14 lb, about 6 kg) in a 3-month "
         "period?", "Lost over 6 kg in 3 months"),
        ("Do you believe yourself to be Fat when others say you are too thin?",
         "Believe yourself fat when others say thin"),
        ("Would you say that Food dominates your life?", "Food dominates your life"),
    )),
    score_range=(0, 5),
    bands={"moderate": 2, "moderately_severe": 4,
           "with_low_weight": {"severe": 2, "bmi_below": 17.5}},
    loinc_panel=None, loinc_total=None,  # no code found in public FHIR material
    attribution="SCOFF questionnaire: Morgan, Reid and Lacey, BMJ 1999.",
    scoring="count of yes; severe when 2 or more with a BMI below 17.5",
)

MDQ = Instrument(
    key="mdq", name="MDQ", topic="bipolar", path="mdq.items", step="mood-swings",
    time_frame="lifetime (has there ever been a period)",
    lead="Has there ever been a period of time when you were not your usual self and...",
    items=_yes_no_items("mdq.items", "mood-swings", (
        ("you felt so good or so hyper that other people thought you were not your normal "
         "self, or you were so hyper that you got into trouble?", "So good or hyper"),
        ("you were so irritable that you shouted at people or started fights or arguments?",
         "Irritable, shouted or fought"),
        ("you felt much more self-confident than usual?", "More self-confident"),
        ("you got much less sleep than usual and found you didn't really miss it?",
         "Less sleep, not missed"),
        ("you were much more talkative or spoke much faster than usual?", "More talkative"),
        ("thoughts raced through your head or you couldn't slow your mind down?",
         "Racing thoughts"),
        ("you were so easily distracted by things around you that you had trouble "
         "concentrating or staying on track?", "Easily distracted"),
        ("you had much more energy than usual?", "More energy"),
        ("you were much more active or did many more things than usual?", "More active"),
        ("you were much more social or outgoing than usual, for example, you telephoned "
         "friends in the middle of the night?", "More social or outgoing"),
        ("you were much more interested in sex than usual?", "More interested in sex"),
        ("you did things that were unusual for you or that other people might have thought "
         "were excessive, foolish, or risky?", "Unusual, excessive or risky things"),
        ("spending money got you or your family into trouble?", "Spending caused trouble"),
    )),
    score_range=(0, 13),
    bands={"moderate": 7},
    loinc_panel=None, loinc_total=None,  # no code found in public FHIR material
    attribution="Mood Disorder Questionnaire (MDQ): Hirschfeld et al., American Journal of "
                "Psychiatry 2000; © 2000 The University of Texas Medical Branch.",
    scoring="count of yes items; moderate when 7 or more, several at the same time and a "
            "moderate or serious problem",
)

_PEG_SCALE = tuple(Option(n, str(n), str(n), n) for n in range(11))
PEG = Instrument(
    key="peg", name="PEG", topic="chronic pain", path="peg", step="pain",
    time_frame="the past week", lead="",
    items=tuple(
        Question(f"peg[{index}]", "integer", "pain", staff, text, _PEG_SCALE, low=0, high=10,
                 hint=hint)
        for index, (text, hint, staff) in enumerate((
            ("What number best describes your pain on average in the past week?",
             "0 = no pain, 10 = pain as bad as you can imagine", "Average pain (0-10)"),
            ("What number best describes how, during the past week, pain has interfered "
             "with your enjoyment of life?", "0 = does not interfere, 10 = completely "
             "interferes", "Pain interfered with enjoyment"),
            ("What number best describes how, during the past week, pain has interfered "
             "with your general activity?", "0 = does not interfere, 10 = completely "
             "interferes", "Pain interfered with general activity"),
        ))),
    score_range=(0, 10),
    bands={"mild": 4.0, "moderate": 7.0},
    # 91148-7 is the PEG panel in LOINC's own FHIR Questionnaire (loinc.org/q/91148-7); a
    # code for the mean score was seen in one place only, so it is left out.
    loinc_panel="91148-7", loinc_total=None,
    attribution="PEG: Krebs et al., Journal of General Internal Medicine 2009.",
    scoring="mean of the 3 items, one decimal",
)

INSTRUMENTS: dict[str, Instrument] = {
    instrument.key: instrument
    for instrument in (PHQ9, GAD7, AUDITC, DAST10, PCPTSD5, SCOFF, MDQ, PEG)}

# --- the answers ---------------------------------------------------------------------------

CSSRS_LEAD = "These questions are about the past month, unless they say otherwise."
CSSRS_ATTRIBUTION = ("Questions from the Columbia-Suicide Severity Rating Scale (C-SSRS) "
                     "screener, Posner et al., the Columbia Lighthouse Project; © The Research "
                     "Foundation for Mental Hygiene, Inc.")


def _items(path, instrument, staff, required=True):
    return Question(path, "items", INSTRUMENTS[instrument].step, staff, required=required,
                    instrument=instrument)


_ANSWERS: tuple[Question, ...] = (
    Question("age", "integer", "about", "Age", "How old are you?", low=12, high=120),
    Question("sex_at_birth", "choice", "about", "Sex at birth",
             "What sex were you assigned at birth?", _choice(
                 ("female", "Female", "Female"), ("male", "Male", "Male"),
                 ("intersex", "Intersex", "Intersex"),
                 ("unknown", "I don't know or prefer not to say", "Unknown")),
             ordered=False),
    Question("concerns", "choices", "concerns", "Concerns",
             "What brings you here? Choose all that apply.", _choice(
                 ("alcohol", "Alcohol", "Alcohol"), ("drugs", "Drugs", "Drugs"),
                 ("depression", "Depression or low mood", "Depression"),
                 ("anxiety", "Anxiety, panic or worry", "Anxiety"),
                 ("bipolar", "Mood swings (highs and lows, bipolar disorder)", "Bipolar"),
                 ("trauma", "Trauma or PTSD", "Trauma"), ("eating", "Eating or weight", "Eating"),
                 ("chronic_pain", "Chronic pain", "Chronic pain"),
                 ("other", "Something else", "Other")),
             required=False, ordered=False, hint="Leave all unticked if you are not sure."),
    Question("cssrs", "object", "safety", "Safety (C-SSRS screener, past month)", CSSRS_LEAD,
             parts=("wish_dead", "suicidal_thoughts", "method", "intent", "plan",
                    "behavior_lifetime", "behavior_past_3_months")),
    _boolean("cssrs.wish_dead", "safety", "Q1 Wished to be dead",
             "Have you wished you were dead or wished you could go to sleep and not wake up?"),
    _boolean("cssrs.suicidal_thoughts", "safety", "Q2 Suicidal thoughts",
             "Have you actually had any thoughts of killing yourself?"),
    # Q3-Q5 are asked only after a yes to Q2, the Q6 follow-up only after a yes to Q6:
    # absent means no (SPEC §3).
    _boolean("cssrs.method", "safety", "Q3 Thought about how (method)",
             "Have you been thinking about how you might do this?", required=False),
    _boolean("cssrs.intent", "safety", "Q4 Some intention of acting",
             "Have you had these thoughts and had some intention of acting on them?",
             required=False),
    _boolean("cssrs.plan", "safety", "Q5 Worked out a plan, intends to carry it out",
             "Have you started to work out or worked out the details of how to kill "
             "yourself? Do you intend to carry out this plan?", required=False),
    _boolean("cssrs.behavior_lifetime", "safety",
             "Q6 Ever did, started or prepared something to end life",
             "Have you ever done anything, started to do anything, or prepared to do "
             "anything to end your life? (at any time in your life)"),
    _boolean("cssrs.behavior_past_3_months", "safety", "Q6 follow-up: in the past 3 months",
             "Was this within the past 3 months?", required=False),
    Question("harm_to_others", "choice", "safety", "Thoughts of harming others",
             "In the past month, have you had thoughts of hurting someone else?", _choice(
                 ("none", "No", "None"),
                 ("thoughts", "Yes, thoughts, but no intention of acting on them", "Thoughts"),
                 ("intent", "Yes, and I intend to act on them", "Intent"))),
    _items("phq9", "phq9", "Mood (PHQ-9, past 2 weeks)"),
    _items("gad7", "gad7", "Anxiety (GAD-7, past 2 weeks)"),
    _items("auditc", "auditc", "Alcohol (AUDIT-C, past year)"),
    _items("dast10", "dast10", "Drugs (DAST-10, past 12 months)"),
    Question("pcptsd5", "object", "trauma", "Trauma (PC-PTSD-5)", required=False,
             parts=("exposure", "items")),
    _boolean("pcptsd5.exposure", "trauma", "Exposure to a traumatic event",
             "Sometimes things happen to people that are unusually or especially "
             "frightening, horrible, or traumatic. For example: a serious accident or fire; a "
             "physical or sexual assault or abuse; an earthquake or flood; a war; seeing "
             "someone be killed or seriously injured; having a loved one die through homicide "
             "or suicide. Have you ever experienced this kind of event?"),
    # Required when exposure is yes; may be absent when no.
    _items("pcptsd5.items", "pcptsd5", "PC-PTSD-5 items", required=False),
    _items("scoff", "scoff", "Eating (SCOFF)", required=False),
    Question("height_cm", "number", "eating", "Height (cm)", "Your height in centimetres",
             required=False, low=100, high=250),
    Question("weight_kg", "number", "eating", "Weight (kg)", "Your weight in kilograms",
             required=False, low=20, high=350),
    Question("mdq", "object", "mood-swings", "Mood swings (MDQ)", required=False,
             parts=("items", "same_period", "problem")),
    _items("mdq.items", "mdq", "MDQ items"),
    _boolean("mdq.same_period", "mood-swings", "Several at the same time",
             "If you answered yes to more than one of these, have several of these ever "
             "happened during the same period of time?"),
    Question("mdq.problem", "choice", "mood-swings", "How much of a problem",
             "How much of a problem did any of these cause you, like being unable to work; "
             "having family, money or legal troubles; getting into arguments or fights?",
             _choice(("none", "No problem", "None"), ("minor", "Minor problem", "Minor"),
                     ("moderate", "Moderate problem", "Moderate"),
                     ("serious", "Serious problem", "Serious"))),
    _items("peg", "peg", "Pain (PEG, past week)", required=False),
    Question("withdrawal", "object", "health", "Withdrawal",
             parts=("current_symptoms", "history_seizures_or_dts", "daily_use")),
    Question("withdrawal.current_symptoms", "choice", "health", "Current withdrawal symptoms",
             "Right now, do you have withdrawal symptoms after cutting down or stopping "
             "alcohol or drugs (for example shaking, sweating, nausea, feeling very anxious, "
             "seeing or hearing things)?", _choice(
                 ("none", "No", "None"), ("mild", "Yes, mild", "Mild"),
                 ("moderate", "Yes, moderate", "Moderate"), ("severe", "Yes, severe", "Severe"))),
    _boolean("withdrawal.history_seizures_or_dts", "health", "History of seizures or DTs",
             "Have you ever had a seizure (fit) or delirium tremens (the DTs) when stopping "
             "alcohol or drugs?"),
    _boolean("withdrawal.daily_use", "health",
             "Daily heavy use (alcohol, benzodiazepines, opioids; not as prescribed)",
             "Do you drink heavily, or take benzodiazepines or opioids, every day?"),
    Question("medical", "object", "health", "Medical", parts=("unstable", "pregnant")),
    _boolean("medical.unstable", "health", "Unstable condition needing 24-hour care",
             "Do you have a medical condition that needs 24-hour medical care right now?"),
    # Not a symptom or risk item: the publish checks do not take a yes as the worse answer.
    Question("medical.pregnant", "boolean", "health", "Pregnant", "Are you pregnant?",
             _yes_no(), ordered=False),
    Question("support", "choice", "home", "Support",
             "How much support do you have from family or friends?", _choice(
                 ("strong", "Strong: people I can rely on", "Strong"),
                 ("adequate", "Enough", "Adequate"), ("limited", "A little", "Limited"),
                 ("none", "None", "None"))),
    Question("housing", "choice", "home", "Housing", "Where are you living?", _choice(
        ("stable", "A stable home", "Stable"),
        ("unstable", "Somewhere I may not be able to stay", "Unstable"),
        ("homeless", "I have no home", "Homeless"))),
    _boolean("home_safe", "home", "Home is safe",
             "Is your home safe for you? (no violence or abuse, and no one there is actively "
             "using drugs or drinking heavily)", yes_worse=False),
    Question("recent_inpatient", "choice", "history", "Recent inpatient, residential or detox",
             "Have you left a hospital, residential program or detox recently?", _choice(
                 ("none", "No", "None"), ("past_year", "Yes, in the past year", "In the past year"),
                 ("past_30_days", "Yes, in the past 30 days", "In the past 30 days"))),
    _boolean("failed_outpatient", "history",
             "Outpatient care in the past year without enough improvement",
             "In the past year, have you had outpatient therapy or counselling that did not "
             "help enough?"),
    Question("functioning", "choice", "history", "Managing work, school, family, self-care",
             "How are you managing work, school, family and looking after yourself?", _choice(
                 ("independent", "I am managing", "Independent"),
                 ("some_difficulty", "I am struggling with some of it", "Some difficulty"),
                 ("unable", "I am not able to manage", "Unable"))),
    Question("availability", "choices", "availability", "When",
             "When could you come to a program? Choose all that apply.", _choice(
                 ("weekday_morning", "Weekday mornings", "Weekday mornings"),
                 ("weekday_afternoon", "Weekday afternoons", "Weekday afternoons"),
                 ("weekday_evening", "Weekday evenings", "Weekday evenings"),
                 ("weekend", "Weekends", "Weekends")), required=False, ordered=False),
    Question("hours_available_per_week", "integer", "availability", "Hours a week",
             "About how many hours a week could you give to treatment?", required=False,
             low=0, high=40, hint="An intensive program is 9 to 20 hours a week."),
    # SPEC v2: four optional safety questions, first asked in q-2.
    _boolean("firearm_access", "safety", "Firearm at home or within easy reach",
             "Is there a gun (firearm) in your home, or one you could easily get to?",
             required=False, since="q-2"),
    Question("psychotic_symptoms", "object", "health", "Psychotic symptoms (past month)",
             required=False, parts=("hallucinations", "paranoia"), since="q-2"),
    _boolean("psychotic_symptoms.hallucinations", "health",
             "Heard or saw things others could not",
             "In the past month, have you heard or seen things that other people could not "
             "hear or see?", since="q-2"),
    _boolean("psychotic_symptoms.paranoia", "health",
             "Felt plotted against, or thoughts read or controlled",
             "In the past month, have you felt that other people were plotting against you or "
             "trying to hurt you, or that someone could read your thoughts or control them?",
             since="q-2"),
    _boolean("self_harm_past_month", "safety", "Self-harm in the past month (not to die)",
             "In the past month, have you hurt yourself on purpose (for example cutting, "
             "burning or hitting yourself) without wanting to die?",
             required=False, since="q-2"),
    _boolean("overdose_past_year", "drugs", "Overdose in the past year",
             "In the past year, have you had an overdose: taken so much alcohol or drugs that "
             "you needed help, naloxone (Narcan) or emergency care?",
             required=False, since="q-2"),
)
ANSWERS: dict[str, Question] = {question.path: question for question in _ANSWERS}
# The top-level fields of SPEC §3, in its order, and the parts of each object.
TOP_LEVEL: tuple[str, ...] = tuple(path for path in ANSWERS if "." not in path)


def answer(path: str) -> Question:
    """The answer field at `path` ("support", "cssrs.intent"). Raises KeyError if none."""
    return ANSWERS[path]


def values(path: str) -> tuple:
    """The values an answer field may take, least to most worrying where ordered."""
    return ANSWERS[path].values


def parts(path: str) -> tuple[Question, ...]:
    """The fields inside an object answer, in SPEC order."""
    return tuple(ANSWERS[f"{path}.{name}"] for name in ANSWERS[path].parts)


def item_questions() -> dict[str, Question]:
    """Every instrument item by its path ("phq9[8]", "pcptsd5.items[0]")."""
    return {item.path: item for instrument in INSTRUMENTS.values()
            for item in instrument.items}


# --- wording by questionnaire version ------------------------------------------------------

# What each version after the first rewords, and why (docs/product.md names the changes).
# Keys: a question's path; "<path>=<value>" for one option's label.
REWORDED: dict[str, dict[str, str]] = {
    "q-2": {
        # Outside clinical review: without the screener's examples people under-report
        # exactly the preparatory, aborted and interrupted acts that set "high".
        "cssrs.behavior_lifetime":
            "Have you ever done anything, started to do anything, or prepared to do anything "
            "to end your life? For example: collected pills, obtained a gun, gave away "
            "valuables, wrote a will or suicide note, took out pills but didn't swallow any, "
            "held a gun but changed your mind or it was grabbed from your hand, went to the "
            "roof but didn't jump; or actually took pills, tried to shoot yourself, cut "
            "yourself, tried to hang yourself, etc. (at any time in your life)",
        # Outside clinical review: medication taken as prescribed was being counted as
        # daily heavy use (and so as withdrawal risk).
        "withdrawal.daily_use":
            "Do you drink heavily every day, or take benzodiazepines or opioids every day "
            "in a way that was not prescribed for you? Medication taken as prescribed (for "
            "example buprenorphine, methadone, or prescribed opioids or benzodiazepines "
            "taken as prescribed) does not count.",
    },
}


def _option_key(path: str, value) -> str:
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return f"{path}={text}"


def _first_wording(question: Question) -> dict[str, str]:
    wording = {question.path: question.text} if question.text else {}
    for option in question.options:
        wording[_option_key(question.path, option.value)] = option.label
    return wording


def _build_wording() -> dict[str, dict[str, str]]:
    everything = list(_ANSWERS)
    for instrument in INSTRUMENTS.values():
        everything.extend(instrument.items)
    versions: dict[str, dict[str, str]] = {}
    previous: dict[str, str] = {}
    for version in QUESTIONNAIRE_VERSIONS:
        wording = dict(previous)
        for question in everything:
            if question.since == version:
                wording.update(_first_wording(question))
        if version == QUESTIONNAIRE_VERSIONS[0]:
            for instrument in INSTRUMENTS.values():
                if instrument.lead:
                    wording.setdefault(instrument.path, instrument.lead)
        wording.update(REWORDED.get(version, {}))
        versions[version] = wording
        previous = wording
    return versions


WORDING: dict[str, dict[str, str]] = _build_wording()


# --- wording by language ------------------------------------------------------------------

# The languages the questionnaire is asked in (SPEC §8b). English is WORDING itself; each
# other language maps every English wording (of every version, hints included) to its own,
# and says where each instrument's translation comes from and whether it is validated.
ENGLISH = "en"
TRANSLATIONS: dict[str, dict[str, str]] = {"es": wording_es.SPANISH}
TRANSLATION_SOURCES: dict[str, dict[str, tuple[str, bool]]] = {"es": wording_es.SOURCES}
LANGUAGES: tuple[str, ...] = (ENGLISH, *TRANSLATIONS)


def translated(text: str | None, language: str = ENGLISH) -> str | None:
    """`text` (an English wording of this catalogue) in `language`. English, and the English
    again for a language not shipped or a wording it lacks (the tests fail on the latter):
    a question is never left blank."""
    if text is None or language == ENGLISH:
        return text
    return TRANSLATIONS.get(language, {}).get(text, text)


def not_validated_in(language: str) -> tuple[str, ...]:
    """The instruments whose wording in `language` is not a validated translation."""
    return tuple(name for name, (_source, validated)
                 in TRANSLATION_SOURCES.get(language, {}).items() if not validated)


def question(path: str, version: str = CURRENT_QUESTIONNAIRE,
             language: str = ENGLISH) -> str | None:
    """The wording of the question at `path` in a questionnaire version and a language; for
    an instrument's path ("phq9", "pcptsd5.items") its lead. None when that version did not
    ask it. Raises KeyError for an unknown version."""
    return translated(WORDING[version].get(path), language)


def option_label(path: str, value, version: str = CURRENT_QUESTIONNAIRE,
                 language: str = ENGLISH) -> str | None:
    """What the person read for one answer value in a version ("auditc[1]", 2 -> "5 or 6").
    None when that version did not offer it. Raises KeyError for an unknown version."""
    return translated(WORDING[version].get(_option_key(path, value)), language)


def staff_label(path: str, value) -> str:
    """How staff read one stored value: "Some difficulty", "Yes", "5 or 6"."""
    spec = ANSWERS.get(path) or item_questions().get(path)
    if spec is not None:
        for option in spec.options:
            if option.value == value and type(option.value) is type(value):
                return option.staff
    return str(value)


# --- bands and flags as staff read them ----------------------------------------------------

BAND_NAMES = {"none": "None", "mild": "Mild", "moderate": "Moderate",
              "moderately_severe": "Moderately severe", "severe": "Severe"}
# Short names of the default criteria's flags; what each means comes from the criteria
# that raised it (each flag's reason), stored with the recommendation.
FLAG_NAMES = {
    "urgent": "Urgent",
    "safety_followup": "Safety follow-up",
    "safety_discordant": "Safety screens disagree",
    "lethal_means": "Lethal means",
    "psychosis_followup": "Psychosis follow-up",
    "overdose_risk": "Overdose risk",
    "consider_higher_level": "Consider a higher level",
    "withdrawal_monitoring": "Withdrawal monitoring",
    "prenatal_coordination": "Prenatal coordination",
    "adolescent": "Adolescent",
}
