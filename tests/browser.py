"""Debian's headless Chromium for the tests whose point is the page."""

from __future__ import annotations

import os
import shutil
import time

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


def watch_errors(page) -> list[str]:
    """The page's uncaught errors, and what its Content-Security-Policy or Permissions-Policy
    refused (Chromium says so on the console), as they happen."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if "Content Security Policy" in message.text or "Permissions policy" in message.text
            else None
        ),
    )
    return errors


def wait_until(page, expression: str, timeout: float = 30_000) -> None:
    """Wait until a JavaScript expression is true in the page. Playwright's wait_for_function
    polls with `eval` inside the page, which the Content-Security-Policy refuses; `evaluate` goes
    through the browser's debugging protocol, which the policy does not govern."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout / 1000:.0f} s: {expression}")
        page.wait_for_timeout(100)
