"""A student's data rights: the log of staff reads of their work, the export of everything
Rehearse holds about them, and the erasure of their account.

The apps built on accounts take part through accounts.signals: each adds its files to an export
(`personal_data`) and erases what the account's deletion would not (`account_erasing`). Files go
with their rows: django-cleanup deletes a FileField's file once the deletion commits.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, cast

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.models import Session
from django.core.files.base import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from accounts import tasks
from accounts.models import (
    EXPORT_DAYS,
    AccessRecord,
    Accommodations,
    DataExport,
    Invitation,
    Membership,
    Organization,
    User,
)
from accounts.signals import account_erasing, personal_data
from config.errors import Refused

log = logging.getLogger(__name__)

Entry = tuple[str, bytes | str | File]

EXPORT_README = """\
Everything Rehearse holds about {email}, exported on {day}.

profile.json      your account, career centre, cohorts, accommodations and sign-in methods
access-log.json   when a coach, an administrator or site staff read your work
interviews/       one folder per interview: every question, answer, evaluation and event
                  (interview.json), the report (report.json, report.pdf), coaches' reviews
                  (reviews.json) and the recordings still kept (recordings/)
resumes/          each resume you uploaded and what was read from it (reading.json)
"""


# --- The access log ---------------------------------------------------------------------------


def access_record(
    *, viewer: User, student: User, what: str, object_id: object = "", label: str = ""
) -> None:
    """Log that someone other than the student read the student's work."""
    if viewer.pk == student.pk:
        return
    membership = viewer.membership
    role = membership.get_role_display() if membership else "Site staff"
    AccessRecord.objects.create(
        student=student,
        viewer=viewer,
        viewer_name=f"{viewer.name} <{viewer.email}>" if viewer.name else viewer.email,
        viewer_role=role,
        organization_id=membership.organization_id if membership else None,
        what=what,
        object_id=str(object_id),
        label=label[:200],
    )


def accesses_of(student: User) -> QuerySet[AccessRecord]:
    """The reads of the student's work, newest first (for the student)."""
    return AccessRecord.objects.filter(student=student)


def accesses_in(organization: Organization) -> QuerySet[AccessRecord]:
    """The reads of the organisation's members' work, by anyone, newest first (for its
    administrators)."""
    members = Membership.objects.filter(organization=organization).values("user_id")
    return AccessRecord.objects.filter(student_id__in=members).select_related("student")


# --- Export -----------------------------------------------------------------------------------


def export_current(user: User) -> DataExport | None:
    """The user's export being built, else the newest one still downloadable."""
    return (
        user.exports.filter(status=DataExport.Status.BUILDING).first()
        or user.exports.filter(
            status=DataExport.Status.READY, expires_at__gt=timezone.now()
        ).first()
    )


def export_request(*, user: User) -> DataExport:
    """Have a worker build a new export, unless one is being built already."""
    lost = timezone.now() - timedelta(hours=1)  # its worker died: build it again
    user.exports.filter(status=DataExport.Status.BUILDING, created_at__lt=lost).update(
        status=DataExport.Status.FAILED, error="It took too long; it is being prepared again."
    )
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
            tasks.build_export.delay_on_commit(str(export.pk))
    except IntegrityError:  # one at a time: a second tab asked too
        return user.exports.get(status=DataExport.Status.BUILDING)
    return export


def export_build(export_id: str) -> None:
    """Write the export's zip; a failure leaves it `failed` with a message, and no file."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.BUILDING:
        return
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                for path, content in _entries(export.user):
                    _write(archive, path, content)
            spool.seek(0)
            export.file.save(f"{export.pk}.zip", File(spool), save=False)
    except Exception:
        log.exception("Could not build the data export %s", export_id)
        if export.file:
            export.file.delete(save=False)
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.FAILED,
            error="Your data could not be gathered. Please ask again; if it fails again, "
            "tell your career centre.",
        )
        return
    now = timezone.now()
    ready = DataExport.objects.filter(pk=export.pk, status=DataExport.Status.BUILDING).update(
        file=export.file.name,
        status=DataExport.Status.READY,
        size=export.file.size,
        ready_at=now,
        expires_at=now + timedelta(days=EXPORT_DAYS),
    )
    if not ready:  # the account was erased meanwhile: keep nothing of it
        export.file.delete(save=False)
        return
    for older in export.user.exports.exclude(pk=export.pk).filter(status=DataExport.Status.READY):
        older.delete()  # the newest copy replaces them


def _entries(user: User) -> Iterable[Entry]:
    day = timezone.localdate().isoformat()
    yield "README.txt", EXPORT_README.format(email=user.email, day=day)
    yield "profile.json", as_json(_profile(user))
    yield (
        "access-log.json",
        as_json(
            list(
                accesses_of(user).values(
                    "at", "viewer_name", "viewer_role", "what", "object_id", "label"
                )
            )
        ),
    )
    for _receiver, entries in personal_data.send(sender=User, user=user):
        yield from cast("list[Entry]", entries)


def _profile(user: User) -> dict[str, Any]:
    membership = user.membership
    accommodations = Accommodations.objects.filter(user=user).first()
    return {
        "email": user.email,
        "name": user.name,
        "email_reminders": user.email_reminders,
        "joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "single_sign_on": list(
            SocialAccount.objects.filter(user=user).values("provider", "date_joined")
        ),
        "career_centre": membership
        and {
            "name": membership.organization.name,
            "role": membership.role,
            "joined": membership.joined_at,
        },
        "cohorts": list(user.cohorts.values_list("name", flat=True)),
        "coached_cohorts": list(user.coached_cohorts.values_list("name", flat=True)),
        "accommodations": accommodations
        and {
            "extra_think_seconds": accommodations.extra_think_seconds,
            "extra_pause_seconds": accommodations.extra_pause_seconds,
            "answer_limit_minutes": accommodations.answer_limit_minutes,
            "text_instead_of_voice": accommodations.text_instead_of_voice,
        },
    }


def as_json(data: object) -> str:
    """The export's JSON: indented, dates in ISO 8601, text as written."""
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _write(archive: zipfile.ZipFile, path: str, content: bytes | str | File) -> None:
    if isinstance(content, bytes | str):
        archive.writestr(path, content)
        return
    with content.open("rb") as source, archive.open(path, "w") as target:
        shutil.copyfileobj(source, target, length=1 << 20)


def exports_delete_expired(*, now: Any = None) -> int:
    """Delete the exports past their download time, and the failed ones after a day."""
    now = now or timezone.now()
    expired = DataExport.objects.filter(expires_at__lt=now) | DataExport.objects.filter(
        status=DataExport.Status.FAILED, created_at__lt=now - timedelta(days=1)
    )
    deleted = 0
    for export in expired:  # one by one, so that each file goes with its row
        export.delete()
        deleted += 1
    return deleted


# --- Erasure ----------------------------------------------------------------------------------


def account_erase(*, user: User) -> None:
    """Erase the account: everything about the user goes, their organisation's analytics keep
    only anonymous counts. A career centre's last administrator must hand over first."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        membership = user.membership
        if membership is not None and membership.role == Membership.Role.ADMIN:
            admins = Membership.objects.select_for_update().filter(
                organization_id=membership.organization_id, role=Membership.Role.ADMIN
            )
            if len(admins) == 1:
                raise Refused(
                    "last_admin",
                    f"You are the last administrator of {membership.organization.name}; make "
                    "someone else an administrator before you delete your account.",
                )
        account_erasing.send(sender=User, user=user)
        addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        emails = {address.lower() for address in addresses}
        emails.add(user.email.lower())
        Invitation.objects.annotate(address=Lower("email")).filter(address__in=emails).delete()
        _sessions_of(user).delete()
        # Their reads of others' work stay in those students' logs, by role only.
        AccessRecord.objects.filter(viewer=user).update(viewer_name="A deleted account")
        user.delete()
    log.info("Erased account %s", user.pk)


def _sessions_of(user: User) -> QuerySet[Session]:
    """The user's signed-in sessions (the session table knows users only inside its data)."""
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    return Session.objects.filter(pk__in=mine)
