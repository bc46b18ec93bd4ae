from django.shortcuts import render

from accounts.access import admin_required


@admin_required
def audit_log(request):
    return render(request, "audit/log.html")
