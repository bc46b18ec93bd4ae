"""The wording and response options of each question, as the instruments have them.

Sources, time frames and terms of use: docs/instruments.md. The attribution a page must
show is in ATTRIBUTION, keyed by the step that asks the instrument.
"""

YES_NO = [("yes", "Yes"), ("no", "No")]

FREQUENCY = [(0, "Not at all"), (1, "Several days"), (2, "More than half the days"),
             (3, "Nearly every day")]

PHQ9_LEAD = ("Over the last 2 weeks, how often have you been bothered by any of the "
             "following problems?")
PHQ9 = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself, or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite: "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]

GAD7_LEAD = "Over the last 2 weeks, how often have you been bothered by the following problems?"
GAD7 = [
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
]

AUDITC_LEAD = ("These questions are about your drinking in the past year. A standard drink is a "
               "can of beer, a glass of wine or a shot of spirits.")
AUDITC = [
    ("How often do you have a drink containing alcohol?",
     ["Never", "Monthly or less", "2 to 4 times a month", "2 to 3 times a week",
      "4 or more times a week"]),
    ("How many standard drinks containing alcohol do you have on a typical day when you "
     "are drinking?",
     ["1 or 2 (or I don't drink)", "3 or 4", "5 or 6", "7 to 9", "10 or more"]),
    ("How often do you have six or more drinks on one occasion?",
     ["Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily"]),
]

DAST10_LEAD = ("These questions are about drug use in the past 12 months, not counting "
               "alcohol or tobacco, or medicines taken as prescribed.")
DAST10 = [
    "Have you used drugs other than those required for medical reasons?",
    "Do you abuse more than one drug at a time?",
    "Are you always able to stop using drugs when you want to?",
    "Have you had \"blackouts\" or \"flashbacks\" as a result of drug use?",
    "Do you ever feel bad or guilty about your drug use?",
    "Does your spouse (or parents) ever complain about your involvement with drugs?",
    "Have you neglected your family because of your use of drugs?",
    "Have you engaged in illegal activities in order to obtain drugs?",
    "Have you ever experienced withdrawal symptoms (felt sick) when you stopped taking drugs?",
    "Have you had medical problems as a result of your drug use (for example memory loss, "
    "hepatitis, convulsions, bleeding)?",
]

PCPTSD5_EXPOSURE = (
    "Sometimes things happen to people that are unusually or especially frightening, "
    "horrible, or traumatic. For example: a serious accident or fire; a physical or sexual "
    "assault or abuse; an earthquake or flood; a war; seeing someone be killed or seriously "
    "injured; having a loved one die through homicide or suicide. Have you ever experienced "
    "this kind of event?")
PCPTSD5_LEAD = "In the past month, have you..."
PCPTSD5 = [
    "had nightmares about the event(s) or thought about the event(s) when you did not want "
    "to?",
    "tried hard not to think about the event(s) or went out of your way to avoid situations "
    "that reminded you of the event(s)?",
    "been constantly on guard, watchful, or easily startled?",
    "felt numb or detached from people, activities, or your surroundings?",
    "felt guilty or unable to stop blaming yourself or others for the event(s) or any "
    "problems the event(s) may have caused?",
]

SCOFF = [
    "Do you make yourself Sick because you feel uncomfortably full?",
    "Do you worry you have lost Control over how much you eat?",
    "Have you recently lost more than One stone (14 lb, about 6 kg) in a 3-month period?",
    "Do you believe yourself to be Fat when others say you are too thin?",
    "Would you say that Food dominates your life?",
]

MDQ_LEAD = "Has there ever been a period of time when you were not your usual self and..."
MDQ = [
    "you felt so good or so hyper that other people thought you were not your normal self, "
    "or you were so hyper that you got into trouble?",
    "you were so irritable that you shouted at people or started fights or arguments?",
    "you felt much more self-confident than usual?",
    "you got much less sleep than usual and found you didn't really miss it?",
    "you were much more talkative or spoke much faster than usual?",
    "thoughts raced through your head or you couldn't slow your mind down?",
    "you were so easily distracted by things around you that you had trouble concentrating "
    "or staying on track?",
    "you had much more energy than usual?",
    "you were much more active or did many more things than usual?",
    "you were much more social or outgoing than usual, for example, you telephoned friends "
    "in the middle of the night?",
    "you were much more interested in sex than usual?",
    "you did things that were unusual for you or that other people might have thought were "
    "excessive, foolish, or risky?",
    "spending money got you or your family into trouble?",
]
MDQ_SAME_PERIOD = ("If you answered yes to more than one of these, have several of these ever "
                   "happened during the same period of time?")
MDQ_PROBLEM = ("How much of a problem did any of these cause you, like being unable to work; "
               "having family, money or legal troubles; getting into arguments or fights?")
MDQ_PROBLEM_CHOICES = [("none", "No problem"), ("minor", "Minor problem"),
                       ("moderate", "Moderate problem"), ("serious", "Serious problem")]

PEG = [
    ("What number best describes your pain on average in the past week?",
     "0 = no pain, 10 = pain as bad as you can imagine"),
    ("What number best describes how, during the past week, pain has interfered with your "
     "enjoyment of life?", "0 = does not interfere, 10 = completely interferes"),
    ("What number best describes how, during the past week, pain has interfered with your "
     "general activity?", "0 = does not interfere, 10 = completely interferes"),
]

CSSRS_LEAD = "These questions are about the past month, unless they say otherwise."
CSSRS = {
    "wish_dead": "Have you wished you were dead or wished you could go to sleep and not wake "
                 "up?",
    "suicidal_thoughts": "Have you actually had any thoughts of killing yourself?",
    "method": "Have you been thinking about how you might do this?",
    "intent": "Have you had these thoughts and had some intention of acting on them?",
    "plan": "Have you started to work out or worked out the details of how to kill yourself? "
            "Do you intend to carry out this plan?",
    "behavior_lifetime": "Have you ever done anything, started to do anything, or prepared to "
                         "do anything to end your life? (at any time in your life)",
    "behavior_past_3_months": "Was this within the past 3 months?",
}

# The credit each instrument's terms ask for (docs/instruments.md says where we are unsure).
ATTRIBUTION = {
    "safety": "Questions from the Columbia-Suicide Severity Rating Scale (C-SSRS) screener, "
              "Posner et al., the Columbia Lighthouse Project; © The Research Foundation for "
              "Mental Hygiene, Inc.",
    "mood": "PHQ-9: developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke "
            "and colleagues, with an educational grant from Pfizer Inc. No permission "
            "required to reproduce, translate, display or distribute.",
    "anxiety": "GAD-7: developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke "
               "and colleagues, with an educational grant from Pfizer Inc. No permission "
               "required to reproduce, translate, display or distribute.",
    "alcohol": "AUDIT-C: the first three questions of the Alcohol Use Disorders Identification "
               "Test (AUDIT), World Health Organization; Bush et al., 1998.",
    "drugs": "DAST-10: © 1982 Harvey A. Skinner, PhD, and the Centre for Addiction and Mental "
             "Health, Toronto, Canada. Reproduced for non-commercial clinical use with credit "
             "to the author, Dr. Harvey A. Skinner.",
    "trauma": "PC-PTSD-5: Prins, Bovin, Kimerling et al., 2016; National Center for PTSD, US "
              "Department of Veterans Affairs.",
    "eating": "SCOFF questionnaire: Morgan, Reid and Lacey, BMJ 1999.",
    "mood-swings": "Mood Disorder Questionnaire (MDQ): Hirschfeld et al., American Journal of "
                   "Psychiatry 2000; © 2000 The University of Texas Medical Branch.",
    "pain": "PEG: Krebs et al., Journal of General Internal Medicine 2009.",
}
