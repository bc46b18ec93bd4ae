"""The clinician's decision on a re-screen's suggestion (staff page: English)."""

from django import forms

from review.models import Decision
from screening.models import LEVEL_CHOICES


class SuggestionDecideForm(forms.Form):
    outcome = forms.ChoiceField(label="Decision", widget=forms.RadioSelect,
                                choices=[("accept", "Accept the suggestion"),
                                         ("override", "Override it")])
    level = forms.ChoiceField(label="Level of care decided (for an override)", required=False,
                              choices=[("", "Choose a level")] + LEVEL_CHOICES)
    reason_code = forms.ChoiceField(label="Reason", required=False,
                                    choices=[("", "Choose a reason")]
                                    + Decision.OverrideReason.choices,
                                    help_text="Needed for an override.")
    reason_text = forms.CharField(label="Why", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
