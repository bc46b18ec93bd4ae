from django.contrib import admin

from .models import CalibrationRating, CalibrationRound


# Read-only: a round's cases and engine answers are fixed when it opens, and a rating is
# final (blind); the pages are where rounds are opened and cases rated.
class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalibrationRound)
class CalibrationRoundAdmin(_ReadOnly):
    list_display = ("name", "opened_at", "opened_by", "criteria_version")


@admin.register(CalibrationRating)
class CalibrationRatingAdmin(_ReadOnly):
    list_display = ("round", "clinician", "case_id", "level", "rated_at")
    list_filter = ("round",)
