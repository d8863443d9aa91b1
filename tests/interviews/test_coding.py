"""A coding interview through the services: one problem in six steps, the code's results
checked against the hidden tests on the server, the steps judged and reported."""

from __future__ import annotations

import pytest

from config.errors import Refused
from interviews import services
from interviews.models import Answer, Event, Interview
from interviews.selectors import open_turn
from interviews.state import State
from questionbank.coding import problems_load
from questionbank.models import CodingProblem, Level
from reports.models import Report

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

WORDS = {
    "understand": "So I get a list and must return the answer for each case; can the input be "
    "empty, and are there duplicates? With the first example I would expect exactly its output.",
    "match": "This is a pattern problem: I would use a hash map or binary search because the "
    "input allows a lookup in constant or logarithmic time instead of a nested loop.",
    "plan": "First handle the empty input. Then loop once over the input, keep what I have seen, "
    "and build the result in order; finally return it.",
    "review": "Walking through the first example: the loop visits each item once and the result "
    "matches. The empty input returns at once, and duplicates are handled by the map.",
}


@pytest.fixture
def coding(software) -> CodingProblem:
    assert problems_load() > 0
    return CodingProblem.objects.filter(question__track=software).first()


def _coding_interview(user, software):
    return services.interview_create(
        user=user,
        track=software,
        level=Level.JUNIOR,
        interview_type="coding",
        num_questions=3,
        answer_mode="voice",
    )


def _results(
    problem: CodingProblem, *, wrong: frozenset[int] | set[int] = frozenset(), claim: bool = True
):
    """What a browser's run sends: each test's output (the expected one, unless `wrong`)."""
    results = []
    for index, test in enumerate(problem.tests):
        output = "not it" if index in wrong else test["expected"]
        result = {"id": index, "output": output, "ms": 0.4}
        if claim:
            result["passed"] = index not in wrong
        results.append(result)
    return results


def _run(interview, user, problem, *, code_results, evaluate="It is O(n) time and O(n) space."):
    """Answer every step (and any follow-up) until the interview ends."""
    n = 0
    while (turn := open_turn(interview)) is not None:
        n += 1
        if turn.step == "implement" and turn.kind == "core":
            code = {
                "language": "python",
                "source": problem.reference_solution["python"],
                "results": code_results,
            }
            services.answer_submit(
                interview_id=interview.pk, user=user, text="", client_id=f"c{n}", code=code
            )
        elif turn.step == "evaluate" and turn.kind == "core":
            services.answer_submit(
                interview_id=interview.pk, user=user, text=evaluate, client_id=f"c{n}"
            )
        else:
            services.answer_submit(
                interview_id=interview.pk,
                user=user,
                text=WORDS.get(turn.step, "I would test the edge cases again."),
                client_id=f"c{n}",
            )
        interview.refresh_from_db()


def test_a_coding_interview_is_one_problem_in_six_typed_steps(student, software, coding):
    interview = _coding_interview(student, software)
    assert interview.num_questions == 6 and interview.answer_mode == Interview.AnswerMode.TEXT
    services.interview_start(interview_id=interview.pk, user=student)
    question = Event.objects.filter(interview=interview, type="question").get().payload
    assert question["step"] == "understand"
    assert question["text"].startswith("Understand (step 1 of 6)")
    problem = CodingProblem.objects.get(pk=interview.turns.get().question_id)
    shown = question["problem"]
    assert shown["statement"] == problem.question.text
    # The browser gets every test's arguments, but never a hidden one's expected output.
    assert len(shown["tests"]) == len(problem.tests)
    for test, original in zip(shown["tests"], problem.tests, strict=True):
        assert test["args"] == original["args"]
        assert ("expected" in test) is (not original.get("hidden"))
    assert "reference_solution" not in shown


def test_a_correct_solution_passes_and_the_report_shows_every_step(student, software, coding):
    interview = _coding_interview(student, software)
    services.interview_start(interview_id=interview.pk, user=student)
    problem = CodingProblem.objects.get(pk=interview.turns.get().question_id)
    time = problem.time_complexity
    _run(
        interview, student, problem, code_results=_results(problem), evaluate=f"It runs in {time}."
    )
    interview.refresh_from_db()
    assert interview.state == State.FINISHED
    steps = [t.step for t in interview.turns.filter(kind="core").order_by("position")]
    assert steps == ["understand", "match", "plan", "implement", "review", "evaluate"]
    implement = Answer.objects.get(turn__step="implement", turn__kind="core", interview=interview)
    assert implement.code["language"] == "python"
    assert all(r["passed"] for r in implement.code["results"])
    assert implement.evaluation.technical == 10
    assert implement.evaluation.signals["tests"]["passed"] == len(problem.tests)
    evaluate = Answer.objects.get(turn__step="evaluate", turn__kind="core", interview=interview)
    assert evaluate.evaluation.signals["complexity"]["matches"] is True
    report = {"questions": Report.objects.get(interview=interview).questions}
    questions = [q for q in report["questions"] if q["kind"] == "core"]
    assert [q["step"] for q in questions] == steps
    code = questions[3]["code"]
    assert code["passed"] == code["total"] == len(problem.tests)


def test_a_wrong_solution_fails_hidden_tests_and_the_report_says_which(
    student, software, coding, client_for
):
    interview = _coding_interview(student, software)
    services.interview_start(interview_id=interview.pk, user=student)
    problem = CodingProblem.objects.get(pk=interview.turns.get().question_id)
    hidden = [i for i, t in enumerate(problem.tests) if t.get("hidden")][:2]
    _run(
        interview,
        student,
        problem,
        code_results=_results(problem, wrong=set(hidden)),
        evaluate="I think it is O(n^3) time.",
    )
    implement = Answer.objects.get(turn__step="implement", turn__kind="core", interview=interview)
    assert implement.evaluation.technical < 10
    report = {"questions": Report.objects.get(interview=interview).questions}
    code = next(q["code"] for q in report["questions"] if q.get("code"))
    failed = [t["id"] for t in code["tests"] if not t["passed"]]
    assert failed == hidden
    said = f"failed 2 of {sum(1 for t in problem.tests if t.get('hidden'))} hidden tests"
    assert any(said in m for q in report["questions"] for m in q["missing"])
    evaluate = Answer.objects.get(turn__step="evaluate", turn__kind="core", interview=interview)
    assert evaluate.evaluation.signals["complexity"]["matches"] is False
    assert "O(n^3)" in evaluate.evaluation.mistakes[0]["evidence"]
    page = client_for(student).get(f"/interviews/{interview.pk}/report/").content.decode()
    assert "Step 4: Implement" in page
    numbers = ", ".join(str(i + 1) for i in hidden)
    assert f"failed hidden tests {numbers}" in page
    assert problem.reference_solution["python"].splitlines()[0] in page  # the code as sent


def _at_implement(interview, user):
    n = 0
    while (turn := open_turn(interview)).step != "implement":
        n += 1
        services.answer_submit(
            interview_id=interview.pk,
            user=user,
            text=WORDS.get(turn.step, "More detail."),
            client_id=f"w{n}",
        )
        interview.refresh_from_db()
    return open_turn(interview)


def test_code_results_that_disagree_with_the_expected_outputs_are_refused(
    student, software, coding
):
    interview = _coding_interview(student, software)
    services.interview_start(interview_id=interview.pk, user=student)
    problem = CodingProblem.objects.get(pk=interview.turns.get().question_id)
    turn = _at_implement(interview, student)
    hidden = next(i for i, t in enumerate(problem.tests) if t.get("hidden"))
    lying = _results(problem, wrong={hidden})
    lying[hidden]["passed"] = True  # claims a pass its output does not earn
    cases = [
        ({"language": "python", "source": "def f(): pass", "results": lying}, "results_disagree"),
        (
            {"language": "python", "source": "x" * 10_000_000, "results": _results(problem)},
            "code_too_long",
        ),
        (
            {"language": "ruby", "source": "def f; end", "results": _results(problem)},
            "bad_language",
        ),
        (
            {"language": "python", "source": "def f(): pass", "results": _results(problem)[:-1]},
            "bad_results",
        ),
        ({"language": "python", "source": "   ", "results": _results(problem)}, "empty_code"),
        ("print(1)", "bad_code"),
    ]
    for code, refused in cases:
        with pytest.raises(Refused) as caught:
            services.answer_submit(
                interview_id=interview.pk, user=student, text="", client_id="x", code=code
            )
        assert caught.value.code == refused
    with pytest.raises(Refused) as caught:
        services.answer_submit(
            interview_id=interview.pk, user=student, text="I'd loop.", client_id="y"
        )
    assert caught.value.code == "code_expected"
    # Nothing was stored: the step still waits for the code.
    assert not Answer.objects.filter(turn=turn).exists()
    assert open_turn(interview) == turn


def test_an_infinite_loop_stopped_by_the_browser_is_stored_as_failed_tests(
    student, software, coding
):
    interview = _coding_interview(student, software)
    services.interview_start(interview_id=interview.pk, user=student)
    problem = CodingProblem.objects.get(pk=interview.turns.get().question_id)
    turn = _at_implement(interview, student)
    stopped = [
        {"id": i, "output": None, "error": "Stopped after 5 s: does it loop forever?", "ms": 5000}
        for i in range(len(problem.tests))
    ]
    code = {
        "language": "javascript",
        "source": "function f() { while (true) {} }",
        "results": stopped,
    }
    services.answer_submit(
        interview_id=interview.pk, user=student, text="", client_id="loop", code=code
    )
    answer = Answer.objects.get(turn=turn)
    assert answer.code["results"][0]["error"].startswith("Stopped after 5 s")
    assert answer.evaluation.technical == 0


def test_code_is_refused_at_a_step_answered_in_words(student, software, coding):
    interview = _coding_interview(student, software)
    services.interview_start(interview_id=interview.pk, user=student)
    with pytest.raises(Refused) as caught:
        services.answer_submit(
            interview_id=interview.pk,
            user=student,
            text="",
            client_id="z",
            code={"language": "python", "source": "x", "results": []},
        )
    assert caught.value.code == "code_not_expected"


def test_the_setup_page_offers_a_coding_interview_only_where_there_are_problems(
    student, software, client_for
):
    page = client_for(student)
    url = "/interviews/new/?track=software-engineering"
    assert 'value="coding"' not in page.get(url).content.decode()
    problems_load()
    assert 'value="coding"' in page.get(url).content.decode()
    made = page.post(
        url,
        {
            "track": "software-engineering",
            "level": "2",
            "interview_type": "coding",
            "num_questions": "8",
            "answer_mode": "voice",
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    interview = Interview.objects.get(user=student)
    assert interview.num_questions == 6 and interview.answer_mode == "text"
    room = page.get(made["Location"]).content.decode()
    assert 'data-interview-type="coding"' in room and 'data-csp-nonce="' in room
