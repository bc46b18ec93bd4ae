from celery import shared_task

from .partitions import audit_partitions_ensure


@shared_task
def create_audit_partitions() -> dict[str, str]:
    """Beat, daily: the audit log's partitions for this month and the next ones."""
    return audit_partitions_ensure()
