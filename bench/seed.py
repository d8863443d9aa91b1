"""Create the bench students: `python bench/seed.py N`.

Users bench{i}@bench.example (i = 1..N), all with the same password, hashed once, plus a verified
primary allauth EmailAddress each, so that seeding takes a moment whatever N is.
Run with DATABASE_URL pointing at the bench database; never against a real one. N = 0 deletes them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-Rehearse-2025!")
DOMAIN = "bench.example"


def main() -> None:
    import django

    django.setup()

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    User = get_user_model()
    hashed = make_password(PASSWORD)  # once: PBKDF2 is slow on purpose
    emails = [f"bench{i}@{DOMAIN}" for i in range(1, count + 1)]
    with transaction.atomic():
        User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
        users = User.objects.bulk_create(
            [User(email=email, password=hashed, is_active=True) for email in emails],
            batch_size=1000,
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
            batch_size=1000,
        )
    names = f" ({emails[0]} … {emails[-1]})" if emails else " (the earlier ones deleted)"
    print(f"seeded {len(users)} bench students{names}")


if __name__ == "__main__":
    main()
