"""`manage.py seed_intakes N`: fill an empty database with N realistic intakes for benchmarks.

Answers come from the engine's own generator (screening.engine.properties.random_answers,
spread over the whole answer space) and each is screened by the published criteria, so the
recommendation, the queue fields, the flag rows and the response deadline are what a real
submit would store. Around them: patients (five intakes each, the last sometimes a draft),
contact details, ten clinicians, assignments, decisions, notes and audit rows, over five
years, in the mix of states a working clinic has (most intakes closed, a few percent open).

A million intakes in minutes: batches of 5,000 are made as plain rows by worker processes
(`--jobs`, one a core by default) while this process writes the batch before with COPY
(`iop/table_copy.py`), one transaction a batch. Each batch has its own random generator, so a
seed gives the same data whatever the number of workers. The audit log's monthly partitions
are made for the five years first (else every row would land in the default partition),
and ANALYZE runs at the end: the database here runs without autovacuum, and a benchmark on
stale statistics measures the planner's luck rather than the app.
"""

import multiprocessing
import os
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from contacts.models import ContactDetails
from intake.models import Intake, IntakeFlag
from intake.steps import steps_for
from iop.table_copy import Table, ids_reserve, rows_write
from review.clocks import deadline, tier_of
from review.models import Decision, Note
from screening.engine import screen
from screening.engine.properties import random_answers
from screening.models import Recommendation
from screening.selectors import criteria_compiled, criteria_version_published
from screening.services import recommendation_fields

BATCH = 5000
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
# Tables in the order they are written (parents first).
TABLES = {
    "patients": Table(User, with_id=True),
    "roles": Table(User.groups.through),
    "contacts": Table(ContactDetails),
    "intakes": Table(Intake, with_id=True),
    "recommendations": Table(Recommendation),
    "flags": Table(IntakeFlag),
    "decisions": Table(Decision),
    "notes": Table(Note),
    "audit": Table(AuditEvent),
}


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


@dataclass(frozen=True)
class Plan:
    """What every batch needs, the same for all of them (handed to the worker processes)."""
    seed: int
    tag: str
    now: datetime
    start: datetime
    step: timedelta
    clinician_ids: tuple[int, ...]
    patient_group_id: int
    version_id: int
    version_number: int


@dataclass(frozen=True)
class Batch:
    first: int  # intakes first..last-1
    last: int
    intake_ids: list[int]
    patients: dict[int, int]  # number of each person with an intake here -> their id


_plan: Plan | None = None
_criteria = None


def _worker_start(plan: Plan, criteria) -> None:
    global _plan, _criteria
    _plan = plan
    _criteria = criteria


def batch_rows(batch: Batch) -> dict[str, list[tuple]]:
    """Every row of one batch of intakes, as tuples for `rows_write` (no database)."""
    plan = _plan
    assert plan is not None, "_worker_start first"
    rng = random.Random(f"{plan.seed}:{batch.first}")
    out: dict[str, list[tuple]] = {name: [] for name in TABLES}
    for number, patient_id in batch.patients.items():
        if number * INTAKES_PER_PATIENT < batch.first:
            continue  # made by the batch before, where their first intake is
        out["patients"].append(TABLES["patients"].row(
            # An unusable password (no hashing): nobody signs in as these people.
            id=patient_id, email=PATIENT_EMAIL.format(n=f"{plan.tag}-{number}"),
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", password=make_password(None),
            date_joined=plan.start + plan.step * number * INTAKES_PER_PATIENT))
        out["roles"].append(TABLES["roles"].row(user_id=patient_id,
                                                group_id=plan.patient_group_id))
        out["contacts"].append(_contact(rng, plan, patient_id))
    for n, intake_id in zip(range(batch.first, batch.last), batch.intake_ids, strict=True):
        _intake_rows(rng, plan, out, n, intake_id, batch.patients[n // INTAKES_PER_PATIENT])
    return out


def _intake_rows(rng, plan: Plan, out: dict, n: int, intake_id: int, patient_id: int) -> None:
    status = status_for(rng, n % INTAKES_PER_PATIENT == INTAKES_PER_PATIENT - 1)
    answers = random_answers(rng)
    at = plan.start + plan.step * n
    intake = {"id": intake_id, "patient_id": patient_id, "status": status,
              "created_at": at, "updated_at": at,
              "steps_done": [step.slug for step in steps_for(answers)], "answers": answers}
    if status == Intake.Status.DRAFT:
        # Half-answered: the first few answers only, never screened.
        intake["answers"] = dict(list(answers.items())[:rng.randint(1, 6)])
        intake["steps_done"] = []
        out["intakes"].append(TABLES["intakes"].row(**intake))
        return
    result = _screened(answers, n)
    flags = result["flags"]
    submitted = at + timedelta(minutes=rng.randint(5, 90))
    urgent = "urgent" in flags
    intake.update(signature_name="Signed", consented_at=submitted, submitted_at=submitted,
                  updated_at=submitted, urgent=urgent, recommended_level=result["level"],
                  clock_started_at=submitted,
                  respond_by=deadline(submitted, tier_of(urgent=urgent, flags=flags)))
    assigned = opened = contact = decided = None
    if status != Intake.Status.SUBMITTED:
        assigned = rng.choice(plan.clinician_ids)
        opened = submitted + timedelta(hours=rng.randint(1, 48))
        contact = opened + timedelta(hours=1)
        intake.update(assigned_to_id=assigned, first_opened_at=opened, first_contact_at=contact)
    if status in (Intake.Status.DECIDED, Intake.Status.CLOSED):
        decided = opened + timedelta(hours=rng.randint(1, 72))
        level = result["level"] if rng.random() < 0.85 else rng.choice(LEVELS)
        intake.update(decided_at=decided, decided_level=level, updated_at=decided)
    out["intakes"].append(TABLES["intakes"].row(**intake))

    out["recommendations"].append(TABLES["recommendations"].row(
        intake_id=intake_id, criteria_version_id=plan.version_id, created_at=submitted,
        **result))
    out["flags"] += [TABLES["flags"].row(intake_id=intake_id, flag=flag) for flag in flags]
    audit = TABLES["audit"]
    out["audit"].append(audit.row(at=submitted, actor_id=patient_id, actor_role="patient",
                                  action="submit", object_type="intake",
                                  object_id=str(intake_id), intake_id=intake_id,
                                  detail={"criteria_version": plan.version_number}))
    if assigned:
        out["audit"].append(audit.row(at=opened, actor_id=assigned, actor_role="clinician",
                                      action="view", object_type="intake",
                                      object_id=str(intake_id), intake_id=intake_id,
                                      detail={}))
        if rng.random() < 0.3:
            out["notes"].append(TABLES["notes"].row(intake_id=intake_id, author_id=assigned,
                                                    text=rng.choice(NOTE_TEXTS),
                                                    created_at=contact))
    if decided:
        level = intake["decided_level"]
        accepted = level == result["level"]
        out["decisions"].append(TABLES["decisions"].row(
            intake_id=intake_id, recommended_level=result["level"], indicated_level=level,
            start_level=level, accepted=accepted,
            reason_code="" if accepted else rng.choice(Decision.OverrideReason.values),
            reason_text="" if accepted else "Discussed with the person.",
            decided_by_id=assigned, decided_at=decided))
        out["audit"].append(audit.row(at=decided, actor_id=assigned, actor_role="clinician",
                                      action="decide", object_type="intake",
                                      object_id=str(intake_id), intake_id=intake_id,
                                      detail={"level": level}))


def _screened(answers: dict, n: int) -> dict:
    return recommendation_fields(screen(answers, _criteria, f"seed-{n}"), _criteria)


def _contact(rng, plan: Plan, patient_id: int) -> tuple:
    # 555-01xx numbers are reserved for fiction: nobody real is ever called.
    return TABLES["contacts"].row(
        patient_id=patient_id, phone=f"+1202555{rng.randint(100, 199):04d}",
        phone_kind=rng.choice(ContactDetails.PhoneKind.values),
        may_call=True, may_text=rng.random() < 0.7, may_leave_voicemail=rng.random() < 0.5,
        best_times=rng.sample(ContactDetails.BestTime.values, rng.randint(0, 2)),
        emergency_name="A relative" if rng.random() < 0.6 else "",
        emergency_relation="sibling", updated_at=plan.now)


class Command(BaseCommand):
    help = "Fill an empty database with N realistic intakes (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("intakes", type=int)
        parser.add_argument("--seed", type=int, default=19, help="random seed (same data)")
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                            help="processes making rows (default: one a core); 1 makes "
                                 "them in this process")
        parser.add_argument("--allow-existing", action="store_true",
                            help="add to a database that already has intakes or people")
        parser.add_argument("--staff-password", default="",
                            help="password of the seeded clinicians (default: none can sign in)")

    def handle(self, *args, intakes, seed, jobs, allow_existing, staff_password, **options):
        verbosity = options["verbosity"]
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("seed_intakes never runs in production.")
        if intakes < 1:
            raise CommandError("N must be at least 1.")
        if jobs < 1:
            raise CommandError("--jobs must be at least 1.")
        if not allow_existing and (Intake.objects.exists()
                                   or User.objects.filter(groups__name="patient").exists()):
            raise CommandError("This database already has intakes or patients; seed_intakes "
                               "fills an empty one (use --allow-existing to add to it).")
        began = time.monotonic()
        now = timezone.now()
        start = now - timedelta(days=365 * YEARS)
        version = criteria_version_published()
        plan = Plan(seed=seed, tag=f"{seed}-{now:%Y%m%d%H%M%S}", now=now, start=start,
                    step=(now - start) / intakes,
                    clinician_ids=tuple(user.pk for user in self.clinicians(staff_password, now)),
                    patient_group_id=Group.objects.get(name="patient").pk,
                    version_id=version.pk, version_number=version.version)
        self.audit_months_ensure(start, now)
        patient_ids = ids_reserve(User, (intakes - 1) // INTAKES_PER_PATIENT + 1)
        intake_ids = ids_reserve(Intake, intakes)
        batches = (Batch(first=first, last=min(first + BATCH, intakes),
                         intake_ids=intake_ids[first:first + BATCH],
                         patients={number: patient_ids[number] for number in range(
                             first // INTAKES_PER_PATIENT,
                             (min(first + BATCH, intakes) - 1) // INTAKES_PER_PATIENT + 1)})
                   for first in range(0, intakes, BATCH))
        done = 0
        for rows in self.made(batches, plan, criteria_compiled(version), jobs):
            with transaction.atomic():
                for name, table in TABLES.items():
                    rows_write(table, rows[name])
            done += len(rows["intakes"])
            if verbosity > 1:
                self.stdout.write(f"{done} intakes ({time.monotonic() - began:.0f} s)")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Seeded {intakes} intakes in {time.monotonic() - began:.0f} s.")

    def made(self, batches, plan: Plan, criteria, jobs: int):
        """Each batch's rows, in order; made by `jobs` processes, one batch ahead of the
        writing (imap keeps their order)."""
        if jobs == 1 or connection.in_atomic_block:
            # Inside a transaction (a test's) the connection cannot be closed for the fork.
            _worker_start(plan, criteria)
            yield from map(batch_rows, batches)
            return
        # The workers are forked: they must not share this process's database connection.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_worker_start, initargs=(plan, criteria)) as pool:
            yield from pool.imap(batch_rows, batches)

    def clinicians(self, password: str, now: datetime) -> list[User]:
        group = Group.objects.get(name="clinician")
        clinicians = []
        for n in range(1, CLINICIANS + 1):
            user, made = User.objects.get_or_create(
                email=CLINICIAN_EMAIL.format(n=n),
                defaults={"full_name": f"Bench Clinician {n}", "is_staff": False,
                          "email_confirmed_at": now})
            if made:
                if password:
                    user.set_password(password)
                else:
                    user.set_unusable_password()
                user.save()
                user.groups.add(group)
            clinicians.append(user)
        return clinicians

    def audit_months_ensure(self, start: datetime, now: datetime) -> None:
        """A partition for each month of the seeded years (PostgreSQL): without them every
        seeded audit row would sit in the default partition, which no real clinic's would."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_partition_ensure(month::date) FROM generate_series("
                           "date_trunc('month', %s::timestamptz AT TIME ZONE 'UTC'), "
                           "%s::timestamptz AT TIME ZONE 'UTC', interval '1 month') AS month",
                           [start, now])


FIRST = ("Alex", "Sam", "Jordan", "Maria", "Wei", "Aisha", "Noah", "Olga", "Tomás", "Priya",
         "Kwame", "Lena", "Omar", "Hana", "Diego", "Fatima", "Ivan", "Mei", "Liam", "Zara")
LAST = ("Smith", "Garcia", "Nguyen", "Okafor", "Kowalski", "Haddad", "Tanaka", "Moreau",
        "Silva", "Ivanova", "Brown", "Patel", "Murphy", "Kim", "Rossi", "Jensen", "Cohen",
        "Mensah", "Larsen", "Ortiz")
