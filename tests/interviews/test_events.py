"""Pushing logged events to the rooms: one message per transaction, in order."""

from __future__ import annotations

import asyncio
import os

import pytest
from channels.layers import get_channel_layer

from interviews import events
from interviews.events import group_name, push_from_background_loop
from interviews.work import locked

pytestmark = pytest.mark.django_db(transaction=True)


async def _listen(interview_id):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group_name(interview_id), channel)
    return layer, channel


def test_one_transactions_events_arrive_together_and_in_order(student, make_interview):
    interview = make_interview(student)

    async def scenario():
        layer, channel = await _listen(interview.pk)

        def write():
            with locked(interview.pk) as work:
                work.emit("state", state="ready")
                work.emit("state", state="ready")

        from asgiref.sync import sync_to_async

        await sync_to_async(write)()
        return await asyncio.wait_for(layer.receive(channel), timeout=5)

    message = asyncio.run(scenario())
    assert message["type"] == "interview.events"
    assert [e["seq"] for e in message["events"]] == [2, 3]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the loop thread is for Redis")
def test_a_worker_process_pushes_from_its_own_long_lived_loop(student, make_interview, monkeypatch):
    monkeypatch.setattr(events, "_push_loop", None)
    push_from_background_loop()
    interview = make_interview(student)

    async def scenario():
        layer, channel = await _listen(interview.pk)
        await asyncio.to_thread(events.push, interview.pk, [{"type": "x", "seq": 9}])
        return await asyncio.wait_for(layer.receive(channel), timeout=5)

    assert asyncio.run(scenario())["events"] == [{"type": "x", "seq": 9}]
