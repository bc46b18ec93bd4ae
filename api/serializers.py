"""The REST API's shapes. Read-only: integrations read intakes; they write only through the
FHIR import. No name, e-mail or phone number is in any of them: an intake is its id."""

from rest_framework import serializers

from intake.models import Intake
from review.models import Decision, Program
from screening.models import LEVEL_CHOICES, CriteriaVersion, Recommendation

STATES = [Intake.Status.SUBMITTED, Intake.Status.IN_REVIEW, Intake.Status.DECIDED,
          Intake.Status.CLOSED]


class IntakeFilters(serializers.Serializer):
    """The list's filters: ids, dates, states and codes only, never a name or an address."""

    state = serializers.ChoiceField(choices=STATES, required=False,
                                    help_text="One state; any state after submit by default.")
    level = serializers.ChoiceField(choices=LEVEL_CHOICES, required=False,
                                    help_text="The recommended level.")
    flag = serializers.RegexField(r"^[a-z_]{1,40}$", required=False,
                                  help_text="A flag code, e.g. urgent or safety_followup.")
    submitted_from = serializers.DateField(required=False, help_text="First day, inclusive.")
    submitted_to = serializers.DateField(required=False, help_text="Last day, inclusive.")

    # The pagination's own parameters, read by the paginator rather than here.
    PAGING = frozenset({"cursor", "page_size"})

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields) - self.PAGING
        if unknown:
            # Refused rather than ignored: a caller trying ?email= must not think it searched.
            raise serializers.ValidationError(dict.fromkeys(
                sorted(unknown), "Not a filter: intakes are narrowed by state, level, flag "
                                 "and dates only, never by name or e-mail."))
        start, end = attrs.get("submitted_from"), attrs.get("submitted_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"submitted_to": "The last day is before the first day."})
        for name in ("submitted_from", "submitted_to"):
            if name in attrs and not 2000 <= attrs[name].year <= 2100:
                raise serializers.ValidationError({name: "Give a date from 2000 to 2100."})
        return attrs


class IntakeSummary(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text="e.g. IN-000042")
    state = serializers.CharField(source="status")
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Intake
        fields = ["id", "number", "kind", "follows", "state", "submitted_at", "urgent",
                  "recommended_level", "decided_level", "decided_at", "flags"]
        extra_kwargs = {"kind": {"help_text": "intake: a first screen; rescreen: a re-screen "
                                              "during care (measurement-based care)."},
                        "follows": {"help_text": "For a re-screen, the id of the intake whose "
                                                 "care it continues."}}

    def get_flags(self, intake: Intake) -> list[str]:
        return sorted(row.flag for row in intake.flag_rows.all())


class ReasonSerializer(serializers.Serializer):
    id = serializers.CharField()
    level = serializers.CharField()
    reason = serializers.CharField()


class FlagReasonSerializer(serializers.Serializer):
    id = serializers.CharField()
    reason = serializers.CharField()


class RecommendationSerializer(serializers.ModelSerializer):
    criteria_version = serializers.SlugRelatedField(slug_field="version", read_only=True)
    reasons = ReasonSerializer(many=True, help_text="Each matched rule with its reason.")
    flag_reasons = FlagReasonSerializer(many=True,
                                        help_text="Each flag with its words in that version.")
    rules = serializers.ListField(child=serializers.CharField())
    flags = serializers.ListField(child=serializers.CharField())
    scores = serializers.DictField(child=serializers.FloatField(allow_null=True))
    bands = serializers.DictField(child=serializers.CharField())

    class Meta:
        model = Recommendation
        fields = ["level", "criteria_version", "rules", "reasons", "flags", "flag_reasons",
                  "severity",
                  "suicide_risk", "withdrawal_risk", "scores", "bands", "created_at"]


class DecisionSerializer(serializers.ModelSerializer):
    program_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Decision
        fields = ["recommended_level", "indicated_level", "start_level", "accepted",
                  "reason_code", "reason_text", "program_id", "next_steps", "decided_at"]


class IntakeDetail(IntakeSummary):
    answers = serializers.DictField(help_text="The answers, in the SPEC §3 shape.")
    recommendation = RecommendationSerializer(allow_null=True, source="recommendation_or_none")
    decision = DecisionSerializer(allow_null=True, source="decision_or_none")

    class Meta(IntakeSummary.Meta):
        fields = [*IntakeSummary.Meta.fields, "answers", "recommendation", "decision"]


class CriteriaVersionSerializer(serializers.ModelSerializer):
    document = serializers.DictField(help_text="The criteria: cut-offs, rules and flags.")

    class Meta:
        model = CriteriaVersion
        fields = ["id", "version", "status", "note", "created_at", "published_at",
                  "retired_at", "document"]


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "name", "level", "schedule", "hours_per_week", "next_steps",
                  "contact", "active"]
