from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "on_call")
    list_filter = ("groups", "is_active", "on_call")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Clinic role", {"fields": ("groups", "on_call", "is_active")}),
        ("Admin site", {"fields": ("is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",),
                             "fields": ("email", "full_name", "password1", "password2", "groups")}),)
    filter_horizontal = ("groups",)

    def has_delete_permission(self, request, obj=None):
        """Accounts are never deleted: untick "active" instead.

        Deleting one would take a patient's intakes with it, and the audit log (append-only,
        refused by a database trigger) still names the account.
        """
        return False
