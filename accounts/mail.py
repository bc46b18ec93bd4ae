"""Account mail through an outbox: written with the request, sent by a worker.

The same shape as review's notifications: a row, a task handed to the broker once the row
is committed, a sweep for what the broker could not take, and errors that name the row and
the error's type only (an SMTP error's text names the recipient).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import AccountMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


class AccountMailNotSent(Exception):
    """A send failed; its text holds the row's id and the error type, never the address."""


def account_mail_queue(*, kind: str, to: str, subject: str, body: str) -> AccountMail:
    """Save one mail and hand it to the broker once the caller's transaction commits."""
    mail = AccountMail.objects.create(kind=kind, to_address=to, subject=subject[:200],
                                      body=body)
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int) -> None:
    from .tasks import send_account_mail

    try:
        send_account_mail.delay(mail_id)
    except Exception as error:  # the broker is down: the row stays pending for the sweep
        logger.warning("account mail %s left pending: broker unavailable (%s)", mail_id,
                       type(error).__name__)


def account_mail_send(*, mail_id: int) -> bool:
    """Send one pending mail. Returns False when it was already sent (idempotent).

    The row is locked while sending, so two workers never send it twice; the SMTP
    connection gives up after EMAIL_TIMEOUT seconds. Raises AccountMailNotSent on failure,
    after recording the attempt.
    """
    failure: Exception | None = None
    with transaction.atomic():
        mail = (AccountMail.objects.select_for_update(skip_locked=True)
                .filter(pk=mail_id, sent_at__isnull=True).first())
        if mail is None:
            return False
        mail.attempts += 1
        try:
            send_mail(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to_address])
        except Exception as error:
            failure = error
            mail.last_error = type(error).__name__
            mail.save(update_fields=["attempts", "last_error"])
        else:
            mail.sent_at = timezone.now()
            mail.last_error = ""
            mail.body = ""  # a sent reset link is not kept
            mail.save(update_fields=["attempts", "sent_at", "last_error", "body"])
    if failure is not None:
        error_type, failure = type(failure).__name__, None
        raise AccountMailNotSent(f"account mail {mail_id} not sent: {error_type}") from None
    logger.info("account mail %s (%s) sent", mail.pk, mail.kind)
    return True


def account_mail_pending_ids(*, older_than_seconds: int = 30, limit: int = 500) -> list[int]:
    """Ids of mail still unsent after a while (the broker was down, or retries ran out)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(AccountMail.objects.filter(sent_at__isnull=True, created_at__lte=cutoff,
                                           attempts__lt=MAX_ATTEMPTS)
                .order_by("created_at").values_list("pk", flat=True)[:limit])
