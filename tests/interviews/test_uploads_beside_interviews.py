"""Twenty interviews run while fifty resumes are uploaded, in the production shape: Daphne, a
worker for the interviews' steps and one for documents (two pool processes each), PostgreSQL and
Redis. Every interview finishes and every resume ends ready, or failed with its reason.

Before issue 12, one read in five hung its pool process for good and then the worker's parent,
and no interview got its next question again. The figures are bench/outage.py's.
"""

from __future__ import annotations

import asyncio

import pytest

from bench import mixed
from tests.processes import Worker, needs_services
from tests.resumes import resume_pdfs

pytestmark = [pytest.mark.django_db(transaction=True), needs_services]

LAYOUTS = (
    resume_pdfs.one_column,
    resume_pdfs.two_columns,
    resume_pdfs.skills_table,
    resume_pdfs.non_english_names,
    resume_pdfs.long_multipage,
)


@pytest.fixture
def workers(service_env):
    """The production shape's workers: one per queue, two pool processes each."""
    started = [
        Worker(service_env, queues=("interviews",), concurrency=2, name="interviews"),
        Worker(service_env, queues=("documents", "speech"), concurrency=2, name="documents"),
    ]
    for worker in started:
        worker.start()
    yield started
    for worker in started:
        worker.stop()


def test_every_interview_finishes_and_every_resume_settles_while_resumes_are_read(
    software, daphne, workers
):
    interviewees = mixed.enrol(20, "candidate")
    uploaders = mixed.enrol(3, "uploader")  # at most 20 resumes each

    outcome = asyncio.run(
        mixed.run(
            daphne.url,
            interviewees=interviewees,
            uploaders=uploaders,
            pdfs=[layout() for layout in LAYOUTS],
            uploads=50,
        )
    )

    summary = outcome.summary()
    print(summary)  # the figures for the record (-s); bench/outage.py measures them
    assert summary["interview_errors"] == {}
    assert summary["interviews_finished"] == 20
    assert summary["refused_uploads"] == {}
    assert sum(summary["resumes"].values()) == 50
    assert summary["resumes"].get("parsing", 0) == 0  # none left being read
    assert summary["failed_without_reason"] == 0
    assert all(worker.ping() for worker in workers)
