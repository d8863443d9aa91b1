"""Every page of the Django admin opens for site staff: each model's list, and the change page
of one of its rows when there is one (an inline with a field the form cannot hold is a 500)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from reports.reviews import AnswerRating, review_save

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


def test_every_admin_list_and_change_page_opens(
    site_staff, student, coach, coached_cohort, finished_interview, client_for
):
    interview = finished_interview(student)
    review_save(
        by=coach, interview_id=interview.pk, comment="Fine.", answers=[AnswerRating(turn=1)]
    )
    staff = client_for(site_staff)
    opened = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        listing = staff.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert listing.status_code == 200, meta.label
        row = model_admin.get_queryset(listing.wsgi_request).first()
        if row is not None:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
            assert staff.get(url).status_code == 200, meta.label
            opened.append(meta.label)
    assert {"interviews.Interview", "interviews.Answer", "reports.Review"} <= set(opened)
