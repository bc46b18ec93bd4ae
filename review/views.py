from django.shortcuts import render

from accounts.access import clinician_required, staff_required


@clinician_required
def queue(request):
    return render(request, "review/queue.html")


@staff_required
def intake_detail(request, pk: int):
    return render(request, "review/queue.html")
