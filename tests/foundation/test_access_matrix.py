"""Every page of the app, for every role, read from the URL configuration itself, so a page
added later without its access rule fails here.

Whose pages are whose: the intake pages are the patient's own (another patient gets 404),
the dashboard is the clinic staff's, the criteria editor, the audit log and the integrations
pages are the admins'. The finer rules (admins read but never decide, a patient's drafts) are
in each app's tests.

The API (/api/v1/) is for integrations, not people: no role's session opens it, only a
bearer token does; an expired or revoked token is refused like none, and a read-only token
cannot write. Each endpoint is listed in API_RULES (a new one without its rule fails here).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.models import ApiToken, Webhook
from audit.models import AuditEvent
from calibration.models import CalibrationRating, CalibrationRound
from calibration.services import calibration_round_open
from care.models import Suggestion
from intake.models import Intake
from oncall.models import Shift
from review.models import ContactAttempt, Note, Program, UrgentAlert
from review.services import intake_decide, intake_move
from screening.models import ReplayRun
from screening.versions import criteria_draft_create
from tests.api.helpers import api_client, expired_token, make_token, revoked_token
from tests.conftest import signed_in
from tests.factories import submitted_intake, submitted_rescreen

pytestmark = pytest.mark.django_db

# Which roles each part of the app is for.
OWNERS = {"intake": {"patient"}, "contacts": {"patient"}, "review": {"clinician", "admin"},
          "criteria": {"admin"}, "audit": {"admin"}, "oncall": {"admin"},
          "integrations": {"admin"}, "programs": {"admin"}, "staff": {"admin"},
          "calibration": {"clinician", "admin"}, "care": {"patient"}}
# Pages narrower than their part of the app: the clinician's own actions (admins read).
PAGE_OWNERS = {"review:acknowledge": {"clinician"}, "review:contact": {"clinician"},
               "review:amend": {"clinician"}, "review:reopen": {"clinician"},
               "review:outcome": {"clinician"}, "care:decide": {"clinician"},
               # Clinicians rate the calibration cases; admins open the rounds.
               "calibration:rate": {"clinician"}, "calibration:open": {"admin"}}
DENIED = (403, 404)


def app_pages() -> list[tuple[str, str, list[str]]]:
    """(namespace, url name, its arguments) for every page of the apps above."""
    pages = []
    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and resolver.namespace in OWNERS:
            for pattern in resolver.url_patterns:
                assert isinstance(pattern, URLPattern), "nested includes: extend this test"
                pages.append((resolver.namespace, pattern.name,
                              list(pattern.pattern.regex.groupindex)))
    return pages


PAGES = app_pages()


@pytest.fixture
def world(patient, clinician, admin_user):
    intake = submitted_intake(patient)
    draft = criteria_draft_create(actor=admin_user, version_name="draft-matrix")
    run = ReplayRun.objects.create(version=draft, started_by=admin_user,
                                   status=ReplayRun.Status.DONE)
    shift = Shift.objects.get(clinician=clinician)
    UrgentAlert.objects.create(intake=intake, last_alerted_at=intake.submitted_at)
    hook = Webhook.objects.create(url="http://127.0.0.1:9/hook", events=["intake.submitted"],
                                  secret="s", created_by=admin_user)
    program = Program.objects.create(name="Evening IOP", level="iop")
    calibration = calibration_round_open(actor=admin_user, name="Matrix round")
    rescreen = submitted_rescreen(intake)
    return {"intake": intake, "draft": draft, "run": run, "shift": shift, "hook": hook,
            "program": program, "round": calibration, "rescreen": rescreen,
            "invitation": rescreen.invitation}


def _state(world) -> tuple:
    from accounts.models import User

    world["draft"].refresh_from_db()
    return (Intake.objects.values_list("status", "assigned_to").get(pk=world["intake"].pk),
            Note.objects.count(), world["draft"].document, ContactAttempt.objects.count(),
            UrgentAlert.objects.values_list("acknowledged_at").get(intake=world["intake"]),
            Shift.objects.values_list("clinician", "starts_at", "ends_at", "backup")
            .get(pk=world["shift"].pk),
            Suggestion.objects.values_list("decided_at", "decided_level")
            .get(rescreen=world["rescreen"]),
            Intake.objects.filter(kind=Intake.Kind.RESCREEN).count(),
            Program.objects.values_list("name", "census").get(pk=world["program"].pk),
            list(User.objects.filter(pk=world["shift"].clinician_id)
                 .values_list("is_active", "groups__name", "second_factor_opened_at")),
            CalibrationRound.objects.count(), CalibrationRating.objects.count())


def url_of(namespace: str, name: str, params: list[str], world) -> str:
    # Only the object of this part of the app is read: a caller's world may hold only those.
    if namespace == "staff":  # a staff member's own page: the on-call clinician's
        pk = world["shift"].clinician_id
    else:
        owner = {"criteria": "draft", "oncall": "shift", "integrations": "hook",
                 "programs": "program", "calibration": "round"}.get(namespace, "intake")
        # A re-screen's pages read the invitation or the re-screen itself.
        owner = {"care:start": "invitation", "care:decide": "rescreen"}.get(
            f"{namespace}:{name}", owner)
        pk = world[owner].pk
    values = {"pk": pk,
              "run_pk": world["run"].pk, "slug": "about", "move": "schedule",
              "report": "timing", "number": 1,
              "item_id": world["draft"].document["rules"][0]["id"]}
    return reverse(f"{namespace}:{name}", kwargs={param: values[param] for param in params})


def test_the_matrix_sees_every_part_of_the_app():
    assert {namespace for namespace, _, _ in PAGES} == set(OWNERS)
    assert len(PAGES) >= 30
    assert set(PAGE_OWNERS) <= {f"{namespace}:{name}" for namespace, name, _ in PAGES}


@pytest.mark.parametrize("namespace, name, params", PAGES,
                         ids=[f"{n}:{name}" for n, name, _ in PAGES])
def test_each_page_is_denied_to_every_role_it_is_not_for(namespace, name, params, world,
                                                         patient, other_patient, clinician,
                                                         admin_user):
    url = url_of(namespace, name, params, world)
    before = _state(world)

    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        if response.status_code != 405:
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("login")), (method, url)

    roles = {"patient": patient, "clinician": clinician, "admin": admin_user}
    for role, user in roles.items():
        if role in PAGE_OWNERS.get(f"{namespace}:{name}", OWNERS[namespace]):
            continue
        client = signed_in(user)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status in DENIED or (method == "get" and status == 405), (role, method, url)

    # Another patient's intake (or invitation) is not there.
    if namespace in ("intake", "care") and "pk" in params and OWNERS[namespace] == {"patient"} \
            and f"{namespace}:{name}" not in PAGE_OWNERS:
        client = signed_in(other_patient)
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url).status_code == 404, url

    assert _state(world) == before, "a refused request changed something"


# --- the API: tokens, not roles ---------------------------------------------------------

# Each API endpoint: "read" (GET with any usable token) or "write" (POST, read-and-write only).
API_RULES = {
    "schema": "read", "intakes": "read", "intake": "read", "recommendation": "read",
    "decision": "read", "criteria-versions": "read", "criteria-version": "read",
    "programs": "read", "fhir-questionnaire": "read", "fhir-questionnaire-response": "read",
    "fhir-risk-assessment": "read", "fhir-observation": "read", "fhir-export": "read",
    "fhir-patient": "read", "fhir-import": "write",
}
API_QUERY = {"fhir-export": "?_since=2000-01-01&_until=2100-12-31"}


def api_endpoints() -> list[tuple[str, list[str]]]:
    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and resolver.namespace == "api":
            return [(pattern.name, list(pattern.pattern.regex.groupindex))
                    for pattern in resolver.url_patterns]
    raise AssertionError("no API in the URL configuration")


API_ENDPOINTS = api_endpoints()


@pytest.fixture
def api_world(world, clinician):
    intake_move(intake=world["intake"], to_state=Intake.Status.IN_REVIEW, actor=clinician)
    intake_decide(intake=world["intake"], actor=clinician, indicated_level="outpatient")
    return world


def api_url_of(name: str, params: list[str], world) -> str:
    pk = {"criteria-version": world["draft"].pk,
          "fhir-patient": world["intake"].patient_id}.get(name, world["intake"].pk)
    values = {"pk": pk, "version": "q-2", "instrument": "phq9"}
    return (reverse(f"api:{name}", kwargs={param: values[param] for param in params})
            + API_QUERY.get(name, ""))


def test_every_api_endpoint_has_a_rule():
    assert {name for name, _ in API_ENDPOINTS} == set(API_RULES)


@pytest.mark.parametrize("name, params", API_ENDPOINTS, ids=[n for n, _ in API_ENDPOINTS])
def test_each_api_endpoint_needs_a_usable_token_of_its_scope(name, params, api_world, patient,
                                                             clinician, admin_user):
    url = api_url_of(name, params, api_world)
    method = "get" if API_RULES[name] == "read" else "post"
    refused = [api_client(None), api_client("iop_not-a-token"),
               api_client(expired_token(admin_user)), api_client(revoked_token(admin_user))]
    # A signed-in person, admins too, is not an integration: the session opens nothing here.
    refused += [signed_in(user) for user in (patient, clinician, admin_user)]
    audit_rows = AuditEvent.objects.count()
    for client in refused:
        for verb in ("get", "post"):
            response = getattr(client, verb)(url, content_type="application/json")
            assert response.status_code == 401, (verb, url, response.status_code)
            assert response["WWW-Authenticate"] == "Bearer", url
    assert AuditEvent.objects.count() == audit_rows, "a refused call was recorded as a view"

    read_only = api_client(make_token(admin_user))
    writer = api_client(make_token(admin_user, scope=ApiToken.Scope.READ_WRITE, name="W"))
    assert read_only.post(url, content_type="application/json").status_code == 403, url
    if method == "get":
        response = read_only.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        assert writer.post(url, content_type="application/json").status_code == 405, url
    else:  # let through to the content, which is refused (and said so) as not a resource
        response = writer.post(url, {}, content_type="application/fhir+json")
        assert response.status_code == 400, (url, response.content[:300])
        assert response.json()["resourceType"] == "OperationOutcome"
        return
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and "api_token" in event.detail, url


def test_the_django_admin_is_only_for_admins(patient, clinician, admin_user):
    for user in (patient, clinician):
        response = signed_in(user).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert signed_in(admin_user).get("/admin/").status_code == 200


def test_a_form_only_page_opened_by_its_address_says_so(world, patient):
    response = signed_in(patient).get(reverse("intake:submit", args=[world["intake"].pk]))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "This page works from its form" in response.content.decode()
