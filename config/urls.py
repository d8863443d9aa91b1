from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from config import health
from interviews import views as interview_views
from questionbank import views as questionbank_views
from reports import urls as report_urls
from reports import views as report_views

# Staff sign in through the site's login (allauth: its rate limits, its per-account lockout, SSO),
# never through the admin's own form, which has no limit: an anonymous visitor of /admin/login/ is
# sent to it, and comes back signed in.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", questionbank_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("dashboard/", report_views.dashboard, name="dashboard"),
    path("tracks/", include("questionbank.urls")),
    path("centre/", include("questionbank.centre_urls")),
    path("interviews/", include("interviews.urls")),
    path("interviews/", include("reports.urls")),
    path("", include(report_urls.coaching_urlpatterns)),
    path("assignments/", include("interviews.assignment_urls")),
    path("resumes/", include("resumes.urls")),
    path("chat/", include("chat.urls")),
    path("staff/providers/", interview_views.provider_checks, name="provider_checks"),
    path("api/v1/", include("config.api_urls")),
]

handler404 = "config.errors.not_found"
