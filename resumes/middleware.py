"""Refuse an upload that is too large before its body is read.

Django reads a multipart body in full (to a temporary file) the first time anything looks at
`request.POST` or `request.FILES`, and the CSRF check does so before any view runs. A request
announcing a body over the limit for its path is answered at once instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from resumes import documents

# Multipart framing and the other form fields around the file.
SLACK_BYTES = 64 * 1024
LIMITS = (("/resumes/", documents.MAX_BYTES), ("/api/v1/resumes/", documents.MAX_BYTES))


class UploadSizeLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            limit = next((n for prefix, n in LIMITS if request.path.startswith(prefix)), None)
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if limit is not None and length > limit + SLACK_BYTES:
                refusal = documents.too_large(length)
                if request.path.startswith("/api/"):
                    return JsonResponse(refusal.as_body(), status=413)
                context = {"message": refusal.message}
                return render(request, "resumes/too_large.html", context, status=413)
        return self.get_response(request)
