"""The interview flow through its services, with the local engine and tasks run in-process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ai.local.engine import LocalEngine
from ai.rubric import Scores
from config.errors import Refused
from interviews import services, tasks
from interviews.errors import NotFound
from interviews.flow import asking, evaluating
from interviews.models import Answer, Evaluation, Event, Interview, Turn
from interviews.selectors import open_turn
from interviews.state import State
from questionbank.models import Level, Question, Track
from reports.models import Report

# Real commits: the next step is enqueued on commit, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

STRONG = (
    "In my last internship our checkout API went from 200 ms to 3 s. I reproduced it with a load "
    "test first, then profiled: 80% of the time was an N+1 query in the ORM. I added an index "
    "and select_related, because the join avoided 400 round trips, and the p95 dropped to 180 ms. "
    "The trade-off was a slower write path, so I measured inserts too and added an alert on p95."
)
WEAK = "I'm not sure, maybe I would just try something."
# Thin, but an attempt: no giving up.
THIN = "I would look at the logs and then fix whatever seems to be wrong with it."


def _state(interview: Interview) -> str:
    interview.refresh_from_db()
    return interview.state


def _answer(interview, user, text=STRONG, client_id=None):
    number = interview.turns.count()
    return services.answer_submit(
        interview_id=interview.pk, user=user, text=text, client_id=client_id or f"c{number}"
    )


def test_setting_up_makes_a_ready_interview_with_a_logged_state(student, make_interview):
    interview = make_interview(student)
    assert interview.state == State.READY
    assert interview.organization == student.membership.organization
    assert interview.skills.count() == interview.track.skills.count()
    assert list(interview.events.values_list("seq", "type")) == [(1, "state")]


def test_setup_refuses_bad_combinations_with_field_errors(student, software, make_interview):
    with pytest.raises(ValidationError) as error:
        make_interview(student, num_questions=30)
    assert "num_questions" in error.value.message_dict

    nursing = Track.objects.create(slug="nursing", name="Nursing")
    with pytest.raises(ValidationError) as error:
        make_interview(student, track=nursing, interview_type="system_design")
    assert "no system design questions" in error.value.message_dict["interview_type"][0]

    other_skill = nursing.skills.create(slug="triage", name="Triage")
    with pytest.raises(ValidationError) as error:
        make_interview(student, skills=[other_skill])
    assert "Triage" in error.value.message_dict["skills"][0]

    with pytest.raises(ValidationError) as error:
        make_interview(
            student, interview_type="system_design", level=Level.INTERN, num_questions=15
        )
    assert "choose at most" in error.value.message_dict["num_questions"][0]
    assert not Interview.objects.exists()


def test_start_asks_the_first_question_and_waits(student, make_interview):
    interview = make_interview(student)

    services.interview_start(interview_id=interview.pk, user=student)

    assert _state(interview) == State.LISTENING
    turn = interview.turns.get()
    assert turn.kind == Turn.Kind.CORE and turn.number == 1
    events = [(e.type, e.payload.get("state")) for e in interview.events.order_by("seq")]
    assert events == [
        ("state", "ready"),
        ("state", "asking"),
        ("question", None),
        ("state", "listening"),
    ]


def test_a_strong_answer_moves_on_to_the_next_core_question(student, make_interview):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)

    answer, created = _answer(interview, student)

    assert created and answer.kind == Answer.Kind.TEXT
    assert Evaluation.objects.filter(answer=answer).exists()
    assert _state(interview) == State.LISTENING
    assert interview.turns.count() >= 2


def test_a_weak_answer_gets_at_most_two_follow_ups(student, make_interview):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)

    for _ in range(3):
        _answer(interview, student, text=THIN)

    turns = list(interview.turns.order_by("position"))
    assert [t.kind for t in turns[:3]] == ["core", "followup", "followup"]
    assert all(t.followup_type for t in turns[1:3])
    assert turns[1].text != turns[2].text  # never the same follow-up twice
    assert turns[3].kind == "core" and turns[3].number == 2


def test_after_i_dont_know_the_interviewer_tries_another_angle_once(student, make_interview):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)

    _answer(interview, student, text=WEAK)
    _answer(interview, student, text="I really don't know, sorry.")

    turns = list(interview.turns.order_by("position"))
    assert [(t.kind, t.number) for t in turns] == [("core", 1), ("followup", 1), ("core", 2)]
    assert turns[1].text.startswith("Let's come at it from another angle.")


def test_a_follow_up_answer_is_judged_with_the_core_question_it_follows(
    student, make_interview, monkeypatch
):
    judged = []
    evaluate = LocalEngine.evaluate

    def spy(engine, item):
        judged.append(item)
        return evaluate(engine, item)

    monkeypatch.setattr(LocalEngine, "evaluate", spy)
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)

    _answer(interview, student, text=WEAK)
    _answer(interview, student, text=WEAK)

    core, followup = interview.turns.order_by("position")[:2]
    assert followup.kind == "followup"
    assert [(item.question, item.follows) for item in judged] == [
        (core.text, ""),
        (followup.text, core.text),
    ]


def test_an_answer_or_skip_for_a_question_already_answered_elsewhere_is_refused(
    student, make_interview
):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    first = interview.turns.get().position
    services.answer_submit(
        interview_id=interview.pk, user=student, text=STRONG, client_id="tab-a", turn=first
    )
    events = interview.events.count()

    # A second tab still showing the first question answers it, or skips it, a moment later.
    for late in (
        lambda: services.answer_submit(
            interview_id=interview.pk, user=student, text=WEAK, client_id="tab-b", turn=first
        ),
        lambda: services.turn_skip(interview_id=interview.pk, user=student, turn=first),
    ):
        with pytest.raises(Refused) as refusal:
            late()
        assert refusal.value.code == "question_moved_on"
        assert "not recorded" in refusal.value.message

    assert _state(interview) == State.LISTENING
    assert interview.answers.count() == 1 and interview.events.count() == events
    with pytest.raises(Refused) as refusal:
        services.turn_skip(interview_id=interview.pk, user=student, turn="2")
    assert refusal.value.code == "bad_turn"
    # The question that is open now can still be answered, with or without its turn.
    now_open = interview.turns.order_by("position").last().position
    services.answer_submit(
        interview_id=interview.pk, user=student, text=WEAK, client_id="tab-b2", turn=now_open
    )
    assert interview.answers.count() == 2


def test_sending_the_same_answer_twice_stores_it_once(student, make_interview):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)

    first, created = _answer(interview, student, client_id="same")
    again, created_again = _answer(interview, student, client_id="same")

    assert created and not created_again
    assert first.pk == again.pk
    assert Answer.objects.filter(interview=interview).count() == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty_answer"), ("   \n ", "empty_answer"), ("x" * 20_000, "answer_too_long")],
)
def test_an_empty_or_oversized_answer_is_refused_and_nothing_changes(
    student, make_interview, text, code
):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    seq = interview.events.count()

    with pytest.raises(Refused) as refusal:
        _answer(interview, student, text=text)

    assert refusal.value.code == code
    assert _state(interview) == State.LISTENING
    assert interview.events.count() == seq
    assert not Answer.objects.exists()


def test_an_answer_while_paused_is_refused_and_resume_returns(student, make_interview):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    services.interview_pause(interview_id=interview.pk, user=student)

    with pytest.raises(Refused, match="paused"):
        _answer(interview, student)
    services.interview_resume(interview_id=interview.pk, user=student)

    assert _state(interview) == State.LISTENING
    assert not Answer.objects.exists()


def test_an_answer_before_start_is_refused(student, make_interview):
    interview = make_interview(student)
    with pytest.raises(Refused, match="Start the interview first"):
        _answer(interview, student)


def test_skip_records_the_question_as_skipped_and_moves_on(student, make_interview):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)

    answer = services.turn_skip(interview_id=interview.pk, user=student)

    assert answer.kind == Answer.Kind.SKIPPED
    assert answer.evaluation.overall == 0
    assert interview.turns.filter(kind="core").count() == 2  # no follow-up after a skip


def test_a_whole_interview_ends_with_a_report_that_separates_good_from_bad(student, make_interview):
    interview = make_interview(student, num_questions=3)
    services.interview_start(interview_id=interview.pk, user=student)

    while _state(interview) == State.LISTENING:
        turn = open_turn(interview)
        good = turn.number != 2
        text = turn.question.reference_answer if good else WEAK
        _answer(interview, student, text=text, client_id=f"t{turn.position}")

    assert _state(interview) == State.FINISHED
    report = Report.objects.get(interview=interview)
    scores = {q["number"]: q["scores"]["overall"] for q in report.questions if q["kind"] == "core"}
    assert scores[1] > scores[2] + 2 and scores[3] > scores[2] + 2
    assert 0 < report.overall < 100
    assert report.strengths and report.improvements
    assert list(interview.events.values_list("type", flat=True))[-1] == "report.ready"


def test_ending_early_reports_on_what_was_answered(student, make_interview):
    interview = make_interview(student, num_questions=5)
    services.interview_start(interview_id=interview.pk, user=student)
    _answer(interview, student)

    services.interview_end(interview_id=interview.pk, user=student)

    assert _state(interview) == State.FINISHED
    report = interview.report
    answered = [q for q in report.questions if q["answer"]]
    assert len(answered) == 1
    assert any(q["answer"] is None for q in report.questions)


def test_ending_before_starting_cancels(student, make_interview):
    interview = make_interview(student)
    services.interview_end(interview_id=interview.pk, user=student)
    assert _state(interview) == State.CANCELLED
    with pytest.raises(Refused, match="already ended"):
        services.interview_end(interview_id=interview.pk, user=student)


def test_another_users_interview_is_not_found(student, second_student, make_interview):
    interview = make_interview(student)
    with pytest.raises(NotFound):
        services.interview_start(interview_id=interview.pk, user=second_student)
    assert _state(interview) == State.READY


def test_a_redelivered_step_does_nothing_twice(student, make_interview):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    _answer(interview, student)
    events, turns = Event.objects.count(), Turn.objects.count()

    evaluating.evaluate_answers(interview.pk)
    asking.advance_interview(interview.pk)

    assert (Event.objects.count(), Turn.objects.count()) == (events, turns)
    assert Evaluation.objects.count() == 1


def test_the_local_engine_evaluates_decides_and_asks_in_one_short_transaction(
    student, make_interview, django_assert_max_num_queries, monkeypatch
):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    monkeypatch.setattr(tasks.evaluate_answers, "delay_on_commit", lambda *args: None)
    _answer(interview, student)
    seen = interview.events.count()

    # Each query is a round trip while the interview's row is locked; 23 before one transaction.
    with django_assert_max_num_queries(14):
        evaluating.evaluate_answers(interview.pk)

    assert _state(interview) == State.LISTENING
    assert interview.turns.count() == 2
    assert list(interview.events.filter(seq__gt=seen).values_list("type", flat=True)) == [
        "state",  # evaluating
        "evaluated",
        "state",  # deciding
        "state",  # asking
        "question",
        "state",  # listening
    ]


def test_a_slow_engine_does_not_store_an_evaluation_another_task_stored_meanwhile(
    student, make_interview, monkeypatch
):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    from ai.local.engine import LocalEngine

    class Slow(LocalEngine):
        instant = False  # type: ignore[assignment]

        def evaluate(self, item):
            # Meanwhile (outside the lock), a redelivered task evaluates the answer first.
            for answer in Answer.objects.filter(evaluation__isnull=True):
                Evaluation.objects.create(
                    answer=answer, **Scores(9, 9, 9, 9, 9).as_dict(), overall=9
                )
            return super().evaluate(item)

    monkeypatch.setattr(evaluating, "get_engine", Slow)
    _answer(interview, student)

    assert _state(interview) == State.LISTENING
    assert Evaluation.objects.get().overall == 9
    assert interview.turns.count() == 2


def test_a_step_that_fails_for_good_stops_in_error_and_resume_retries(
    student, make_interview, monkeypatch
):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    from ai.local.engine import LocalEngine

    def broken(self, item):
        raise RuntimeError("engine down")

    monkeypatch.setattr(LocalEngine, "evaluate", broken)
    _answer(interview, student)

    assert _state(interview) == State.ERROR
    assert interview.resume_to == State.PROCESSING  # the failed step's transaction rolled back
    assert "while considering your answer" in interview.error_message
    assert "Your answers are saved" in interview.error_message
    assert Answer.objects.filter(interview=interview).count() == 1
    assert interview.events.filter(type="error").exists()

    monkeypatch.undo()
    services.interview_resume(interview_id=interview.pk, user=student)

    assert _state(interview) == State.LISTENING
    assert Evaluation.objects.count() == 1


def test_no_question_repeats_in_a_fifteen_question_interview(student, make_interview):
    interview = make_interview(student, num_questions=15, level=Level.MID)
    services.interview_start(interview_id=interview.pk, user=student)
    while _state(interview) == State.LISTENING:
        turn = open_turn(interview)
        _answer(
            interview, student, text=turn.question.reference_answer, client_id=f"t{turn.position}"
        )

    core = list(interview.turns.filter(kind="core"))
    assert len(core) == 15
    assert len({t.question_id for t in core}) == 15
    from ai.local.picker import is_repeat

    for i, turn in enumerate(core):
        assert not is_repeat(turn.text, [t.text for t in core[:i]])
    skills = [t.skill_id for t in core]
    counts = sorted(skills.count(s) for s in set(skills))
    assert counts[-1] - counts[0] <= 1  # the requested skills are covered evenly


def test_a_student_gets_questions_they_have_not_met_before(student, make_interview):
    seen: set[int] = set()
    for _ in range(2):
        interview = make_interview(student, num_questions=4)
        services.interview_start(interview_id=interview.pk, user=student)
        services.interview_end(interview_id=interview.pk, user=student)
        asked = set(interview.turns.values_list("question_id", flat=True))
        assert not asked & seen
        seen |= asked


def test_only_published_questions_are_asked(student, make_interview, software):
    Question.objects.filter(track=software).exclude(skill__slug="debugging").update(status="draft")
    interview = make_interview(student, num_questions=3, interview_type="mixed")
    services.interview_start(interview_id=interview.pk, user=student)
    assert interview.turns.get().question.skill.slug == "debugging"


def test_a_question_set_is_asked_in_its_order(student, make_interview, software, organization):
    from questionbank.models import QuestionSet, QuestionSetItem

    chosen = list(Question.objects.filter(track=software).order_by("-pk")[:3])
    question_set = QuestionSet.objects.create(
        name="Northbridge mock", owner=organization, status="published"
    )
    for position, question in enumerate(chosen):
        QuestionSetItem.objects.create(
            question_set=question_set, question=question, position=position
        )
    interview = make_interview(student, question_set=question_set, num_questions=3)
    services.interview_start(interview_id=interview.pk, user=student)
    while _state(interview) == State.LISTENING:
        turn = open_turn(interview)
        _answer(
            interview, student, text=turn.question.reference_answer, client_id=f"s{turn.position}"
        )

    asked = list(interview.turns.filter(kind="core").order_by("position"))
    assert [t.question_id for t in asked] == [q.pk for q in chosen]


def test_another_organisations_question_set_is_refused(
    student, make_interview, software, other_organization
):
    from questionbank.models import QuestionSet, QuestionSetItem

    question_set = QuestionSet.objects.create(
        name="Theirs", owner=other_organization, status="published"
    )
    QuestionSetItem.objects.create(
        question_set=question_set, question=Question.objects.filter(track=software)[0]
    )
    with pytest.raises(ValidationError) as error:
        make_interview(student, question_set=question_set)
    assert "does not exist" in error.value.message_dict["question_set"][0]


def test_the_sweep_resends_the_step_of_an_interview_whose_task_was_lost(student, make_interview):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    turn = open_turn(interview)
    assert turn is not None
    # As if the answer was stored but its task never reached a worker (Redis restarted).
    Answer.objects.create(
        interview=interview, turn=turn, kind="text", text=STRONG, client_id="lost"
    )
    Interview.objects.filter(pk=interview.pk).update(
        state=State.PROCESSING, updated_at=timezone.now() - timedelta(minutes=10)
    )

    assert tasks.sweep_stalled() == 1

    assert _state(interview) == State.LISTENING
    assert Evaluation.objects.filter(answer__client_id="lost").exists()
    assert tasks.sweep_stalled() == 0
