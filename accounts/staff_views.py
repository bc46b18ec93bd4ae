"""Staff administration in the app (admins): invite, change a role, deactivate, reset a
lost second factor. The Django admin site is for superusers only."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_record

from .access import admin_required
from .forms import StaffInviteForm, StaffRoleForm
from .selectors import StaffMember, staff_for_page, staff_member
from .services import (
    StaffRefusal,
    second_factor_reset,
    staff_deactivate,
    staff_invite,
    staff_reactivate,
    staff_role_change,
)


def _member_or_404(pk: int) -> StaffMember:
    member = staff_member(pk)
    if member is None:
        raise Http404
    return member


@admin_required
@require_GET
def staff_list(request):
    # Names and addresses are people's data: reading the list is audited.
    audit_record(actor=request.user, action="view", object_type="staff_list", request=request)
    return render(request, "staff/list.html", {"members": staff_for_page()})


@admin_required
@require_http_methods(["GET", "POST"])
def staff_invite_page(request):
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_invite(actor=request.user, request=request, **form.cleaned_data)
        except StaffRefusal as refusal:
            form.add_error("email", refusal.message)
        else:
            messages.success(request, f"Invitation sent to {user.email}. The link works once, "
                                      f"for 7 days.")
            return redirect("staff:person", pk=user.pk)
    return render(request, "staff/invite.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _person_page(request, member: StaffMember, role_form: StaffRoleForm | None = None,
                 status: int = 200):
    return render(request, "staff/person.html", {
        "member": member, "is_self": member.user.pk == request.user.pk,
        "role_form": role_form or StaffRoleForm(initial={"role": member.role})}, status=status)


@admin_required
@require_GET
def staff_person(request, pk: int):
    member = _member_or_404(pk)
    audit_record(actor=request.user, action="view", object_type="user", object_id=pk,
                 request=request)
    return _person_page(request, member)


@admin_required
@require_POST
def staff_role(request, pk: int):
    member = _member_or_404(pk)
    form = StaffRoleForm(request.POST)
    if form.is_valid():
        try:
            staff_role_change(user=member.user, role=form.cleaned_data["role"],
                              actor=request.user, request=request)
        except StaffRefusal as refusal:
            form.add_error("role", refusal.message)
        else:
            messages.success(request, f"{member.user} is now {form.cleaned_data['role']}.")
            return redirect("staff:person", pk=pk)
    return _person_page(request, member, form, status=400)


def _act(request, pk: int, action, done: str):
    member = _member_or_404(pk)
    try:
        action(user=member.user, actor=request.user, request=request)
    except StaffRefusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done.format(person=member.user))
    return redirect("staff:person", pk=pk)


@admin_required
@require_POST
def staff_deactivate_view(request, pk: int):
    return _act(request, pk, staff_deactivate,
                "{person} is deactivated: they can no longer sign in. Nothing was deleted.")


@admin_required
@require_POST
def staff_reactivate_view(request, pk: int):
    return _act(request, pk, staff_reactivate, "{person} can sign in again.")


@admin_required
@require_POST
def staff_reset_second_factor(request, pk: int):
    return _act(request, pk, second_factor_reset,
                "Two-step sign-in reset for {person}. They were e-mailed a link to set it up "
                "again.")
