"""Hostile input into every form of the app (issue 13): oversized, wrong types, markup, null
bytes, lone surrogates, repeated fields, missing fields, as each role that can open the form.

The forms are read from the pages themselves (every <form> on every page of the URL
configuration, as its owner sees it), so a form added later is covered too. Asserted for
every request: no 5xx, no markup sent back unescaped, and saved answers intact (a refused
step leaves the intake's answers as they were; an accepted one changes only its own
fields; no submitted intake's answers ever change).
"""

import copy
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.services import user_create_with_role
from api.models import Webhook
from calibration.services import calibration_round_open
from intake.models import Intake
from intake.steps import BY_SLUG, steps_for
from oncall.models import Shift
from review.models import Program
from screening.models import CriteriaVersion, ReplayRun
from screening.versions import criteria_draft_create
from tests.conftest import PASSWORD, signed_in
from tests.factories import answers, submitted_intake, submitted_rescreen
from tests.foundation.test_access_matrix import OWNERS, PAGES, url_of

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "10"))
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
          "<svg onload=alert(1)>", "javascript:alert(1)"]
UNESCAPED = ("<script>alert(1)", "<img src=x onerror", "<svg onload")
SPECIALS = MARKUP + [
    "\x00", "a\x00b", "\ud800", "x\udfffy", "\u202e\u0644", "\ufeff", "%00", "{{ 7|add:7 }}",
    "{% debug %}", "' OR 1=1 --", "../../etc/passwd", "-1", "0", "-0", "1e309", "NaN",
    "Infinity", "99999999999999999999999", "3.5", "true", "null", "[]", "{}", "9999-12-31",
    "0000-00-00", "2026-02-30", " ", "\r\n\t", "ё" * 300, "9" * 5000]
OVERSIZED = "x" * 100_000

hostile_value = st.one_of(
    st.sampled_from(SPECIALS),
    st.text(alphabet=st.characters(codec=None), max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.just(OVERSIZED),
)


@dataclass
class Form:
    role: str
    page: str
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values on the page


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[dict, dict[str, list[str]]]] = []
        self._current: dict[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {}
            self.forms.append((attrs, self._current))
        elif self._current is None:
            return
        elif tag in ("input", "textarea", "button") and attrs.get("name"):
            self._current.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self._current.setdefault(self._select, [])
        elif tag == "option" and self._select:
            self._current[self._select].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def forms_on(role: str, client: Client, url: str) -> list[Form]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _FormParser()
    parser.feed(response.content.decode())
    found = []
    for attrs, fields in parser.forms:
        action = urljoin(url, attrs.get("action") or url)
        if urlsplit(action).path in ("/logout/",):
            continue  # signing out is not an input
        fields.pop("csrfmiddlewaretoken", None)
        found.append(Form(role=role, page=url, method=(attrs.get("method") or "get").lower(),
                          action=action, fields=fields))
    return found


def _encode(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(
        f"{quote_from_bytes(k.encode('utf-8', 'surrogatepass'))}="
        f"{quote_from_bytes(v.encode('utf-8', 'surrogatepass'))}" for k, v in pairs).encode()


@pytest.fixture
def world(patient, other_patient, clinician, admin_user):
    draft_intake = Intake.objects.create(patient=patient, answers=answers())
    in_review = submitted_intake(other_patient)
    in_review.status = Intake.Status.IN_REVIEW
    in_review.assigned_to = clinician
    in_review.save()
    submitted = submitted_intake(other_patient)
    draft = criteria_draft_create(actor=admin_user, version_name="draft-hostile")
    run = ReplayRun.objects.create(version=draft, started_by=admin_user,
                                   status=ReplayRun.Status.DONE)
    enrolling = user_create_with_role(email="new.staff@example.com", full_name="New Staff",
                                      password=PASSWORD, role="clinician")
    verifying = user_create_with_role(email="verify.staff@example.com",
                                      full_name="Verify Staff", password=PASSWORD,
                                      role="clinician")
    TOTPDevice.objects.create(user=verifying, name="phone", confirmed=True)
    shift = Shift.objects.get(clinician=clinician)  # the clinician fixture is on call
    hook = Webhook.objects.create(url="http://127.0.0.1:9/hook", events=["intake.submitted"],
                                  secret="s", created_by=admin_user)
    program = Program.objects.create(name="Evening IOP", level="iop")
    calibration = calibration_round_open(actor=admin_user, name="Hostile round")
    # A re-screen waiting for its suggestion's decision (the clinician's form), of the
    # other patient's care; the patient's own invitation due (its form on their home page).
    rescreen = submitted_rescreen(submitted)
    invited = submitted_rescreen(submitted_intake(patient)).invitation
    invited.rescreen = None
    invited.save()
    return {"intake": submitted, "draft": draft, "run": run, "draft_intake": draft_intake,
            "in_review": in_review, "enrolling": enrolling, "verifying": verifying,
            "shift": shift, "hook": hook, "program": program, "round": calibration,
            "rescreen": rescreen, "invitation": invited}


def all_forms(world, clients) -> list[Form]:
    pages: list[tuple[str, str]] = [("anonymous", "/login/"), ("anonymous", "/account/signup/"),
                                    ("anonymous", "/account/password-reset/"),
                                    ("enrolling", "/account/2fa/setup/"),
                                    ("verifying", "/account/2fa/verify/"),
                                    ("patient", "/intake/")]
    draft_intake = world["draft_intake"]
    pages += [("patient", reverse("intake:step", args=[draft_intake.pk, step.slug]))
              for step in steps_for(draft_intake.answers)]
    pages += [("patient", reverse("intake:review", args=[draft_intake.pk])),
              ("patient", reverse("intake:sign", args=[draft_intake.pk]))]
    pages += [("clinician", reverse("review:intake", args=[world["in_review"].pk])),
              ("clinician", reverse("review:intake", args=[world["rescreen"].pk]))]
    for namespace, name, params in PAGES:
        if namespace == "intake":
            continue  # the draft's pages above
        for role in sorted(OWNERS[namespace]):
            pages.append((role, url_of(namespace, name, params, world)))
    pages += [("admin", "/admin/accounts/user/add/"),
              ("admin", f"/admin/accounts/user/{world['enrolling'].pk}/change/"),
              ("admin", "/admin/accounts/user/")]
    found: dict[tuple, Form] = {}
    for role, url in pages:
        for form in forms_on(role, clients[role], url):
            found.setdefault((role, form.method, form.action, tuple(sorted(form.fields))), form)
    return list(found.values())


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_no_hostile_input_into_any_form_is_a_500_or_loses_a_saved_answer(
        world, patient, clinician, admin_user, capsys):
    clients = {"anonymous": Client(), "patient": signed_in(patient),
               "clinician": signed_in(clinician), "admin": signed_in(admin_user),
               "enrolling": signed_in(world["enrolling"], verified=False, enrolling=True),
               "verifying": signed_in(world["verifying"], verified=False)}
    for client in clients.values():
        client.raise_request_exception = False
    forms = all_forms(world, clients)
    # Every part of the app has forms in the run (a page that stopped showing its form
    # would quietly drop out of it otherwise).
    roles = {form.role for form in forms}
    assert roles >= {"anonymous", "patient", "clinician", "admin", "enrolling", "verifying"}
    assert len(forms) >= 30, [f.action for f in forms]

    draft_intake = world["draft_intake"]
    submitted_answers = {pk: copy.deepcopy(a) for pk, a in
                         Intake.objects.exclude(status=Intake.Status.DRAFT)
                         .values_list("pk", "answers")}
    figures = {"requests": 0, "hostile_values": 0, "forms": len(forms), "server_errors": 0,
               "pairs": set()}

    def attack(form: Form, values: dict, extra: list[tuple[str, str]]) -> None:
        client = clients[form.role]
        pairs: list[tuple[str, str]] = []
        for name, value in values.items():
            if value is None:
                continue  # the field left out
            for one in value if isinstance(value, list) else [value]:
                pairs.append((name, one))
                figures["hostile_values"] += one not in form.fields.get(name, [])
        pairs += extra
        before = Intake.objects.get(pk=draft_intake.pk).answers
        if form.method == "post":
            response = client.post(form.action, _encode(pairs),
                                   content_type="application/x-www-form-urlencoded")
        else:
            response = client.get(urlsplit(form.action).path,
                                  QUERY_STRING=_encode(pairs).decode("ascii"))
        figures["requests"] += 1
        figures["pairs"].add((form.role, form.action))
        assert response.status_code < 500, (form.role, form.action, pairs[:5])
        if "html" in response.get("Content-Type", ""):
            html = response.content.decode()
            for payload in UNESCAPED:
                assert payload not in html, (form.action, payload)
        after = Intake.objects.get(pk=draft_intake.pk).answers
        step = _step_of(form.action, draft_intake.pk)
        if response.status_code != 302 or step is None:
            assert after == before, (form.action, "a refused form changed saved answers")
        else:
            owned = BY_SLUG[step].form.owns
            assert {k: v for k, v in after.items() if k not in owned} == \
                {k: v for k, v in before.items() if k not in owned}, form.action

    for form in forms:
        original = {name: (values[0] if values else "") for name, values in form.fields.items()}
        field_value = st.one_of(hostile_value, st.lists(hostile_value, min_size=2, max_size=3),
                                st.none())
        strategy = st.fixed_dictionaries(
            {name: st.one_of(st.just(original[name]), field_value) for name in form.fields})
        extra = st.lists(st.tuples(st.sampled_from(["unknown", "__proto__", "id", "pk"]),
                                   hostile_value), max_size=2)

        _fuzz(attack, form, strategy, extra)

    for pk, saved in submitted_answers.items():
        assert Intake.objects.get(pk=pk).answers == saved, "a submitted intake's answers changed"
    assert CriteriaVersion.objects.filter(status="published").count() == 1
    with capsys.disabled():
        print(f"\nhostile input: {figures['forms']} forms, {len(figures['pairs'])} "
              f"(role, form) pairs, {figures['requests']} requests, "
              f"{figures['hostile_values']} hostile values, 0 server errors")


def _fuzz(attack, form: Form, strategy, extra) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(values=strategy, extra=extra)
    def run(values, extra):
        attack(form, values, extra)

    run()


def _step_of(action: str, draft_pk: int) -> str | None:
    match = re.fullmatch(rf"/intake/{draft_pk}/step/([\w-]+)/", urlsplit(action).path)
    return match.group(1) if match else None
