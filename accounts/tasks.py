"""Background work of accounts: thin tasks that take ids and call a service."""

from celery import shared_task

from .mail import account_mail_pending_ids, account_mail_send
from .services import accounts_purge_unconfirmed


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=300,
             retry_kwargs={"max_retries": 5}, acks_late=True)
def send_account_mail(mail_id: int) -> bool:
    """Send one account mail; a silent or failing mail server is retried with backoff."""
    return account_mail_send(mail_id=mail_id)


@shared_task
def send_pending_account_mail() -> int:
    """Sweep, every minute: send what the broker could not take when it was written."""
    ids = account_mail_pending_ids()
    for mail_id in ids:
        try:
            account_mail_send(mail_id=mail_id)
        except Exception:  # noqa: S112 - attempts and the error are recorded on the row
            continue
    return len(ids)


@shared_task
def purge_unconfirmed_accounts() -> int:
    """Nightly: sign-ups never confirmed, and old sent account mail, are deleted."""
    return accounts_purge_unconfirmed()
