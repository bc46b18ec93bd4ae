"""Every word a person reads in the patient templates is marked for translation: a sentence
added to one of them without {% translate %} fails here (SPEC §8b)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The patient side. Not here: staff pages and the mails to staff (English only: the staff
# invitation and the second-factor reset), base.html (its staff menu is English; its patient
# parts are checked by the Spanish page tests, tests/i18n/test_journey.py).
PATIENT_TEMPLATES = sorted(
    [*TEMPLATES.glob("intake/*.html"), *TEMPLATES.glob("registration/*"),
     TEMPLATES / "contacts/edit.html", TEMPLATES / "home.html",
     TEMPLATES / "_language_form.html",
     *(TEMPLATES / f"{code}.html" for code in (400, 403, 404, 405, 429, 500, 503))])
STAFF_ONLY = {"staff_invitation.html", "staff_invitation_email.txt",
              "second_factor_reset_email.txt"}
PATIENT_TEMPLATES = [path for path in PATIENT_TEMPLATES
                     if path.name not in STAFF_ONLY]

_MARKED = re.compile(r"{%\s*blocktranslate\b.*?%}.*?{%\s*endblocktranslate\s*%}", re.S)
_TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]*>|&[a-z]+;|&#?\w+;", re.S)
_WORD = re.compile(r"[A-Za-z]{2,}")


def unmarked_words(source: str) -> list[str]:
    text = _TAGS.sub(" ", _MARKED.sub(" ", source))
    return _WORD.findall(text)


@pytest.mark.parametrize("path", PATIENT_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_unmarked_words_in_a_patient_template(path):
    assert unmarked_words(path.read_text()) == []


def test_the_check_finds_an_unmarked_sentence():
    assert unmarked_words('<p>{% translate "Hello" %} Goodbye</p>') == ["Goodbye"]
    assert unmarked_words("{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}") == []
