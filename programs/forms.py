from django import forms

from review.models import Program

from .services import ProgramError, sessions_parse


class ProgramForm(forms.ModelForm):
    sessions = forms.CharField(
        label="Weekly sessions", widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text="One a line: a day and two times, e.g. Mon 18:00-21:00. Leave empty for "
                  "round-the-clock care (a residential unit).")
    languages_text = forms.CharField(
        label="Languages", required=False, max_length=60,
        help_text="Language codes, comma-separated, e.g. en, es. Empty: the usual language.")

    class Meta:
        model = Program
        fields = ["name", "level", "min_age", "max_age", "capacity", "census", "next_steps",
                  "contact", "active", "rescreen_every_weeks"]
        labels = {"min_age": "Youngest age", "max_age": "Oldest age",
                  "capacity": "Places", "census": "People in it now",
                  "rescreen_every_weeks": "Re-screen every (weeks)"}

    def __init__(self, *args, sessions_initial: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].initial = sessions_initial
        self.fields["rescreen_every_weeks"].required = False
        self.fields["languages_text"].initial = ", ".join(self.instance.languages or [])
        self.order_fields(["name", "level", "sessions"])

    def clean_sessions(self):
        try:
            return sessions_parse(self.cleaned_data["sessions"])
        except ProgramError as error:
            raise forms.ValidationError(error.message) from None

    def clean_rescreen_every_weeks(self) -> int:
        weeks = self.cleaned_data["rescreen_every_weeks"]
        if weeks is None:  # left empty: as it was, or the default of 2
            return self.instance.rescreen_every_weeks or 2
        if not 1 <= weeks <= 26:
            raise forms.ValidationError("Give a number of weeks from 1 to 26.")
        return weeks

    def clean_languages_text(self) -> list[str]:
        codes = [code.strip().lower() for code in self.cleaned_data["languages_text"].split(",")
                 if code.strip()]
        for code in codes:
            if not code.isalpha() or not 2 <= len(code) <= 3:
                raise forms.ValidationError(f"\u201c{code}\u201d is not a language code such "
                                            "as en or es.")
        return codes
