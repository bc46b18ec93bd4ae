from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Shift(models.Model):
    """One stretch of the on-call roster: who is alerted first about urgent intakes, from
    when to when, and the backup who is alerted too when nobody acknowledges in time.

    Who is on call now is the roster's current shifts, nothing else (SPEC §8b).
    """

    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="oncall_shifts")
    starts_at = models.DateTimeField("from")
    ends_at = models.DateTimeField("to")
    backup = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="backup_shifts",
                               help_text="Alerted with every clinician when an urgent alert "
                                         "is not acknowledged in time.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="shift_ends_after_it_starts"),
            models.CheckConstraint(condition=~Q(backup=F("clinician")),
                                   name="shift_backup_is_someone_else"),
        ]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="shift_current")]

    def __str__(self) -> str:
        return f"on call: {self.clinician} {self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%Y-%m-%d %H:%M}"
