"""A calibration round and the clinicians' blind ratings of its cases.

The cases are the public test cases (synthetic people, not patients), copied into the round
when it opens with the engine's answer under the criteria published then, so a round reads
the same after the cases' folder or the criteria change. Nothing here points at an intake:
calibration never enters the queue, the reports or the outcome figures.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from screening.models import LEVEL_CHOICES, CriteriaVersion

LEVEL_CODES = [code for code, _ in LEVEL_CHOICES]


class CalibrationRound(models.Model):
    name = models.CharField(max_length=120)
    criteria_version = models.ForeignKey(CriteriaVersion, on_delete=models.PROTECT,
                                         related_name="+")
    # [{"id", "note", "answers", "expect", "engine": {"level", "reasons": [{id, level,
    # reason}], "flags", "scores", "bands"}}], in the cases' file order.
    cases = models.JSONField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def case_ids(self) -> list[str]:
        return [case["id"] for case in self.cases]

    def case(self, case_id: str) -> dict | None:
        return next((case for case in self.cases if case["id"] == case_id), None)


class CalibrationRating(models.Model):
    """One clinician's level for one case, given before seeing the engine's. Final: a
    rating changed after the answer was shown would no longer be blind."""

    round = models.ForeignKey(CalibrationRound, on_delete=models.CASCADE,
                              related_name="ratings")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="calibration_ratings")
    case_id = models.CharField(max_length=100)
    level = models.CharField(max_length=12, choices=LEVEL_CHOICES)
    note = models.TextField(blank=True, max_length=2000)
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "clinician", "rated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "clinician", "case_id"],
                                    name="calibration_one_rating_per_case"),
            models.CheckConstraint(condition=Q(level__in=LEVEL_CODES),
                                   name="calibration_rating_level_known"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.level}"
