"""The state machine: every move the design allows, and every other one refused."""

from __future__ import annotations

import itertools

import pytest

from interviews.state import IllegalMove, State, can_move, check_move

S = State
ALLOWED = {
    (S.SETUP, S.READY),
    (S.SETUP, S.CANCELLED),
    (S.READY, S.ASKING),
    (S.READY, S.CANCELLED),
    (S.ASKING, S.LISTENING),
    (S.ASKING, S.PAUSED),
    (S.ASKING, S.ERROR),
    (S.LISTENING, S.PROCESSING),
    (S.LISTENING, S.PAUSED),
    (S.LISTENING, S.ERROR),
    (S.PROCESSING, S.EVALUATING),
    (S.PROCESSING, S.LISTENING),
    (S.PROCESSING, S.ERROR),
    (S.EVALUATING, S.DECIDING),
    (S.EVALUATING, S.ERROR),
    (S.DECIDING, S.ASKING),
    (S.DECIDING, S.COMPLETE),
    (S.DECIDING, S.ERROR),
    (S.COMPLETE, S.GENERATING_REPORT),
    (S.GENERATING_REPORT, S.FINISHED),
    (S.GENERATING_REPORT, S.ERROR),
    (S.ERROR, S.CANCELLED),
}
ORDINARY = [s for s in State if s not in (S.PAUSED,)]


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_each_allowed_move_is_allowed(current, target):
    check_move(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [pair for pair in itertools.product(ORDINARY, State) if pair not in ALLOWED],
)
def test_every_other_move_is_refused(current, target):
    assert not can_move(current, target)
    with pytest.raises(IllegalMove):
        check_move(current, target)


@pytest.mark.parametrize("left", [S.ASKING, S.LISTENING])
def test_paused_goes_back_only_to_the_state_it_left(left):
    assert can_move(S.PAUSED, left, resume_to=left)
    for other in State:
        if other != left:
            assert not can_move(S.PAUSED, other, resume_to=left)


def test_paused_without_a_known_origin_goes_nowhere():
    assert not any(can_move(S.PAUSED, target) for target in State)


@pytest.mark.parametrize("step", [S.ASKING, S.PROCESSING, S.EVALUATING, S.GENERATING_REPORT])
def test_error_retries_only_the_step_that_failed_or_cancels(step):
    assert can_move(S.ERROR, step, resume_to=step)
    assert can_move(S.ERROR, S.CANCELLED, resume_to=step)
    for other in State:
        if other not in (step, S.CANCELLED):
            assert not can_move(S.ERROR, other, resume_to=step)


def test_finished_and_cancelled_are_final():
    for target in State:
        assert not can_move(S.FINISHED, target)
        assert not can_move(S.CANCELLED, target)
