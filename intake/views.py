from django.shortcuts import render

from accounts.access import patient_required


@patient_required
def intake_home(request):
    return render(request, "intake/home.html")
