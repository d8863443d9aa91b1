"""What accounts tells the apps built on it, which it must not import."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `user` to build their data export. Each receiver returns the files it adds, as a list
# of (path in the zip, content), the content bytes, text (UTF-8) or an open Django File.
personal_data = Signal()

# Sent with `user` inside the erasure's transaction, before the account's own rows go: each app
# erases what the account's deletion would not (files, anonymous tallies to keep).
account_erasing = Signal()
