"""Shared fixtures: a student, a second student, a coach of another organisation, clients."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Membership, Organization, User
from interviews.engine import semantic
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup, django_db_blocker):
    """Let pytest-django drop the PostgreSQL test database: end the sessions still open on it.

    The pool keeps connections, and the threads that ran async consumers hold their own.
    """
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            connection.close_pool()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs ~0.3 s a user; the tests are not about password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _lexical_similarity():
    """Compare texts lexically, whatever extras are installed; test_semantic covers the rest."""
    semantic.reset()
    with semantic.using(semantic.LEXICAL):
        yield


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory(name="Northbridge Careers", slug="northbridge")


@pytest.fixture
def other_organization() -> Organization:
    return OrganizationFactory(name="Southgate Careers", slug="southgate")


@pytest.fixture
def student(organization: Organization) -> User:
    user = UserFactory(email="alice@example.com", name="Alice Student")
    MembershipFactory(user=user, organization=organization, role=Membership.Role.STUDENT)
    return user


@pytest.fixture
def second_student(organization: Organization) -> User:
    user = UserFactory(email="bob@example.com", name="Bob Student")
    MembershipFactory(user=user, organization=organization, role=Membership.Role.STUDENT)
    return user


@pytest.fixture
def coach(organization: Organization) -> User:
    user = UserFactory(email="carol@example.com", name="Carol Coach")
    MembershipFactory(user=user, organization=organization, role=Membership.Role.COACH)
    return user


@pytest.fixture
def org_admin(organization: Organization) -> User:
    user = UserFactory(email="dana@example.com", name="Dana Admin")
    MembershipFactory(user=user, organization=organization, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def other_coach(other_organization: Organization) -> User:
    user = UserFactory(email="charlie@example.com", name="Charlie OtherCoach")
    MembershipFactory(user=user, organization=other_organization, role=Membership.Role.COACH)
    return user


@pytest.fixture
def other_admin(other_organization: Organization) -> User:
    user = UserFactory(email="erin@example.com", name="Erin OtherAdmin")
    MembershipFactory(user=user, organization=other_organization, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def site_staff() -> User:
    return User.objects.create_superuser(email="staff@example.com", password="x-Staff-passw0rd")


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    return _client_for
