"""Writes of the on-call roster: add, change and end shifts. Admins only; each audited."""

from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record

from .models import Shift


class RosterError(Exception):
    """A roster change refused: the message says why; `field` names the field, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def shift_problem(*, clinician: User, starts_at: datetime, ends_at: datetime,
                  backup: User | None) -> RosterError | None:
    """Why this shift cannot be on the roster, or None. The one place the rules live."""
    if not clinician.is_clinician:
        return RosterError("Only an active clinician can be on call.", "clinician")
    if ends_at <= starts_at:
        return RosterError("The end must be after the start.", "ends_at")
    if backup is not None and backup.pk == clinician.pk:
        return RosterError("The backup must be someone other than the person on call.",
                           "backup")
    if backup is not None and not backup.is_clinician:
        return RosterError("Only an active clinician can be the backup.", "backup")
    return None


def _audit(*, actor: User, shift: Shift, action: str, request: HttpRequest | None,
           detail: dict | None = None) -> None:
    audit_record(actor=actor, action=action, object_type="oncall_shift", object_id=shift.pk,
                 request=request, detail={"clinician": shift.clinician_id,
                                          "backup": shift.backup_id,
                                          "from": shift.starts_at.isoformat(),
                                          "to": shift.ends_at.isoformat(), **(detail or {})})


def _require_admin(actor: User) -> None:
    if not actor.is_admin_role:
        raise RosterError("Only admins keep the on-call roster.")


@transaction.atomic
def shift_add(*, actor: User, clinician: User, starts_at: datetime, ends_at: datetime,
              backup: User | None = None, request: HttpRequest | None = None) -> Shift:
    """Put a shift on the roster. Returns it; raises RosterError (naming the field)."""
    _require_admin(actor)
    problem = shift_problem(clinician=clinician, starts_at=starts_at, ends_at=ends_at,
                            backup=backup)
    if problem:
        raise problem
    shift = Shift.objects.create(clinician=clinician, starts_at=starts_at, ends_at=ends_at,
                                 backup=backup, created_by=actor)
    _audit(actor=actor, shift=shift, action=AuditEvent.Action.CREATE, request=request)
    return shift


@transaction.atomic
def shift_change(*, actor: User, shift: Shift, clinician: User, starts_at: datetime,
                 ends_at: datetime, backup: User | None = None,
                 request: HttpRequest | None = None) -> Shift:
    """Change a shift. Returns it; raises RosterError (naming the field)."""
    _require_admin(actor)
    problem = shift_problem(clinician=clinician, starts_at=starts_at, ends_at=ends_at,
                            backup=backup)
    if problem:
        raise problem
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if shift.ends_at <= timezone.now():
        raise RosterError("This shift has ended: it stays on the record as it was.")
    shift.clinician, shift.backup = clinician, backup
    shift.starts_at, shift.ends_at = starts_at, ends_at
    shift.save(update_fields=["clinician", "backup", "starts_at", "ends_at"])
    _audit(actor=actor, shift=shift, action=AuditEvent.Action.CHANGE, request=request)
    return shift


@transaction.atomic
def shift_end(*, actor: User, shift: Shift, request: HttpRequest | None = None) -> Shift:
    """End a shift now (a person called away). A shift not begun yet is ended by being
    taken off: it ends where it starts would break the constraint, so it is deleted.
    Returns the shift; raises RosterError when it has already ended."""
    _require_admin(actor)
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    now = timezone.now()
    if shift.ends_at <= now:
        raise RosterError("This shift has already ended.")
    if shift.starts_at >= now:
        _audit(actor=actor, shift=shift, action=AuditEvent.Action.CHANGE, request=request,
               detail={"removed": True})
        shift.delete()
        return shift
    shift.ends_at = now
    shift.save(update_fields=["ends_at"])
    _audit(actor=actor, shift=shift, action=AuditEvent.Action.CHANGE, request=request,
           detail={"ended": True})
    return shift
