import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_ratelimit.decorators import ratelimit

from .access import needs_second_factor, second_factor_url
from .addresses import posted_email, posted_login_email
from .forms import EmailAuthenticationForm, LanguageForm, SignupForm, TokenForm
from .services import (
    address_check_user,
    address_confirm,
    patient_sign_up,
    second_factor_confirm,
    second_factor_enrolment_grant,
    second_factor_enrolment_granted,
    second_factor_enrolment_user,
    second_factor_setup_key,
    second_factor_unsaved_device,
    staff_invitation_accept,
    staff_invitation_user,
    user_language_set,
)

# How long each limited page's window lasts, for the 429 page; the others count per minute.
_LIMIT_WINDOWS = {"signup": gettext_lazy("an hour"),
                  "password_reset": gettext_lazy("an hour"),
                  "confirm-address": gettext_lazy("an hour"),
                  "invitation": gettext_lazy("an hour")}


def ratelimited(request, exception=None):
    match = request.resolver_match
    wait = _LIMIT_WINDOWS.get(match.url_name if match else "", gettext_lazy("a minute"))
    return render(request, "429.html", {"wait": wait}, status=429)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): a plain page."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def home(request):
    """Send each person to where their work is."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home.html")
    if needs_second_factor(user):
        return redirect(second_factor_url(user, reverse("home")))
    if user.is_clinician:
        return redirect("review:queue")
    if user.is_admin_role:
        return redirect("criteria:list")
    if user.is_patient:
        return redirect("intake:home")
    return render(request, "home.html")


@method_decorator(ratelimit(key="ip", rate="20/m", method="POST", block=True), name="post")
@method_decorator(ratelimit(key=posted_login_email, rate="10/m", method="POST", block=True),
                  name="post")
class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def admin_login(request):
    """Django admin's own login page is not used: one login page, with one rate limit and the
    second factor. A signed-in person the admin site refuses is told so (no redirect loop)."""
    next_url = _safe_next(request, default="admin:index")
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
    if needs_second_factor(user):
        return redirect(second_factor_url(user, next_url))
    if admin.site.has_permission(request):
        return redirect(next_url)
    raise PermissionDenied


@method_decorator(ratelimit(key="ip", rate="5/h", method="POST", block=True), name="post")
@method_decorator(ratelimit(key=posted_email, rate="5/h", method="POST", block=True),
                  name="post")
class PasswordResetView(auth_views.PasswordResetView):
    """Each request sends an e-mail: limited per address and per sender."""


# Per e-mail: each sign-up sends a mail to that address. Per client, loose: a shelter's or a
# library's kiosk signs many people up from one address.
@ratelimit(key="ip", rate="60/h", method="POST", block=True)
@ratelimit(key=posted_email, rate="3/h", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def signup(request):
    """The same answer whether or not the address has an account (see patient_sign_up)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None, initial={
        "language": translation.get_supported_language_variant(translation.get_language())})
    if request.method == "POST" and form.is_valid():
        patient_sign_up(**form.cleaned_data)
        return render(request, "registration/signup_check_mail.html",
                      {"email": form.cleaned_data["email"]})
    return render(request, "registration/signup.html", {"form": form})


@require_POST
def language_set(request):
    """The language form in every page's header (no script needed): the page comes back in
    the chosen language, and a signed-in patient's account keeps it for pages and e-mails."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect(_safe_next(request))
    language = form.cleaned_data["language"]
    if request.user.is_authenticated and not request.user.is_clinic_staff:
        user_language_set(user=request.user, language=language)
    response = redirect(_safe_next(request))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                        max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax",
                        secure=request.is_secure(), httponly=True)
    return response


@ratelimit(key="ip", rate="30/h", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def confirm_address(request, uidb64: str, token: str):
    """The link mailed at sign-up. Opening it shows a button (mail scanners open links and
    must not use them up); pressing it confirms the address."""
    user = address_check_user(uidb64, token)
    if user is None:
        return render(request, "registration/confirm_address.html", {"valid": False},
                      status=400 if request.method == "POST" else 200)
    if request.method == "POST":
        address_confirm(user=user)
        messages.success(request, _("Your e-mail address is confirmed. Sign in to start."))
        return redirect("login")
    return render(request, "registration/confirm_address.html", {"valid": True})


def _safe_next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: redirect() would read anything else without a slash as the
    # name of a view (markup in `next` was a 500), and another host is never followed.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
@ratelimit(key="user", rate="10/m", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Staff add an authenticator app: scan the code, type one token to confirm it.

    The secret is this session's own (see services): someone else signed in with the same
    password sees another one, and once a device is confirmed this page only sends to the
    code check; replacing a device is an admin's reset.
    """
    if not request.user.is_clinic_staff:
        return redirect("home")
    if any(True for _ in devices_for_user(request.user, confirmed=True)):
        return redirect(f"{reverse('accounts:2fa-verify')}?next={_safe_next(request)}")
    if not second_factor_enrolment_granted(request.session, request.user):
        # A password alone never enrols: the link in an invitation or a reset mail does.
        return render(request, "accounts/2fa_needs_link.html", status=403)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_confirm(user=request.user, session=request.session,
                                       token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            messages.success(request, "Two-step sign-in is on for your account.")
            return redirect(_safe_next(request))
        form.add_error("token", "That code did not match. Check the time on your phone and "
                                "enter the newest code.")
    device = second_factor_unsaved_device(user=request.user,
                                          key=second_factor_setup_key(request.session))
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/2fa_setup.html", {
        "form": form, "qr": _qr_data_uri(device.config_url), "secret": secret,
        "next": _safe_next(request),
    })


@login_required
@ratelimit(key="user", rate="10/m", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('accounts:2fa-setup')}?next={_safe_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", "That code did not match. Enter the newest code from your app.")
    return render(request, "accounts/2fa_verify.html", {"form": form,
                                                        "next": _safe_next(request)})


@ratelimit(key="ip", rate="30/h", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """The link in a staff invitation: the invited person sets their own password, is
    signed in, and goes on to enrol their second factor in this same session."""
    user = staff_invitation_user(token)
    if user is None:
        return render(request, "registration/staff_invitation.html", {"valid": False},
                      status=400 if request.method == "POST" else 200)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        staff_invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        second_factor_enrolment_grant(request.session, user)
        messages.success(request, "Your password is set. Now set up two-step sign-in.")
        return redirect(f"{reverse('accounts:2fa-setup')}?next={reverse('home')}")
    return render(request, "registration/staff_invitation.html",
                  {"valid": True, "form": form, "invited": user},
                  status=400 if request.method == "POST" else 200)


@login_required
@ratelimit(key="user", rate="10/m", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request, token: str):
    """The link mailed after an admin's reset. Opening it shows a button (mail scanners
    open links); pressing it, signed in as its owner, opens enrolment in this session."""
    user = second_factor_enrolment_user(token)
    if user is None or user.pk != request.user.pk:
        return render(request, "accounts/2fa_enrol.html", {"valid": False},
                      status=400 if request.method == "POST" else 200)
    if request.method == "POST":
        second_factor_enrolment_grant(request.session, user)
        return redirect(f"{reverse('accounts:2fa-setup')}?next={reverse('home')}")
    return render(request, "accounts/2fa_enrol.html", {"valid": True})


def healthz(request):
    """503 when the database does not answer; 200 otherwise, with "ok", or "degraded" and
    the checks that failed: urgent alerts cannot reach anyone (an empty on-call roster,
    undelivered urgent alerts), or the cache is down (sign-in works, rate limits count per
    process). Names checks only, never a patient.

    Degraded is a 200 on purpose: a load balancer takes a 503 instance out of rotation, and
    an empty roster or a cache outage is not this instance's fault; taking every instance out
    would also stop patients from saving their intakes. A monitor alerts on the first word.
    """
    from django.core.cache import cache
    from django.db import connection

    from review.alerts import delivery_checks

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    failing = delivery_checks()
    reachable = getattr(cache, "reachable", None)
    if reachable is not None and not reachable():
        failing.append("cache_unavailable_rate_limits_per_process")
    if failing:
        return HttpResponse("degraded\n" + "".join(f"{check}\n" for check in failing),
                            content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
