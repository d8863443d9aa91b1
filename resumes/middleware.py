"""Refuse a request body that is too large before it is read.

Django reads a multipart body in full (to a temporary file) the first time anything looks at
`request.POST` or `request.FILES`, and the CSRF check does so before any view runs. A request
announcing a body over the limit for its path is answered at once instead: uploads of resumes
(pages and API, `/api/v1/resumes.json` too) have the resume's limit, with a page or a body that
says so; every other path has `MAX_REQUEST_BYTES`. The server (config/serve.py) enforces
`MAX_REQUEST_BYTES` on bodies that announce no length, as they arrive.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from resumes import documents

# Multipart framing and the other form fields around the file.
SLACK_BYTES = 64 * 1024
RESUME_UPLOADS = re.compile(r"^/(?:api/v1/)?resumes(?:[/.]|$)")


class UploadSizeLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        resume = bool(RESUME_UPLOADS.match(request.path))
        limit = documents.MAX_BYTES + SLACK_BYTES if resume else settings.MAX_REQUEST_BYTES
        if length > limit:
            refusal = documents.too_large(length)
            if not resume:
                message = f"This request is too large: at most {limit / 1024 / 1024:g} MB."
                return JsonResponse({"code": "request_too_large", "message": message}, status=413)
            if request.path.startswith("/api/"):
                return JsonResponse(refusal.as_body(), status=413)
            context = {"message": refusal.message}
            return render(request, "resumes/too_large.html", context, status=413)
        return self.get_response(request)
