"""Helpers for the account tests."""

from accounts.mail import account_mail_send
from accounts.models import AccountMail


def deliver_account_mail() -> int:
    """Send every pending account mail now, as the worker would. Returns how many."""
    ids = list(AccountMail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))
    for mail_id in ids:
        account_mail_send(mail_id=mail_id)
    return len(ids)
