"""Django admin: the programs admins manage. Decisions and notes are changed only through
the review dashboard, which writes the audit log."""

from django.contrib import admin

from .models import Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "schedule", "hours_per_week", "active")
    list_filter = ("level", "active")
    search_fields = ("name",)
