"""Debian's headless Chromium for the tests whose point is the page."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")


def log_in(page, daphne, student, settings) -> None:
    """Sign the student in through the login page that Daphne serves."""
    # The server process checks passwords with the real hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    student.set_password(PASSWORD)
    student.save()
    page.goto(f"{daphne.url}/accounts/login/")
    page.fill("input[name=login]", student.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
