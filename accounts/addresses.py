"""The one form of an e-mail address: what accounts store, sign in with and are counted by.

Browsers and scripts send addresses with stray whitespace ("name@example.org\\r\\n") or in
another case; each spelling must be the same account and the same rate-limit allowance,
or a newline buys a fresh set of password guesses. Accounts are stored lower-cased whole
(the local part too: no mail provider a clinic's patients use tells cases apart).
"""


def email_normalise(value: object) -> str:
    """`value` stripped of whitespace at both ends (\\r, \\n, \\t, Unicode spaces) and lower-cased."""
    return str(value or "").strip().lower()


def posted_login_email(group, request) -> str:
    """The address typed on /login/, for its rate limit (a django-ratelimit key)."""
    return email_normalise(request.POST.get("username", ""))


def posted_email(group, request) -> str:
    """The address typed on sign-up or password reset, for their rate limits."""
    return email_normalise(request.POST.get("email", ""))


def axes_username(request, credentials: dict | None) -> str:
    """The address django-axes counts failures under (AXES_USERNAME_CALLABLE)."""
    source = credentials if credentials and "username" in credentials else request.POST
    return email_normalise(source.get("username", ""))
