from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services
from accounts.models import Membership, Organization, OrganizationDomain, User

DEMO_PASSWORD = "rehearse-demo"
DEMO_ORG = {"slug": "northbridge", "name": "Northbridge University Career Centre"}
DEMO_DOMAIN = "northbridge.example"
DEMO_JOIN_CODE = "REHEARSE"
DEMO_USERS = [
    # email, name, role (None: site staff with no organisation)
    ("student@northbridge.example", "Sam Student", Membership.Role.STUDENT),
    ("coach@northbridge.example", "Casey Coach", Membership.Role.COACH),
    ("admin@northbridge.example", "Alex Admin", Membership.Role.ADMIN),
    ("staff@rehearse.example", "Site Staff", None),
]


class Command(BaseCommand):
    help = "Create the demo career centre and logins (embedded default only, never with DEBUG off)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts exist only in the embedded default (DEBUG on).")
        with transaction.atomic():
            org, _ = Organization.objects.get_or_create(
                slug=DEMO_ORG["slug"],
                defaults={"name": DEMO_ORG["name"], "join_code": DEMO_JOIN_CODE},
            )
            OrganizationDomain.objects.get_or_create(domain=DEMO_DOMAIN, organization=org)
            for email, name, role in DEMO_USERS:
                user, created = User.objects.get_or_create(email=email, defaults={"name": name})
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.is_staff = user.is_superuser = role is None
                    user.save()
                EmailAddress.objects.update_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
                if role is not None:
                    services.membership_join(user=user, organization=org, role=role)
            student = User.objects.get(email=DEMO_USERS[0][0])
            coach = User.objects.get(email=DEMO_USERS[1][0])
            cohort = org.cohorts.filter(name="Class of 2027").first()
            services.cohort_save(
                organization=org,
                cohort=cohort,
                name="Class of 2027",
                description="Final-year students preparing for graduate roles.",
                students=[student],
                coaches=[coach],
            )
        self.stdout.write(
            self.style.SUCCESS("Demo logins (password for all: " + DEMO_PASSWORD + "):")
        )
        for email, _name, role in DEMO_USERS:
            label = role.label if role else "Site staff (Django admin at /admin/)"
            self.stdout.write(f"  {email:32} {label}")
        self.stdout.write(f"  Join code for {org.name}: {org.join_code}")
