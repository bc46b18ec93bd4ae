"""`manage.py seed_intakes N`: fill an empty database with N realistic intakes for benchmarks.

Answers come from the engine's own generator (screening.engine.properties.random_answers,
spread over the whole answer space) and each is screened by the published criteria, so the
recommendation, the queue fields, the flag rows and the response deadline are what a real
submit would store. Around them: patients (five intakes each, the last sometimes a draft),
contact details, ten clinicians, assignments, decisions, notes and audit rows, over five
years, in the mix of states a working clinic has (most intakes closed, a few percent open).

Rows go in with bulk_create in batches of 2,000, one transaction a batch, then ANALYZE:
the database here runs without autovacuum, and a benchmark on stale statistics measures
the planner's luck rather than the app.
"""

import contextlib
import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from contacts.models import ContactDetails
from intake.models import Intake, IntakeFlag
from intake.steps import steps_for
from review.clocks import deadline, tier_of
from review.models import Decision, Note
from screening.engine import screen
from screening.engine.properties import random_answers
from screening.models import Recommendation
from screening.selectors import criteria_compiled, criteria_version_published

BATCH = 2000
INTAKES_PER_PATIENT = 5
CLINICIANS = 10
YEARS = 5
# Seeded people sign in with this e-mail pattern (bench/load.py uses it).
CLINICIAN_EMAIL = "clinician{n}@bench.example.org"
PATIENT_EMAIL = "person{n}@bench.example.org"
LEVELS = ("inpatient", "iop", "outpatient")
NOTE_TEXTS = ("Left a voicemail, will try again tomorrow.",
              "Spoke with the person; they prefer evening sessions.",
              "Discussed with the team at the morning huddle.",
              "Referred on for a medical review before starting.")


@contextlib.contextmanager
def stamps_as_given(*models):
    """Keep the dates the seed gives to auto_now / auto_now_add fields: bulk_create would
    otherwise stamp every row with now, and the history would all be today."""
    fields = [field for model in models for field in model._meta.concrete_fields
              if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def status_for(rng: random.Random, last_of_patient: bool) -> Intake.Status:
    """About 1% drafts (only a person's last intake: one draft each), 4% submitted, 1% in
    review, 4% decided, the rest closed."""
    roll = rng.random()
    if last_of_patient and roll < 0.05:
        return Intake.Status.DRAFT
    if roll < 0.09:
        return Intake.Status.SUBMITTED
    if roll < 0.10:
        return Intake.Status.IN_REVIEW
    if roll < 0.14:
        return Intake.Status.DECIDED
    return Intake.Status.CLOSED


class Command(BaseCommand):
    help = "Fill an empty database with N realistic intakes (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("intakes", type=int)
        parser.add_argument("--seed", type=int, default=19, help="random seed (same data)")
        parser.add_argument("--allow-existing", action="store_true",
                            help="add to a database that already has intakes or people")
        parser.add_argument("--staff-password", default="",
                            help="password of the seeded clinicians (default: none can sign in)")

    def handle(self, *args, intakes, seed, allow_existing, staff_password, **options):
        self.verbosity = options["verbosity"]
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("seed_intakes never runs in production.")
        if intakes < 1:
            raise CommandError("N must be at least 1.")
        if not allow_existing and (Intake.objects.exists()
                                   or User.objects.filter(groups__name="patient").exists()):
            raise CommandError("This database already has intakes or patients; seed_intakes "
                               "fills an empty one (use --allow-existing to add to it).")
        self.rng = random.Random(seed)
        self.version = criteria_version_published()
        self.criteria = criteria_compiled(self.version)
        self.flag_words = {flag.id: flag.reason for flag in self.criteria.flags}
        self.now = timezone.now()
        self.start = self.now - timedelta(days=365 * YEARS)
        self.step = (self.now - self.start) / intakes
        self.clinicians = self.make_clinicians(staff_password)
        self.patient_group = Group.objects.get(name="patient")
        self.tag = f"{seed}-{self.now:%Y%m%d%H%M%S}"
        with stamps_as_given(Intake, Recommendation, Decision, Note, AuditEvent,
                             ContactDetails, User):
            for first in range(0, intakes, BATCH):
                with transaction.atomic():
                    self.make_batch(first, min(first + BATCH, intakes))
                if self.verbosity > 1:
                    self.stdout.write(f"{min(first + BATCH, intakes)} intakes")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Seeded {intakes} intakes.")

    def make_clinicians(self, password: str) -> list[User]:
        group = Group.objects.get(name="clinician")
        clinicians = []
        for n in range(1, CLINICIANS + 1):
            user, made = User.objects.get_or_create(
                email=CLINICIAN_EMAIL.format(n=n),
                defaults={"full_name": f"Bench Clinician {n}", "is_staff": False,
                          "email_confirmed_at": self.now})
            if made:
                if password:
                    user.set_password(password)
                else:
                    user.set_unusable_password()
                user.save()
                user.groups.add(group)
            clinicians.append(user)
        return clinicians

    def make_batch(self, first: int, last: int) -> None:
        rng = self.rng
        first_patient = first // INTAKES_PER_PATIENT
        last_patient = (last - 1) // INTAKES_PER_PATIENT
        numbers = range(first_patient, last_patient + 1)
        # A batch can start in the middle of a person's intakes: that person was made by
        # the batch before, so only the people first met here are created.
        new = [n for n in numbers if n * INTAKES_PER_PATIENT >= first]
        made = User.objects.bulk_create(
            # An unusable password (no hashing): nobody signs in as these people.
            [User(email=PATIENT_EMAIL.format(n=f"{self.tag}-{n}"),
                  full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                  password=make_password(None),
                  date_joined=self.start + self.step * n * INTAKES_PER_PATIENT)
             for n in new])
        self.patients = getattr(self, "patients", {})
        self.patients.update({n: user.pk for n, user in zip(new, made, strict=True)})
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=self.patient_group.pk) for user in made])
        ContactDetails.objects.bulk_create([self.contact(user.pk) for user in made])

        rows, results = [], []
        for n in range(first, last):
            status = status_for(rng, n % INTAKES_PER_PATIENT == INTAKES_PER_PATIENT - 1)
            answers = random_answers(rng)
            at = self.start + self.step * n
            intake = Intake(patient_id=self.patients[n // INTAKES_PER_PATIENT], status=status,
                            answers=answers, created_at=at, updated_at=at,
                            steps_done=[step.slug for step in steps_for(answers)])
            result = None
            if status == Intake.Status.DRAFT:
                # Half-answered: the first few answers only, never screened.
                intake.answers = dict(list(answers.items())[:rng.randint(1, 6)])
                intake.steps_done = []
            else:
                result = self.screened(answers, n)
                submitted = at + timedelta(minutes=rng.randint(5, 90))
                flags = result["flags"]
                intake.signature_name = "Signed"
                intake.consented_at = intake.submitted_at = submitted
                intake.updated_at = submitted
                intake.urgent = "urgent" in flags
                intake.recommended_level = result["level"]
                intake.clock_started_at = submitted
                intake.respond_by = deadline(submitted, tier_of(urgent=intake.urgent,
                                                                flags=flags))
                if status != Intake.Status.SUBMITTED:
                    intake.assigned_to_id = rng.choice(self.clinicians).pk
                    intake.first_opened_at = submitted + timedelta(hours=rng.randint(1, 48))
                    intake.first_contact_at = intake.first_opened_at + timedelta(hours=1)
                if status in (Intake.Status.DECIDED, Intake.Status.CLOSED):
                    intake.decided_at = intake.first_opened_at + timedelta(hours=rng.randint(1, 72))
                    intake.decided_level = (result["level"] if rng.random() < 0.85
                                            else rng.choice(LEVELS))
                    intake.updated_at = intake.decided_at
            rows.append(intake)
            results.append(result)
        Intake.objects.bulk_create(rows)

        recommendations, flags, decisions, notes, audit = [], [], [], [], []
        for intake, result in zip(rows, results, strict=True):
            if result is None:
                continue
            recommendations.append(Recommendation(intake_id=intake.pk,
                                                  criteria_version=self.version,
                                                  created_at=intake.submitted_at, **result))
            flags += [IntakeFlag(intake_id=intake.pk, flag=flag) for flag in result["flags"]]
            audit.append(AuditEvent(at=intake.submitted_at, actor_id=intake.patient_id,
                                    actor_role="patient", action="submit",
                                    object_type="intake", object_id=str(intake.pk),
                                    intake_id=intake.pk,
                                    detail={"criteria_version": self.version.version}))
            if intake.assigned_to_id:
                audit.append(AuditEvent(at=intake.first_opened_at,
                                        actor_id=intake.assigned_to_id, actor_role="clinician",
                                        action="view", object_type="intake",
                                        object_id=str(intake.pk), intake_id=intake.pk))
                if rng.random() < 0.3:
                    notes.append(Note(intake_id=intake.pk, author_id=intake.assigned_to_id,
                                      text=rng.choice(NOTE_TEXTS),
                                      created_at=intake.first_contact_at))
            if intake.decided_at:
                accepted = intake.decided_level == intake.recommended_level
                decisions.append(Decision(
                    intake_id=intake.pk, recommended_level=intake.recommended_level,
                    indicated_level=intake.decided_level, start_level=intake.decided_level,
                    accepted=accepted,
                    reason_code="" if accepted else rng.choice(Decision.OverrideReason.values),
                    reason_text="" if accepted else "Discussed with the person.",
                    decided_by_id=intake.assigned_to_id, decided_at=intake.decided_at))
                audit.append(AuditEvent(at=intake.decided_at, actor_id=intake.assigned_to_id,
                                        actor_role="clinician", action="decide",
                                        object_type="intake", object_id=str(intake.pk),
                                        intake_id=intake.pk,
                                        detail={"level": intake.decided_level}))
        Recommendation.objects.bulk_create(recommendations)
        IntakeFlag.objects.bulk_create(flags)
        Decision.objects.bulk_create(decisions)
        Note.objects.bulk_create(notes)
        AuditEvent.objects.bulk_create(audit)

    def screened(self, answers: dict, n: int) -> dict:
        result = screen(answers, self.criteria, f"seed-{n}")
        out = result.to_dict()
        return {"level": out["level"], "rules": out["rules"], "flags": out["flags"],
                "flag_reasons": [{"id": flag, "reason": self.flag_words[flag]}
                                 for flag in out["flags"]],
                "reasons": [{"id": r.id, "level": r.level, "reason": r.reason}
                            for r in result.reasons],
                "severity": out["severity"], "suicide_risk": out["suicide_risk"],
                "withdrawal_risk": out["withdrawal_risk"], "scores": out["scores"],
                "bands": out["bands"]}

    def contact(self, patient_id: int) -> ContactDetails:
        rng = self.rng
        # 555-01xx numbers are reserved for fiction: nobody real is ever called.
        return ContactDetails(
            patient_id=patient_id, phone=f"+1202555{rng.randint(100, 199):04d}",
            phone_kind=rng.choice(ContactDetails.PhoneKind.values),
            may_call=True, may_text=rng.random() < 0.7, may_leave_voicemail=rng.random() < 0.5,
            best_times=rng.sample(ContactDetails.BestTime.values, rng.randint(0, 2)),
            emergency_name="A relative" if rng.random() < 0.6 else "",
            emergency_relation="sibling", updated_at=self.now)


FIRST = ("Alex", "Sam", "Jordan", "Maria", "Wei", "Aisha", "Noah", "Olga", "Tomás", "Priya",
         "Kwame", "Lena", "Omar", "Hana", "Diego", "Fatima", "Ivan", "Mei", "Liam", "Zara")
LAST = ("Smith", "Garcia", "Nguyen", "Okafor", "Kowalski", "Haddad", "Tanaka", "Moreau",
        "Silva", "Ivanova", "Brown", "Patel", "Murphy", "Kim", "Rossi", "Jensen", "Cohen",
        "Mensah", "Larsen", "Ortiz")
