import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

SESSION_KEY = "staff_last_seen"


class StaffSessionMiddleware:
    """Ends a clinician's or admin's session after STAFF_IDLE_TIMEOUT seconds without a request.

    Staff screens show many people's answers; a screen left open in a clinic must lock itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_clinic_staff:
            now = int(time.time())
            last_seen = request.session.get(SESSION_KEY)
            if last_seen is not None and now - last_seen > settings.STAFF_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "You were signed out after 15 minutes without activity.")
                return redirect("login")
            request.session[SESSION_KEY] = now
        return self.get_response(request)
