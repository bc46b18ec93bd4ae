"""Background work of the criteria editor: thin tasks that take ids and call a service."""

import logging

from celery import shared_task

from .replay import replay_enqueue, replay_execute, replays_stalled

logger = logging.getLogger(__name__)


# acks_late + reject_on_worker_lost: a worker killed mid-run leaves the message with the
# broker, which hands it to another worker; the run resumes after its last saved chunk.
@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=55 * 60,
             time_limit=60 * 60)
def replay_run(replay_id: int) -> str:
    """Replay a criteria version over past intakes (idempotent: a finished run is kept)."""
    run = replay_execute(replay_id=replay_id)
    return run.status if run is not None else "gone"


@shared_task
def requeue_stalled_replays() -> int:
    """Sweep, every few minutes: replays with no progress for REPLAY_STALL_MINUTES (their
    worker died, the broker lost the task) are handed to a worker again."""
    ids = replays_stalled()
    for replay_id in ids:
        logger.warning("replay %s stalled: handed to a worker again", replay_id)
        replay_enqueue(replay_id=replay_id)
    return len(ids)
