from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.paginator import Paginator
from django.db import connections
from django.utils import timezone
from django.utils.functional import cached_property

from audit.services import audit_record

from .models import User
from .services import second_factor_reset


class EstimatedCountPaginator(Paginator):
    """The admin's paginator, counting an unfiltered list of a big table from PostgreSQL's
    statistics rather than with COUNT(*), which reads every row (200,000 accounts at a
    million intakes) on every page. A filter or a search counts exactly: those lists are
    small, and there the number is what the admin asked for."""

    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and not query.distinct:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT reltuples::bigint FROM pg_class "
                                   "WHERE oid = %s::regclass", [queryset.model._meta.db_table])
                    row = cursor.fetchone()
                if row and row[0] > self.ESTIMATE_ABOVE:
                    return int(row[0])
        return super().count


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    # Django counts the list twice (the page's rows and "N total"); with it off, once.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ("email", "full_name", "is_active")
    list_filter = ("groups", "is_active")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Clinic role", {"fields": ("groups", "is_active")}),
        ("Admin site", {"fields": ("is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",),
                             "fields": ("email", "full_name", "password1", "password2", "groups")}),)
    filter_horizontal = ("groups",)
    actions = ["reset_second_factor"]

    @admin.action(description="Reset two-step sign-in (lost phone): they set it up again")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor_reset(user=user, actor=request.user, request=request)
        self.message_user(request, f"Two-step sign-in reset for {queryset.count()} account(s).")

    def save_model(self, request, obj, form, change):
        if not change and obj.email_confirmed_at is None:
            obj.email_confirmed_at = timezone.now()  # an admin made it: the address is taken as given
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        """Accounts are never deleted: untick "active" instead.

        Deleting one would take a patient's intakes with it, and the audit log (append-only,
        refused by a database trigger) still names the account.
        """
        return False

    # People's names and e-mail addresses are patient data: opening the list, an account or
    # a change of one is written to the audit log like any other view of it (never the
    # search words, which are names).
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit_record(actor=request.user, action="view", object_type="user_list",
                         request=request)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code in (200, 302):
            changed = request.method == "POST" and response.status_code == 302
            audit_record(actor=request.user, action="change" if changed else "view",
                         object_type="user", object_id=object_id, request=request)
        return response


# django-axes' lists of failed sign-ins name the addresses typed (people's e-mail addresses):
# opening them is audited like the accounts list. Unlocking an account is deleting its rows.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit_record(actor=request.user, action="view", object_type="access_attempt_list",
                         request=request)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code in (200, 302):
            audit_record(actor=request.user, action="view", object_type="access_attempt",
                         object_id=object_id, request=request)
        return response
