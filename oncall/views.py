"""The on-call roster pages (admins): list, add, change, end a shift."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import admin_required

from .forms import ShiftForm
from .models import Shift
from .selectors import roster_for_page
from .services import RosterError, shift_add, shift_change, shift_end


def _name(user) -> str:
    return user.full_name or user.email


@admin_required
@require_GET
def roster(request):
    return render(request, "oncall/roster.html", {**roster_for_page(), "now": timezone.now()})


def _save(request, form: ShiftForm, shift: Shift | None):
    data = form.cleaned_data
    fields = {"clinician": data["clinician"], "starts_at": data["starts_at"],
              "ends_at": data["ends_at"], "backup": data.get("backup")}
    if shift is None:
        return shift_add(actor=request.user, request=request, **fields)
    return shift_change(actor=request.user, shift=shift, request=request, **fields)


def _edit(request, shift: Shift | None):
    form = ShiftForm(request.POST or None, shift=shift)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, shift)
        except RosterError as error:
            form.add_error(error.field, error.message)
        else:
            verb = "added" if shift is None else "changed"
            messages.success(request, f"Shift {verb}: {_name(saved.clinician)} on call "
                                      f"{timezone.localtime(saved.starts_at):%Y-%m-%d %H:%M} to "
                                      f"{timezone.localtime(saved.ends_at):%Y-%m-%d %H:%M}.")
            return redirect("oncall:roster")
    status = 400 if request.method == "POST" else 200
    return render(request, "oncall/shift_form.html", {"form": form, "shift": shift},
                  status=status)


@admin_required
@require_http_methods(["GET", "POST"])
def shift_new(request):
    return _edit(request, None)


@admin_required
@require_http_methods(["GET", "POST"])
def shift_edit(request, pk: int):
    return _edit(request, get_object_or_404(Shift, pk=pk))


@admin_required
@require_POST
def shift_end_view(request, pk: int):
    shift = get_object_or_404(Shift.objects.select_related("clinician"), pk=pk)
    try:
        shift_end(actor=request.user, shift=shift, request=request)
    except RosterError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{_name(shift.clinician)}'s shift has ended.")
    return redirect("oncall:roster")
