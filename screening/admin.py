"""Django admin: criteria versions and replays, read-only.

Criteria change only through the criteria editor (/criteria/), whose services validate,
check the safety floor and write the audit log; the admin site only lets staff look.
"""

from django.contrib import admin

from .models import CriteriaVersion, ReplayRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CriteriaVersion)
class CriteriaVersionAdmin(ReadOnlyAdmin):
    list_display = ["version", "status", "created_by", "created_at", "published_at",
                    "retired_at"]
    list_filter = ["status"]
    search_fields = ["version", "note"]


@admin.register(ReplayRun)
class ReplayRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "version", "status", "processed", "total", "moved_total",
                    "created_at"]
    list_filter = ["status"]
