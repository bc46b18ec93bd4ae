"""Background work of the criteria editor: thin tasks that take ids and call a service."""

from celery import shared_task

from .replay import replay_execute


@shared_task(acks_late=True, soft_time_limit=55 * 60, time_limit=60 * 60)
def replay_run(replay_id: int) -> str:
    """Replay a criteria version over past intakes (idempotent: a finished run is kept)."""
    run = replay_execute(replay_id=replay_id)
    return run.status if run is not None else "gone"
