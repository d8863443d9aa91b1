"""Celery tasks of accounts: build a data export (on the documents queue), delete old ones."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask

log = logging.getLogger(__name__)


@shared_task(base=DjangoTask, name="accounts.build_export")
def build_export(export_id: str) -> None:
    """Write a student's data export (reports as PDF, recordings, resumes) to one zip."""
    from accounts import privacy

    privacy.export_build(export_id)


@shared_task(name="accounts.delete_expired_exports")
def delete_expired_exports() -> int:
    """Delete the data exports whose download time is over."""
    from accounts import privacy

    deleted = privacy.exports_delete_expired()
    if deleted:
        log.info("Deleted %d expired data exports", deleted)
    return deleted
