"""The programs pages (admins): the list, add and change a program with its weekly sessions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import admin_required
from review.models import Program

from .forms import ProgramForm
from .services import ProgramError, program_save, sessions_text


@admin_required
@require_GET
def program_list(request):
    programs = Program.objects.prefetch_related("sessions").order_by("level", "name")
    return render(request, "programs/list.html", {"programs": programs})


def _edit(request, program: Program | None):
    form = ProgramForm(request.POST or None, instance=program,
                       sessions_initial=sessions_text(program) if program else "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in ProgramForm.Meta.fields}
        try:
            saved = program_save(actor=request.user, program=program,
                                 sessions=data["sessions"], request=request,
                                 languages=data["languages_text"], **fields)
        except ProgramError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Program saved: {saved.name}, {saved.schedule}.")
            return redirect("programs:list")
    return render(request, "programs/form.html", {"form": form, "program": program},
                  status=400 if request.method == "POST" else 200)


@admin_required
@require_http_methods(["GET", "POST"])
def program_new(request):
    return _edit(request, None)


@admin_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk: int):
    return _edit(request, get_object_or_404(Program, pk=pk))
