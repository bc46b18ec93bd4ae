from django.contrib import admin

from .models import Shift


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    """Read here; kept on the roster pages (/oncall/), which audit every change."""

    list_display = ("clinician", "starts_at", "ends_at", "backup")
    list_select_related = ("clinician", "backup")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
