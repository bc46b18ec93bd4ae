from django.conf import settings
from django.db import models
from django.db.models import Q

LEVEL_CHOICES = [
    ("outpatient", "Standard outpatient"),
    ("iop", "Intensive outpatient program (IOP)"),
    ("inpatient", "Inpatient / residential (24-hour care)"),
]


class CriteriaVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # Bulk updates bypass save(): refuse rewriting the criteria of a non-draft here too.
        frozen = {"document", "version"} & set(kwargs)
        if frozen and self.exclude(status=CriteriaVersion.Status.DRAFT).exists():
            raise PermissionError("A published or retired criteria version never changes.")
        return super().update(**kwargs)


class CriteriaVersion(models.Model):
    """One version of the screening criteria: cut-offs, rules and flags as a JSON document.

    draft -> published -> retired. Exactly one version is published at a time; a published
    or retired version never changes, so every stored recommendation can be reproduced.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    version = models.SlugField(max_length=60, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    document = models.JSONField()
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="drafts")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = CriteriaVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="published"),
                                    name="one_published_criteria_version"),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.get_status_display().lower()})"

    def save(self, *args, **kwargs):
        """Refuse to rewrite a published or retired version (the services refuse first).

        A stored recommendation must be reproducible from its version, so once a version has
        left draft only its lifecycle fields (status, retired_at, published_*) may move, and
        only forwards: published -> retired.
        """
        if self.pk is not None:
            stored = (CriteriaVersion.objects.filter(pk=self.pk)
                      .values("status", "version", "document").first())
            if stored and stored["status"] != self.Status.DRAFT:
                if stored["document"] != self.document or stored["version"] != self.version:
                    raise PermissionError(
                        "A published or retired criteria version never changes.")
                allowed = {(self.Status.PUBLISHED, self.Status.PUBLISHED),
                           (self.Status.PUBLISHED, self.Status.RETIRED),
                           (self.Status.RETIRED, self.Status.RETIRED)}
                if (stored["status"], self.status) not in allowed:
                    raise PermissionError(
                        f"A {stored['status']} criteria version cannot become {self.status}.")
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Recommendation(models.Model):
    """What the engine recommended for one submitted intake, pinned to its criteria version."""

    intake = models.OneToOneField("intake.Intake", on_delete=models.CASCADE,
                                  related_name="recommendation")
    criteria_version = models.ForeignKey(CriteriaVersion, on_delete=models.PROTECT,
                                         related_name="recommendations")
    level = models.CharField(max_length=12, choices=LEVEL_CHOICES)
    rules = models.JSONField(default=list)  # matched rule ids, highest level first
    reasons = models.JSONField(default=list)  # [{"id", "level", "reason"}] as shown to staff
    flags = models.JSONField(default=list)
    # [{"id", "reason"}] in the order of `flags`: each flag's words from the pinned criteria,
    # so staff read what the version that raised it meant, as with `reasons`.
    flag_reasons = models.JSONField(default=list)
    severity = models.CharField(max_length=20)
    suicide_risk = models.CharField(max_length=10)
    withdrawal_risk = models.CharField(max_length=10)
    scores = models.JSONField(default=dict)
    bands = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.level} for intake {self.intake_id} ({self.criteria_version.version})"

    @property
    def urgent(self) -> bool:
        return "urgent" in self.flags


class ReplayRun(models.Model):
    """One replay of a criteria version over past submitted intakes, with progress and results.

    `shift` counts intakes by (baseline level, replayed level): {"iop": {"inpatient": 3}}.
    `moved` lists the first MOVED_CAP intakes whose level would change
    ([{"intake_id", "from", "to"}]); `moved_total` counts all of them.
    """

    MOVED_CAP = 500

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE,
                                related_name="replays")
    baseline = models.ForeignKey(CriteriaVersion, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)  # intakes whose answers the engine refused
    shift = models.JSONField(default=dict, blank=True)
    moved = models.JSONField(default=list, blank=True)
    moved_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)  # why it failed; never patient data
    # Where a replay stopped, so a killed worker's run resumes instead of starting again
    # (the last intake id counted) and when it last moved (a run with no progress for
    # REPLAY_STALL_MINUTES is handed to a worker again by a sweep).
    resume_after_id = models.BigIntegerField(default=0)
    progress_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"replay {self.pk} of {self.version.version} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.processed / self.total))

    @property
    def percent_step(self) -> int:
        """The percentage rounded down to a step of 5, for the .w-pct-N bar classes."""
        return self.percent // 5 * 5

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
