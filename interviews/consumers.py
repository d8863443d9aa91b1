"""The interview room's WebSocket: parse a message, call a service, relay the log's events."""

from __future__ import annotations

import base64
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from ai import speech
from config.errors import Refused
from interviews import recordings, services, tasks
from interviews.events import events_after, group_name
from interviews.models import Interview

CLOSE_UNAUTHENTICATED = 4403
CLOSE_NOT_FOUND = 4404
MAX_FRAME_CHARS = 64_000
# Audio comes in binary frames of up to this size; AUDIO_MAX_BYTES caps the whole recording.
MAX_AUDIO_FRAME_BYTES = 1024 * 1024
# A recording stays in memory up to this size, then goes on to a temporary file.
SPOOL_MEMORY_BYTES = 1024 * 1024
# A person sends a few messages a minute; more than this in a second is a runaway client.
BURST_MESSAGES, BURST_SECONDS = 20, 1.0
# A provisional caption not back after this long is given up on (a busy or stopped worker).
CAPTION_TIMEOUT_SECONDS = 20.0
# Captions stop once a recording is this large (some 15 minutes of browser Opus): each caption
# sends the recording so far to the worker.
CAPTION_MAX_BYTES = 4 * 1024 * 1024


def _in_pool(func: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """Run a database call on the event loop's thread pool.

    Channels' default (thread-sensitive) runs every socket's calls one by one on a single thread;
    a socket still awaits its own calls in order, but different sockets' calls run side by side.
    """
    return database_sync_to_async(func, thread_sensitive=False)


def _owns(user: Any, interview_id: Any) -> bool:
    return Interview.objects.filter(pk=interview_id, user=user).exists()


@dataclass
class Upload:
    """A recorded answer arriving in binary frames between `audio.start` and `audio.end`."""

    client_id: str
    file: SpooledTemporaryFile[bytes]
    turn: object = None  # the question it answers, as the client said
    size: int = 0
    # Provisional captions (see Caption): when the next is due, and since when one is awaited.
    caption_due: float = 0.0
    captioning: float | None = None
    settled: str = ""  # the caption's words that will not change...
    settled_until: float = 0.0  # ...and the second of the recording they reach


def _has_nul(content: Any) -> bool:
    """Whether any key or string in a decoded message holds a NUL character (walked without
    recursion: a message may nest as deep as its size allows)."""
    stack = [content]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            stack += item
    return False


def _caption_due() -> float:
    return time.monotonic() + settings.STT_CAPTION_SECONDS


class InterviewConsumer(AsyncJsonWebsocketConsumer):
    """One open interview room. The client sends `sync` first and then receives every event."""

    async def connect(self) -> None:
        self.user = self.scope["user"]
        self.interview_id = self.scope["url_route"]["kwargs"]["interview_id"]
        self.group: str | None = None
        # The newest seq this socket has sent; None until the client's first `sync`.
        self.sent_seq: int | None = None
        self.recent: deque[float] = deque(maxlen=BURST_MESSAGES)
        self.upload: Upload | None = None
        # After a refused recording its remaining frames are dropped without another error.
        self.dropping_audio = False
        # Accept first so that the close code reaches the browser; nothing else is sent.
        await self.accept()
        if not self.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await _in_pool(_owns)(self.user, self.interview_id):
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.group = group_name(self.interview_id)
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, code: int) -> None:
        self._drop_upload()  # a recording cut off by the drop is sent again in full
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.group is None:
            return
        if bytes_data is not None:
            # Not counted as messages: a resent recording arrives in a burst of frames.
            await self._receive_audio(bytes_data)
            return
        if self._flooding():
            await self._refuse("too_many_messages", "Too many messages at once; slow down.")
            return
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            await self._refuse("message_too_big", "That message is too large to accept.")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested past Python's stack
            await self._refuse("bad_json", "That message was not valid JSON.")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self._refuse("bad_message", "Every message needs a string `type`.")
            return
        if _has_nul(content):  # "\u0000": PostgreSQL stores no NUL character in text
            await self._refuse(
                "bad_character",
                "Your message has a character that cannot be kept (a NUL). Remove it and send "
                "it again.",
            )
            return
        await self.receive_json(content)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        handler = self.COMMANDS.get(content["type"])
        if handler is None:
            await self._refuse("unknown_type", f"Unknown message type “{content['type'][:40]}”.")
            return
        try:
            await handler(self, content)
        except Refused as refusal:
            await self.send_json(refusal.as_event())

    # --- Commands ----------------------------------------------------------------------------

    async def _call(self, service: Callable[..., Any], **kwargs: Any) -> Any:
        return await _in_pool(service)(interview_id=self.interview_id, user=self.user, **kwargs)

    async def on_start(self, content: dict[str, Any]) -> None:
        await self._call(services.interview_start)

    async def on_answer(self, content: dict[str, Any]) -> None:
        await self._call(
            services.answer_submit,
            text=content.get("text"),
            client_id=content.get("client_id"),
            turn=content.get("turn"),
            code=content.get("code"),
        )

    async def on_skip(self, content: dict[str, Any]) -> None:
        await self._call(services.turn_skip, turn=content.get("turn"))

    async def on_pause(self, content: dict[str, Any]) -> None:
        await self._call(services.interview_pause)

    async def on_resume(self, content: dict[str, Any]) -> None:
        await self._call(services.interview_resume)

    async def on_end(self, content: dict[str, Any]) -> None:
        await self._call(services.interview_end)

    async def on_audio_start(self, content: dict[str, Any]) -> None:
        self._drop_upload()
        turn = content.get("turn")
        client_id = await self._call(
            recordings.audio_answer_open, client_id=content.get("client_id"), turn=turn
        )
        # Closed when the recording is stored, refused or dropped (see _drop_upload).
        spool = SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)  # noqa: SIM115
        self.upload = Upload(client_id, spool, turn, caption_due=_caption_due())
        self.dropping_audio = False

    async def on_audio_end(self, content: dict[str, Any]) -> None:
        upload, self.upload = self.upload, None
        if upload is None:
            if self.dropping_audio:
                return  # the recording was refused already
            raise Refused("no_recording", "Start a recording before ending one.")
        with upload.file:
            if content.get("client_id") != upload.client_id:
                raise Refused("bad_client_id", "That is not the recording you started.")
            await self._call(
                recordings.audio_answer_submit,
                client_id=upload.client_id,
                recording=upload.file,
                browser_transcript=content.get("browser_transcript", ""),
                turn=upload.turn,
            )

    async def on_sync(self, content: dict[str, Any]) -> None:
        after = content.get("after", 0)
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise Refused("bad_sync", "`after` must be the last seq you saw (0 for none).")
        await self._send_from_log(after)

    COMMANDS: dict[str, Callable[[Any, dict[str, Any]], Awaitable[None]]] = {
        "start": on_start,
        "answer": on_answer,
        "skip": on_skip,
        "pause": on_pause,
        "resume": on_resume,
        "end": on_end,
        "sync": on_sync,
        "audio.start": on_audio_start,
        "audio.end": on_audio_end,
    }

    # --- Events from the log -----------------------------------------------------------------

    async def interview_events(self, message: dict[str, Any]) -> None:
        """Relay logged events, in order and once, filling any gap from the log."""
        if self.sent_seq is None:
            return  # not synced yet: its `sync` replays the log
        for event in message["events"]:
            if event["seq"] is None:
                # Passing, not logged: the question being written, a provisional caption.
                await self.send_json(self._took_caption(event))
                continue
            if event["seq"] <= self.sent_seq:
                continue
            if event["seq"] > self.sent_seq + 1:
                await self._send_from_log(self.sent_seq, upto=event["seq"] - 1)
            await self.send_json(event)
            self.sent_seq = event["seq"]

    async def _send_from_log(self, after: int, upto: int | None = None) -> None:
        events = await _in_pool(events_after)(self.interview_id, after, upto)
        for event in events:
            await self.send_json(event)
        last = events[-1]["seq"] if events else after
        self.sent_seq = max(self.sent_seq or 0, last)

    # --- Audio -------------------------------------------------------------------------------

    async def _receive_audio(self, frame: bytes) -> None:
        """Add a frame to the recording under way; refuse it (once) if there is none."""
        upload = self.upload
        if upload is None:
            if not self.dropping_audio:
                self.dropping_audio = True
                await self._refuse("unexpected_binary", "Start a recording before sending audio.")
            return
        upload.size += len(frame)
        if len(frame) > MAX_AUDIO_FRAME_BYTES or upload.size > settings.AUDIO_MAX_BYTES:
            self._drop_upload()
            await self.send_json(recordings.audio_too_large().as_event())
            return
        upload.file.write(frame)
        if speech.captions_enabled() and upload.size <= CAPTION_MAX_BYTES:
            await self._caption(upload)

    async def _caption(self, upload: Upload) -> None:
        """Have what has arrived of the recording captioned, every STT_CAPTION_SECONDS.

        One at a time: the next is asked for only once the last is back (or timed out), so a
        busy speech worker gets fewer, never a queue of them.
        """
        now = time.monotonic()
        asked = upload.captioning
        awaited = asked is not None and now - asked < CAPTION_TIMEOUT_SECONDS
        if awaited or now < upload.caption_due:
            return
        upload.captioning = now
        upload.file.seek(0)
        recording = base64.b64encode(upload.file.read()).decode()  # and back at the end
        turn = upload.turn if isinstance(upload.turn, int) else None
        await _in_pool(tasks.caption_recording.apply_async)(
            (self.interview_id, upload.client_id, turn, recording, upload.settled,
             upload.settled_until),
            expires=CAPTION_TIMEOUT_SECONDS,
        )  # fmt: skip

    def _took_caption(self, event: dict[str, Any]) -> dict[str, Any]:
        """Keep a provisional caption's state for the next one; return what the page gets."""
        if "caption" not in event:
            return event
        event = dict(event)
        state = event.pop("caption")
        upload = self.upload
        if upload is not None and event.get("client_id") == upload.client_id:
            upload.settled, upload.settled_until = state["settled"], state["settled_until"]
            upload.captioning = None
            upload.caption_due = _caption_due()
        return event

    def _drop_upload(self) -> None:
        """Forget the recording under way, and drop the rest of its frames."""
        if self.upload is not None:
            self.upload.file.close()
            self.upload = None
        self.dropping_audio = True

    # --- Helpers -----------------------------------------------------------------------------

    async def _refuse(self, code: str, message: str) -> None:
        await self.send_json(Refused(code, message).as_event())

    def _flooding(self) -> bool:
        now = time.monotonic()
        self.recent.append(now)
        return len(self.recent) == BURST_MESSAGES and now - self.recent[0] < BURST_SECONDS
