import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

SESSION_KEY = "last_seen"
# The activity stamp is written at most this often. Writing it on every request saved the
# session (three queries and a flush) on every staff page; a timeout of minutes loses
# nothing by ending up to a minute late.
STAMP_EVERY = 60


def not_activity(view=None, *, when=None):
    """Mark a view that pages call by themselves (progress polling): it does not count as
    the person being there, so an open page does not keep an idle session alive. With
    `when`, only the requests it returns True for (a page's own automatic refresh)."""

    def mark(view):
        view.counts_as_activity = (lambda request: not when(request)) if when else False
        return view

    return mark(view) if view is not None else mark


def _counts_as_activity(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True
    counts = getattr(match.func, "counts_as_activity", True)
    return counts(request) if callable(counts) else counts


class IdleSessionMiddleware:
    """Ends a session after a while without a request from the person: STAFF_IDLE_TIMEOUT
    for clinicians and admins, PATIENT_IDLE_TIMEOUT (longer) for patients.

    Staff screens show many people's answers, and a patient's holds their own: a screen left
    open in a clinic, a library or a shelter must lock itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timeout = (settings.STAFF_IDLE_TIMEOUT if user.is_clinic_staff
                       else settings.PATIENT_IDLE_TIMEOUT)
            now = int(time.time())
            last_seen = request.session.get(SESSION_KEY)
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
                messages.info(request, _("You were signed out after %(minutes)s minutes "
                                         "without activity.") % {"minutes": timeout // 60})
                return redirect("login")
            if last_seen is None or (now - last_seen >= STAMP_EVERY
                                     and _counts_as_activity(request)):
                request.session[SESSION_KEY] = now
        return self.get_response(request)


class AccountLanguageMiddleware:
    """A signed-in patient's pages in the language stored on their account, and the language
    cookie set to it, so the pages after sign-out stay in it; staff pages in English (they
    are not translated, and a clinician reads each answer in English with the person's
    language shown)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = None
        if user is not None and user.is_authenticated:
            language = "en" if user.is_clinic_staff else user.language
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if language and not user.is_clinic_staff and user.is_authenticated:
            language = user.language  # as the page may just have changed it
        if (language and not user.is_clinic_staff
                and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language):
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                                max_age=settings.LANGUAGE_COOKIE_AGE,
                                samesite="Lax", secure=request.is_secure(), httponly=True)
        return response
