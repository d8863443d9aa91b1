from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and career centres"

    def ready(self) -> None:
        from accounts import receivers  # noqa: F401
