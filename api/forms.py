from django import forms
from django.core.validators import URLValidator

from .models import ApiToken, Webhook


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Integration",
                           help_text="Who will use it, e.g. 'EHR (Epic)' or 'Monthly report'.")
    scope = forms.ChoiceField(choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ,
                              widget=forms.RadioSelect, label="Access")
    days = forms.IntegerField(min_value=1, max_value=365, initial=90, label="Valid for (days)")


class WebhookForm(forms.Form):
    url = forms.URLField(max_length=500, label="Address",
                         assume_scheme="https",
                         validators=[URLValidator(schemes=["https", "http"])],
                         help_text="Told of each event with ids and a link, never patient data.")
    events = forms.MultipleChoiceField(choices=Webhook.Event.choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       initial=Webhook.Event.values)
