"""The person's own contact details page (the intake asks the same form as a step)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import patient_required

from .forms import ContactDetailsForm
from .selectors import contact_details_of, patient_age
from .services import contact_details_save


@patient_required
def contact_edit(request):
    details = contact_details_of(request.user)
    age = patient_age(request.user)
    if request.method == "POST":
        form = ContactDetailsForm(request.POST, age=age)
        if form.is_valid():
            contact_details_save(patient=request.user, data=form.contact_details(),
                                 request=request)
            messages.success(request, _("Your contact details are saved."))
            return redirect("contacts:edit")
        status = 400
    else:
        form = ContactDetailsForm(details=details, age=age)
        status = 200
    return render(request, "contacts/edit.html", {"form": form, "details": details},
                  status=status)
