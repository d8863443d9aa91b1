"""Roster import: the file read and checked row by row (no database), then applied: students put in
cohorts, people on their own joined, strangers invited, and a second upload changing nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services
from accounts.models import Invitation, Membership
from accounts.roster import (
    MAX_ROSTER_BYTES,
    MAX_ROSTER_ROWS,
    Outcome,
    RosterRow,
    roster_read,
    roster_summary_text,
)
from config.errors import Refused
from tests.factories import CohortFactory, UserFactory

COHORTS = ["Class of 2027", "MSc Data Science"]


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _upload(data: bytes, name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


# --- Reading the file ---------------------------------------------------------------------------


def test_it_reads_each_row_with_its_number_in_the_file():
    rows = roster_read(
        _csv(
            "email,name,cohort",
            "Ada@Example.com,Ada Lovelace,class of 2027",
            "grace@example.com,,",
        ),
        cohorts=COHORTS,
    )

    assert rows == [
        RosterRow(row=2, email="ada@example.com", name="Ada Lovelace", cohort="Class of 2027"),
        RosterRow(row=3, email="grace@example.com", name="", cohort=""),
    ]
    assert all(row.outcome == Outcome.PENDING for row in rows)


def test_it_takes_the_columns_in_any_order_a_byte_order_mark_and_blank_lines():
    data = "\ufeffCohort, Email ,Name\r\n\r\nMSc Data Science,ada@example.com,Ada\r\n".encode()

    rows = roster_read(data, cohorts=COHORTS)

    assert rows == [
        RosterRow(row=3, email="ada@example.com", name="Ada", cohort="MSc Data Science")
    ]


def test_it_marks_bad_rows_and_keeps_the_good_ones():
    rows = roster_read(
        _csv(
            "email,name,cohort",
            "not-an-email,Someone,",
            "ada@example.com,Ada,Class of 2026",
            ",Nobody,",
            "grace@example.com,Grace,Class of 2027",
            "GRACE@example.com,Grace again,",
        ),
        cohorts=COHORTS,
    )

    problems = {row.row: row.message for row in rows if row.outcome == Outcome.ERROR}
    assert problems == {
        2: "This is not a valid email address.",
        3: "There is no cohort “Class of 2026” here; create it first.",
        4: "The email address is missing.",
        6: "This email address is already on row 5.",
    }
    assert [row.email for row in rows if row.outcome == Outcome.PENDING] == ["grace@example.com"]


def test_a_name_longer_than_a_user_name_is_a_row_error():
    (row,) = roster_read(_csv("email,name,cohort", f"ada@example.com,{'A' * 151},"), cohorts=[])
    assert row.outcome == Outcome.ERROR
    assert "longer than 150" in row.message


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "missing_columns"),
        (_csv("email,name", "ada@example.com,Ada"), "missing_columns"),
        (_csv("ada@example.com,Ada,Class of 2027"), "missing_columns"),
        ("email,name,cohort\nzoë@example.com,Zoë,\n".encode("latin-1"), "not_utf8"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "not_csv"),
        (_csv("email,name,cohort", 'ada@example.com,"Ada,'), "not_csv"),
    ],
    ids=["empty", "no-cohort-column", "no-header", "latin-1", "binary", "unclosed-quote"],
)
def test_it_refuses_a_file_it_cannot_read_as_a_roster(data, code):
    with pytest.raises(Refused) as refusal:
        roster_read(data, cohorts=COHORTS)
    assert refusal.value.code == code


def test_the_missing_columns_are_named():
    with pytest.raises(Refused, match="missing: name, cohort"):
        roster_read(_csv("email", "ada@example.com"), cohorts=COHORTS)


def test_it_takes_5000_rows_and_refuses_one_more():
    lines = ["email,name,cohort", *(f"s{n}@example.com,," for n in range(MAX_ROSTER_ROWS))]
    assert len(roster_read(_csv(*lines), cohorts=[])) == MAX_ROSTER_ROWS

    with pytest.raises(Refused) as refusal:
        roster_read(_csv(*lines, "one-more@example.com,,"), cohorts=[])
    assert refusal.value.code == "too_many_rows"


def test_it_refuses_a_file_over_one_megabyte():
    data = _csv("email,name,cohort", "ada@example.com,Ada,") + b" " * MAX_ROSTER_BYTES
    with pytest.raises(Refused) as refusal:
        roster_read(data, cohorts=[])
    assert refusal.value.code == "file_too_large"


def test_the_summary_counts_each_outcome():
    rows = [
        RosterRow(row=2, email="a@x.org").done(Outcome.ADDED, ""),
        RosterRow(row=3, email="b@x.org").done(Outcome.INVITED, ""),
        RosterRow(row=4, email="c@x.org").done(Outcome.ALREADY, ""),
        RosterRow(row=5, email="d@x.org").done(Outcome.ALREADY, ""),
        RosterRow(row=6, email="e").done(Outcome.ERROR, ""),
    ]
    assert roster_summary_text(rows) == "1 added, 1 invited, 2 already there, 1 error"


# --- Applying it --------------------------------------------------------------------------------


@pytest.fixture
def cohort(organization):
    return CohortFactory(organization=organization, name="Class of 2027")


def _import(organization, by, data, capture):
    with capture(execute=True):
        return services.roster_import(organization=organization, by=by, file=_upload(data))


@pytest.mark.django_db
def test_a_student_of_the_organisation_is_added_to_the_cohort(
    organization, org_admin, student, cohort, django_capture_on_commit_callbacks
):
    (row,) = _import(
        organization,
        org_admin,
        _csv("email,name,cohort", "ALICE@example.com,,Class of 2027"),
        django_capture_on_commit_callbacks,
    )

    assert (row.outcome, row.message) == (Outcome.ADDED, "Added to Class of 2027.")
    assert list(cohort.students.all()) == [student]


@pytest.mark.django_db
def test_someone_on_their_own_joins_as_a_student_and_the_cohort(
    organization, org_admin, cohort, django_capture_on_commit_callbacks
):
    loner = UserFactory.create(email="loner@example.com")

    (row,) = _import(
        organization,
        org_admin,
        _csv("email,name,cohort", "loner@example.com,,Class of 2027"),
        django_capture_on_commit_callbacks,
    )

    assert row.outcome == Outcome.ADDED
    loner.refresh_from_db()
    assert loner.membership.organization == organization
    assert loner.membership.role == Membership.Role.STUDENT
    assert list(cohort.students.all()) == [loner]
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_member_of_another_centre_is_a_row_error_and_stays_where_they_are(
    organization, org_admin, other_coach, cohort, django_capture_on_commit_callbacks
):
    (row,) = _import(
        organization,
        org_admin,
        _csv("email,name,cohort", "charlie@example.com,,Class of 2027"),
        django_capture_on_commit_callbacks,
    )

    assert row.outcome == Outcome.ERROR
    assert row.message == "This person belongs to another career centre."
    other_coach.refresh_from_db()
    assert other_coach.membership.organization.slug == "southgate"
    assert not cohort.students.exists()


@pytest.mark.django_db
def test_a_coach_is_not_put_in_a_cohorts_student_list(
    organization, org_admin, coach, cohort, django_capture_on_commit_callbacks
):
    with_cohort, without = _import(
        organization,
        org_admin,
        _csv("email,name,cohort", "carol@example.com,,Class of 2027", "dana@example.com,,"),
        django_capture_on_commit_callbacks,
    )

    assert with_cohort.outcome == Outcome.ERROR
    assert "only students join cohorts" in with_cohort.message
    assert (without.outcome, without.message) == (
        Outcome.ALREADY,
        "Already a member (Administrator).",
    )
    assert not cohort.students.exists()


@pytest.mark.django_db
def test_an_unknown_address_is_invited_by_email_with_a_sign_up_link(
    organization, org_admin, cohort, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://rehearse.example.edu/"

    (row,) = _import(
        organization,
        org_admin,
        _csv("email,name,cohort", "New.Person@Example.com,New Person,Class of 2027"),
        django_capture_on_commit_callbacks,
    )

    assert row.outcome == Outcome.INVITED
    invitation = Invitation.objects.get()
    assert invitation.organization == organization
    assert invitation.email == "new.person@example.com"
    assert invitation.name == "New Person"
    assert invitation.cohort == cohort
    assert invitation.invited_by == org_admin
    assert invitation.accepted_at is None
    assert len(invitation.token) >= 40
    (message,) = mail.outbox
    assert message.to == ["new.person@example.com"]
    assert "Northbridge Careers" in message.subject
    assert f"https://rehearse.example.edu/invitations/{invitation.token}/" in message.body


@pytest.mark.django_db
def test_no_email_leaves_before_the_import_commits(
    organization, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.roster_import(
            organization=organization,
            by=org_admin,
            file=_upload(_csv("email,name,cohort", "new@example.com,,")),
        )

    assert mail.outbox == []
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_valid_rows_are_applied_beside_the_errors(
    organization, org_admin, student, cohort, django_capture_on_commit_callbacks
):
    rows = _import(
        organization,
        org_admin,
        _csv(
            "email,name,cohort",
            "alice@example.com,,Class of 2027",
            "new@example.com,,No Such Cohort",
            "bad-address,,",
            "other@example.com,,",
        ),
        django_capture_on_commit_callbacks,
    )

    assert [row.outcome for row in rows] == [
        Outcome.ADDED,
        Outcome.ERROR,
        Outcome.ERROR,
        Outcome.INVITED,
    ]
    assert list(cohort.students.all()) == [student]
    assert list(Invitation.objects.values_list("email", flat=True)) == ["other@example.com"]
    assert not organization.cohorts.filter(name="No Such Cohort").exists()
    assert roster_summary_text(rows) == "1 added, 1 invited, 0 already there, 2 errors"


@pytest.mark.django_db
def test_a_second_upload_of_the_same_file_changes_nothing(
    organization, org_admin, student, cohort, django_capture_on_commit_callbacks
):
    loner = UserFactory.create(email="loner@example.com")
    data = _csv(
        "email,name,cohort",
        "alice@example.com,,Class of 2027",
        "loner@example.com,,Class of 2027",
        "new@example.com,New,Class of 2027",
        "dana@example.com,,",
    )
    first = _import(organization, org_admin, data, django_capture_on_commit_callbacks)
    assert roster_summary_text(first) == "2 added, 1 invited, 1 already there, 0 errors"
    invitation = Invitation.objects.get()

    second = _import(organization, org_admin, data, django_capture_on_commit_callbacks)

    assert roster_summary_text(second) == "0 added, 0 invited, 4 already there, 0 errors"
    assert list(Invitation.objects.all()) == [invitation]
    assert len(mail.outbox) == 1
    assert sorted(cohort.students.values_list("email", flat=True)) == [
        "alice@example.com",
        "loner@example.com",
    ]
    assert cohort.students.through.objects.count() == 2
    assert Membership.objects.filter(user=loner).count() == 1


@pytest.mark.django_db
def test_only_an_admin_of_the_organisation_imports(
    organization, coach, other_admin, django_capture_on_commit_callbacks
):
    data = _csv("email,name,cohort", "new@example.com,,")
    for user in (coach, other_admin):
        with pytest.raises(PermissionDenied):
            _import(organization, user, data, django_capture_on_commit_callbacks)
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_a_large_upload_is_refused_before_it_is_read(organization, org_admin):
    upload = _upload(b"email,name,cohort\n" + b"x" * MAX_ROSTER_BYTES)

    with pytest.raises(Refused) as refusal:
        services.roster_import(organization=organization, by=org_admin, file=upload)

    assert refusal.value.code == "file_too_large"
    assert upload.tell() == 0


# --- The page -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_summary_and_each_rows_error(
    client_for, organization, org_admin, student, cohort, django_capture_on_commit_callbacks
):
    data = _csv("email,name,cohort", "alice@example.com,,Class of 2027", "bad-address,,")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org_admin).post(reverse("roster_import"), {"file": _upload(data)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 added, 0 invited, 0 already there, 1 error." in page
    assert "<td>3</td><td>bad-address</td>" in page
    assert "This is not a valid email address." in page
    assert list(cohort.students.all()) == [student]


@pytest.mark.django_db
def test_the_page_explains_a_file_it_cannot_read(client_for, org_admin):
    response = client_for(org_admin).post(
        reverse("roster_import"), {"file": _upload(b"name\nAda\n")}
    )

    assert response.status_code == 400
    assert "The first row must name the columns email, name and cohort" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_the_import_page_states_the_limits(client_for, org_admin):
    page = client_for(org_admin).get(reverse("roster_import")).content.decode()
    assert "at most 1 MB" in page
    assert f"At most {MAX_ROSTER_ROWS} rows" in page


@pytest.mark.django_db
def test_the_organisation_page_offers_the_import_to_admins_only(client_for, org_admin, coach):
    assert (
        reverse("roster_import")
        in client_for(org_admin).get(reverse("organization")).content.decode()
    )
    assert (
        reverse("roster_import")
        not in client_for(coach).get(reverse("organization")).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["student", "coach"])
def test_a_student_or_coach_gets_404_from_the_import(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    data = _csv("email,name,cohort", "new@example.com,,")

    assert client.get(reverse("roster_import")).status_code == 404
    assert client.post(reverse("roster_import"), {"file": _upload(data)}).status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_another_centres_admin_imports_into_their_own_centre_only(
    client_for, organization, other_admin, student, django_capture_on_commit_callbacks
):
    data = _csv("email,name,cohort", "alice@example.com,,", "new@example.com,,")
    with django_capture_on_commit_callbacks(execute=True):
        page = client_for(other_admin).post(reverse("roster_import"), {"file": _upload(data)})

    assert "This person belongs to another career centre." in page.content.decode()
    student.refresh_from_db()
    assert student.membership.organization == organization
    assert list(Invitation.objects.values_list("organization__slug", flat=True)) == ["southgate"]
