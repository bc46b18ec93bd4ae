"""Steps shared by the browser journeys: signing in through the real pages."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def staff_sign_in(page, user, password: str = PASSWORD) -> None:
    """Sign in with the password, then the current code of the user's authenticator app."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="phone",
                                                 defaults={"confirmed": True})
    sign_in(page, user.email, password)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("6-digit code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
