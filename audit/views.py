"""The audit log (admins only): who viewed or changed what, when, and from where."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import admin_required

from .forms import AuditFilterForm
from .selectors import audit_page


@admin_required
@require_GET
def audit_log(request):
    query = request.GET.copy()
    query.pop("after", None)
    form = AuditFilterForm(query or None)
    events, next_cursor = audit_page(form.filters(), after=request.GET.get("after"))
    return render(request, "audit/log.html", {
        "form": form, "events": events, "next_cursor": next_cursor,
        "filter_query": query.urlencode(), "paged": bool(request.GET.get("after")),
    })
