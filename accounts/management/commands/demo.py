from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import second_factor_enrolment_open, user_create_with_role
from oncall.models import Shift
from review.models import Program

DEMO_ACCOUNTS = [
    # (role, e-mail, name, password): printed for people trying the app, never for production.
    ("patient", "patient@example.com", "Pat Demo", "demo-patient-pass"),
    ("clinician", "clinician@example.com", "Dr. Casey Demo", "demo-clinician-pass"),
    ("admin", "admin@example.com", "Alex Admin", "demo-admin-pass"),
]

PROGRAMS = [
    # (name, level, schedule in words, hours a week, next steps, weekly sessions)
    ("Evening IOP", "iop", "evenings Mon/Tue/Thu, 9 h a week", 9,
     "Our intake coordinator will call you within 2 working days to book your first group.",
     [(0, "18:00", "21:00"), (1, "18:00", "21:00"), (3, "18:00", "21:00")]),
    ("Outpatient counseling", "outpatient", "evenings Wed, 1 h a week", 1,
     "Our intake coordinator will call you within 5 working days to book a first session.",
     [(2, "17:00", "18:00")]),
    ("Residential unit", "inpatient", "round the clock", None,
     "A clinician will call you today to arrange admission.", []),
]


class Command(BaseCommand):
    help = "Create the demo accounts (one patient, one clinician, one admin) and print their logins."

    @transaction.atomic
    def handle(self, *args, **options):
        enrolment_links = []
        for role, email, name, password in DEMO_ACCOUNTS:
            user = user_create_with_role(email=email, full_name=name, password=password,
                                         role=role)
            if role != "patient" and not TOTPDevice.objects.filter(user=user, confirmed=True):
                # A password alone never enrols a second factor; the demo prints the link an
                # invitation would have mailed.
                enrolment_links.append((role, second_factor_enrolment_open(user=user)))
            if role == "clinician" and not Shift.objects.filter(clinician=user,
                                                                ends_at__gt=timezone.now()):
                # On call for the demo's month, so urgent alerts have someone to go to.
                Shift.objects.create(clinician=user, starts_at=timezone.now(),
                                     ends_at=timezone.now() + timedelta(days=30))
        for name, level, schedule, hours, next_steps, sessions in PROGRAMS:
            program, created = Program.objects.get_or_create(name=name, defaults={
                "level": level, "schedule": schedule, "hours_per_week": hours,
                "next_steps": next_steps})
            if created:
                for weekday, starts_at, ends_at in sessions:
                    program.sessions.create(weekday=weekday, starts_at=starts_at,
                                            ends_at=ends_at)
        self.stdout.write("\nDemo accounts (sign in at http://127.0.0.1:8000/login/):")
        for role, email, _, password in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<10} {email:<24} password: {password}")
        for role, path in enrolment_links:
            self.stdout.write(f"  {role}: sign in, then open http://127.0.0.1:8000{path} "
                              f"to set up two-step sign-in")
        self.stdout.write("")
