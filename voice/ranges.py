"""Stored files served with byte ranges (RFC 9110 §14): Safari and iOS play `<audio>` only from a
server that answers `Range` requests, and every browser seeks with them.

One range per request, which is what media players ask for; anything else (several ranges, a
malformed header, an `If-Range` that cannot be checked: these responses carry no validator) gets
the whole file, as the RFC allows. Files here are small (capped at upload), so a range is read
into memory.
"""

from __future__ import annotations

import re
from typing import IO

from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _wanted(header: str, size: int) -> range | None:
    """The bytes the header asks for (empty when none are there); None for the whole file."""
    match = _RANGE.fullmatch(header.strip())
    if match is None or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        return range(max(0, size - int(last)), size)
    if last and int(last) < int(first):
        return None  # malformed: ignored
    return range(int(first), min(int(last) + 1, size) if last else size)


def file_response(request: HttpRequest, file: IO[bytes], *, content_type: str) -> HttpResponseBase:
    """The file, or the one byte range the request asks for (206; 416 when nothing is there)."""
    size = file.seek(0, 2)
    file.seek(0)
    header = request.headers.get("Range", "")
    wanted = _wanted(header, size) if header and "If-Range" not in request.headers else None
    if wanted is None:
        # FileResponse closes the file once it is sent.
        response: HttpResponseBase = FileResponse(file, content_type=content_type)
    else:
        with file:
            file.seek(wanted.start)
            body = file.read(len(wanted))
        if wanted:
            response = HttpResponse(body, status=206, content_type=content_type)
            response["Content-Range"] = f"bytes {wanted.start}-{wanted.stop - 1}/{size}"
        else:
            response = HttpResponse(status=416, content_type=content_type)
            response["Content-Range"] = f"bytes */{size}"
    response["Accept-Ranges"] = "bytes"
    return response
