"""Reads of resumes, and the bank's vocabulary as this process keeps it."""

from __future__ import annotations

import threading
import time
import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import students_visible_to
from resumes.models import Resume
from resumes.reading.vocabulary import Vocabulary


def resumes_of(user: User) -> QuerySet[Resume]:
    """Return the user's own resumes, newest first, without their Markdown."""
    return Resume.objects.filter(user=user).defer("markdown")


def resume_get(*, user: User, resume_id: uuid.UUID | str) -> Resume:
    """Return one of the user's resumes, or raise 404 (also for anyone else's)."""
    try:
        return resumes_of(user).get(pk=resume_id)
    except (Resume.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def resume_read(*, user: User, resume_id: uuid.UUID | str) -> Resume:
    """Return a resume the user may read: their own, or a student's they coach; else 404."""
    try:
        return (
            Resume.objects.filter(Q(user=user) | Q(user__in=students_visible_to(user)))
            .select_related("user")
            .get(pk=resume_id)
        )
    except (Resume.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


# The vocabulary is rebuilt this often (seconds), so a curator's new keywords are used soon.
VOCABULARY_TTL = 300
_vocabulary: tuple[float, Vocabulary] | None = None
_vocabulary_lock = threading.Lock()


def vocabulary() -> Vocabulary:
    """The bank's vocabulary, built once a few minutes per process."""
    global _vocabulary
    with _vocabulary_lock:
        if _vocabulary is None or time.monotonic() - _vocabulary[0] > VOCABULARY_TTL:
            _vocabulary = (time.monotonic(), Vocabulary.from_bank())
        return _vocabulary[1]


def vocabulary_reset() -> None:
    global _vocabulary
    with _vocabulary_lock:
        _vocabulary = None
