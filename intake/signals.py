"""What the intake app tells others without knowing them."""

from django.dispatch import Signal

# A re-screen was submitted and screened (kwargs: intake, recommendation). Sent inside the
# submit's transaction: a receiver's writes commit with it or not at all.
rescreen_submitted = Signal()
