"""review/history_lines.py: each history line is what the intake page's template printed."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from review.history_lines import history_lines
from tests.factories import submitted_intake

# The line as templates/review/intake.html printed it before the lines were worked out.
BEFORE = Template(
    '{% for event in history %}'
    '<li class="mb-1"><span class="text-body-secondary">{{ event.at|date:"Y-m-d H:i:s" }}'
    '</span> &middot; {{ event.actor.full_name|default:event.actor.email|default:"System" }}'
    '{% if event.actor_role %} ({{ event.actor_role }}){% endif %}: '
    '{{ event.get_action_display|lower }}{% if event.action == "state" %} '
    '{{ event.detail.from }} &rarr; {{ event.detail.to }}'
    '{% elif event.action == "decide" and event.detail.move == "amend" %} '
    '(amended to version {{ event.detail.version }}: {{ event.detail.changed|join:", " }})'
    '{% elif event.action == "decide" %} ({% if event.detail.accepted %}accepted{% else %}'
    'overrode{% endif %}: {{ event.detail.indicated }}){% endif %}'
    '{% if event.detail.to_outcome %} (outcome: {{ event.detail.to_outcome }}){% endif %}'
    '</li>{% endfor %}')
AFTER = Template(
    '{% for line in history_lines %}'
    '<li class="mb-1"><span class="text-body-secondary">{{ line.at }}</span> &middot; '
    '{{ line.who }}{% if line.role %} ({{ line.role }}){% endif %}: {{ line.what }}</li>'
    '{% endfor %}')

NAMED = User(full_name="Casey <Clinician> & 'co'", email="casey@example.com")
UNNAMED = User(full_name="", email="drew@example.com")
EVENTS = [
    ("view", NAMED, "clinician", {}),
    ("submit", UNNAMED, "patient", {"ip": "x"}),
    ("state", NAMED, "clinician", {"from": "submitted", "to": "in_review"}),
    ("state", NAMED, "clinician", {"from": None}),
    ("decide", NAMED, "clinician", {"accepted": True, "indicated": "iop"}),
    ("decide", NAMED, "clinician", {"accepted": False, "indicated": "<b>inpatient</b>"}),
    ("decide", NAMED, "clinician", {"indicated": "iop", "to_outcome": "scheduled"}),
    ("decide", NAMED, "admin", {"move": "amend", "version": 3,
                                "changed": ["level", "reason <text>"]}),
    ("decide", NAMED, "clinician", {"move": "amend", "changed": "start"}),
    ("change", NAMED, "clinician", {"to_outcome": "attended & well"}),
    ("unknown-action", NAMED, "clinician", {"to_outcome": 0}),
    ("note", NAMED, "clinician", None),
]


@pytest.mark.parametrize("zone", ["UTC", "America/Toronto"])
def test_each_line_is_what_the_template_printed(settings, zone):
    settings.TIME_ZONE = zone
    at = datetime(2026, 3, 8, 6, 59, 58, tzinfo=UTC)  # the morning the clocks go forward
    events = [AuditEvent(action=action, actor=actor, actor_role=role, detail=detail, at=at)
              for action, actor, role, detail in EVENTS]
    before = BEFORE.render(Context({"history": events}))
    after = AFTER.render(Context({"history_lines": history_lines(events)}))
    assert after.split("</li>") == before.split("</li>")
    assert "Casey &lt;Clinician&gt; &amp; &#x27;co&#x27;" in after


def test_an_event_without_a_person_is_the_systems(clinician_client, patient):
    # An API read (api.views.api_audit) or a purged draft is logged without an actor. The
    # template's `default:event.actor.email` raised on it (a filter's argument is not
    # silenced): such an intake's page was a 500.
    intake = submitted_intake(patient)
    audit_record(actor=None, action="view", object_type="intake", object_id=intake.pk,
                 intake_id=intake.pk, detail={"api_token": 1})
    response = clinician_client.get(reverse("review:intake", args=[intake.pk]))
    assert response.status_code == 200
    assert "&middot; System: viewed</li>" in response.content.decode()
