"""Daphne, with the request-body limit enforced while the body arrives.

Run it as Daphne's own command: `python -m config.serve -b HOST -p PORT config.asgi:application`.

Daphne (through Twisted) reads a request's whole body, to memory or a temporary file, before the
application sees any of it, and then queues all of it at once for the application: a 1 GB body
costs a gigabyte of memory before Django could answer 413, and a chunked body announces no length
to check. Here a request is answered `413` the moment its announced length, or the bytes received
so far, pass `MAX_REQUEST_BYTES`; the rest of the body is never stored and the connection is
closed. Django's `resumes.middleware.UploadSizeLimit` still gives the resume pages their own,
smaller limit and a page in the site's look; the reverse proxy in docker-compose.yml refuses
oversized bodies before they reach Daphne at all.
"""

from __future__ import annotations

import json
import sys
from io import BytesIO
from typing import Any

from daphne import server
from daphne.cli import CommandLineInterface
from daphne.http_protocol import HTTPFactory, WebRequest


def max_request_bytes() -> int:
    from django.conf import settings  # the application module has configured Django by now

    return int(settings.MAX_REQUEST_BYTES)


def too_large_message(limit: int) -> str:
    return (
        f"This request is too large: at most {limit / 1024 / 1024:g} MB can be sent. "
        "A resume can be at most 5 MB; export it again without large images."
    )


class LimitedRequest(WebRequest):
    """A request refused with 413 as soon as its body is known to be over the limit."""

    refused = False
    received = 0

    def gotLength(self, length: int | None) -> None:
        self.limit = max_request_bytes()
        if length is not None and length > self.limit:
            self.content = BytesIO()  # nothing of the body is kept
            self.refuse()
            return
        super().gotLength(length)

    def handleContentChunk(self, data: bytes) -> None:
        if self.refused:
            return
        self.received += len(data)
        if self.received > self.limit:
            self.refuse()
            return
        super().handleContentChunk(data)

    def process(self) -> Any:
        if self.refused:
            return None  # answered already; the application never sees it
        return super().process()

    def refuse(self) -> None:
        """Answer 413 and close the connection, without reading the rest of the body."""
        self.refused = True
        message = too_large_message(self.limit)
        accept = b",".join(self.requestHeaders.getRawHeaders(b"accept") or [])
        if b"text/html" in accept:
            body = f"<!doctype html><title>Too large</title><p>{message}</p>".encode()
            kind = b"text/html; charset=utf-8"
        else:
            body = json.dumps({"code": "request_too_large", "message": message}).encode()
            kind = b"application/json"
        self.channel.transport.write(
            b"HTTP/1.1 413 Content Too Large\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
            b"Connection: close\r\n\r\n%s" % (kind, len(body), body)
        )
        self.channel.transport.loseConnection()


class LimitedHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr: Any) -> Any:
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = LimitedRequest
        return protocol


def main() -> None:
    # Daphne's server builds its HTTP factory by this module-level name when it starts.
    server.HTTPFactory = LimitedHTTPFactory  # type: ignore[misc]
    CommandLineInterface.entrypoint()


if __name__ == "__main__":
    sys.argv[0] = "daphne"
    main()
