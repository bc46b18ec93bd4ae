from django import forms

from screening.models import LEVEL_CHOICES


class RoundOpenForm(forms.Form):
    name = forms.CharField(max_length=120, strip=True,
                           help_text="For example the month and the team: 'March, day team'.")


class RatingForm(forms.Form):
    level = forms.ChoiceField(choices=LEVEL_CHOICES, widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                              label="The level of care you would decide")
    note = forms.CharField(required=False, max_length=2000, strip=True,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           label="Note (optional): why, or what you would want to know")
