"""The unit of work: what it is given is written once when its block ends, and never after."""

from __future__ import annotations

import pytest

from interviews.models import Event
from interviews.state import IllegalMove, State
from interviews.work import WorkClosed, locked

pytestmark = pytest.mark.django_db


def test_moves_changes_and_events_are_written_when_the_block_ends(student, make_interview):
    interview = make_interview(student)  # ready
    seen = interview.last_seq
    with locked(interview.pk) as work:
        work.move(State.ASKING)
        work.change(difficulty=7)
        work.emit("note", text="hello")
        # Nothing written yet: the row still says ready.
        assert type(interview).objects.get(pk=interview.pk).state == State.READY

    interview.refresh_from_db()
    assert (interview.state, interview.difficulty) == (State.ASKING, 7)
    events = Event.objects.filter(interview=interview).order_by("seq")
    assert [(e.seq, e.type) for e in events][-2:] == [(seen + 1, "state"), (seen + 2, "note")]
    assert interview.last_seq == seen + 2


def test_a_move_after_the_block_has_ended_raises_instead_of_being_lost(student, make_interview):
    interview = make_interview(student)
    with locked(interview.pk) as work:
        pass
    with pytest.raises(WorkClosed):
        work.move(State.ASKING)
    with pytest.raises(WorkClosed):
        work.emit("note")
    interview.refresh_from_db()
    assert interview.state == State.READY


def test_a_block_that_fails_writes_nothing_and_closes(student, make_interview):
    interview = make_interview(student)
    with pytest.raises(IllegalMove), locked(interview.pk) as work:
        work.change(difficulty=9)
        work.move(State.FINISHED)  # not allowed from ready
    with pytest.raises(WorkClosed):
        work.change(difficulty=1)
    interview.refresh_from_db()
    assert interview.difficulty != 9
