"""The local answer evaluator: red flags, signals, dimension scores, key points, the bank."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ai.base import AnswerToEvaluate
from ai.local.engine import LocalEngine
from ai.local.evaluator import (
    RED_FLAGS,
    AnswerInput,
    LocalEvaluation,
    correctness,
    evaluate,
)

BANK_DIR = Path(__file__).resolve().parents[2] / "questionbank" / "bank"

QUESTION = (
    "You're asked to fix a bug where users say a long form sometimes loses what they typed in "
    "the last field when they click Save, but it never happens on your machine. How would you "
    "go about it?"
)
REFERENCE = (
    "First I'd try to reproduce it, because I can't verify a fix for a bug I can't see. I'd "
    "collect details from the reports: which browser and device, how quickly they clicked, and "
    "whether it's always the same field. One cause I'd suspect early is a race: if the field "
    "saves its value on blur or after a debounce, clicking Save straight after typing can submit "
    "the form before the last value reaches the form state. To test that, I'd throttle the CPU "
    "and network in DevTools and inspect the request payload. If I can reproduce it, I'd write a "
    "failing test, fix the cause, and confirm the test passes. If I still can't reproduce it, "
    "I'd log the submitted payload so the next occurrence gives me evidence."
)
KEY_POINTS = (
    "Tries to reproduce the bug reliably before changing any code",
    "Gathers environment details from reports: browser, device and exact user actions",
    "Forms a concrete hypothesis such as a blur, debounce or submit race",
    "Writes a failing test first, then confirms the fix makes it pass",
)
STRONG = (
    "The first thing I'd do is reproduce it, because I can't be sure a fix works if I never see "
    "the bug. I'd ask the people who reported it which browser and device they were on and "
    "exactly what they did. My main suspicion would be a race: if the input only updates the "
    "form state on blur or after a debounce, clicking Save straight away can submit the form "
    "before the last value arrives. I'd check that by throttling the CPU and network in Chrome "
    "DevTools and looking at the request payload. Once I can reproduce it, I'd write a failing "
    "test, fix it by reading the values at submit time, and confirm the test passes."
)
MEDIUM = (
    "I would look at the code for the form and check the save handler. Maybe there is a bug in "
    "how the last field is saved. I would add some console logs and then fix whatever is wrong."
)
WEAK = "I'm not really sure, maybe I would just look into it and try something."
OFF_TOPIC = (
    "Last summer I went on holiday to Portugal with my family for two weeks. We stayed in a small "
    "village near the coast and every morning I baked bread with my grandmother, which I really "
    "enjoyed. The weather was hot, around 35 degrees, so we spent the afternoons at the beach and "
    "the evenings eating grilled sardines. I also learned a few words of Portuguese and read "
    "three novels. It was one of the most relaxing trips I have ever had, and I would love to go "
    "back next year with my friends."
)
BEHAVIOURAL_QUESTION = (
    "Tell me about a time you were in a group where one member wasn't pulling their weight. "
    "What did you do?"
)
GOOD_STORY = (
    "Last year in a software engineering module we had a five-person team building a booking "
    "app, worth half the grade. My role was to coordinate the sprint, and one teammate had "
    "missed two stand-ups and his login feature was a week behind. Instead of raising it in the "
    "group chat, I asked him for a quick call and asked how things were going. He admitted he "
    "was struggling with the authentication library. I paired with him for two evenings and set "
    "up a Trello board with owners and due dates. As a result we delivered on time and got 72%, "
    "and I learned to check in privately and early."
)
FLAT_STORY = (
    "Group work can be hard when people have different levels of motivation. It is important "
    "to communicate and be fair to everyone in the group and to share the work properly."
)


def _evaluate(answer: str, **overrides: object) -> LocalEvaluation:
    fields: dict[str, object] = {
        "question": QUESTION,
        "reference": REFERENCE,
        "key_points": KEY_POINTS,
        "answer": answer,
        "question_type": "technical",
    }
    fields.update(overrides)
    return evaluate(AnswerInput(**fields))  # type: ignore[arg-type]


def _bank_questions() -> list[dict]:
    questions = []
    for path in sorted(BANK_DIR.glob("*.json")):
        for question in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            questions.append(question)
    return questions


BANK = _bank_questions()


# --- red flags and floors ---------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["", "   ", "\n\t"])
def test_empty_answer_scores_zero_everywhere(answer):
    result = _evaluate(answer)
    assert result.red_flags == ["empty"]
    assert result.scores.as_dict() == dict.fromkeys(result.scores.as_dict(), 0.0)
    assert result.overall == 0.0
    assert result.strengths == []
    assert result.word_count == 0


@pytest.mark.parametrize(
    "answer",
    ["I don't know.", "Sorry, I have no idea.", "not answered", "I really don't know, sorry."],
)
def test_dont_know_is_flagged_and_scores_very_low(answer):
    result = _evaluate(answer)
    assert "dont_know" in result.red_flags
    assert all(value <= 1.0 for value in result.scores.as_dict().values())
    assert result.overall < 1.0
    assert correctness(QUESTION, REFERENCE, answer) == 0.0


def test_hedged_give_up_is_flagged_dont_know():
    result = _evaluate(WEAK)
    assert "dont_know" in result.red_flags
    assert result.overall < 1.5


def test_long_off_topic_answer_scores_low_on_technical():
    result = _evaluate(OFF_TOPIC)
    assert "off_topic" in result.red_flags
    assert result.scores.technical <= 2.0
    assert max(result.scores.as_dict().values()) <= 2.0
    # Length alone buys nothing: a short on-topic answer beats the long ramble on technical.
    assert _evaluate(MEDIUM).scores.technical > result.scores.technical
    assert correctness(QUESTION, REFERENCE, OFF_TOPIC) < 0.3


def test_short_answer_is_flagged_too_short():
    result = _evaluate("I would reproduce it with DevTools first.")
    assert "too_short" in result.red_flags
    assert "empty" not in result.red_flags
    assert set(result.red_flags) <= set(RED_FLAGS)


# --- signals ----------------------------------------------------------------------------------


def test_hedging_is_detected_and_lowers_confidence():
    committed = STRONG
    hedged = (
        "I think maybe I'd try to reproduce it, I guess, because I probably can't fix a bug I "
        "can't see. I'd kind of ask which browser and device they used, I'm not sure. Perhaps "
        "it's a race on blur or a debounce, sort of, so clicking Save might submit the form "
        "before the last value arrives."
    )
    committed_result, hedged_result = _evaluate(committed), _evaluate(hedged)
    assert {"i think", "maybe", "i guess", "probably", "kind of", "perhaps", "sort of"} <= set(
        hedged_result.hedges
    )
    assert committed_result.hedges == []
    assert hedged_result.scores.confidence < committed_result.scores.confidence - 3


def test_fillers_are_detected_but_like_as_a_preposition_is_not():
    result = _evaluate(
        "Um, so, like, I would, you know, reproduce it first. Uh, tools like DevTools help, "
        "and I'd like to check the payload because it shows what was sent."
    )
    assert result.fillers.count("like") == 1
    assert {"um", "uh", "you know"} <= set(result.fillers)
    clean = _evaluate(
        "I would reproduce it first. Tools like DevTools help, and I'd like to check the payload "
        "because it shows what was sent."
    )
    assert clean.fillers == []
    assert result.scores.clarity < clean.scores.clarity


def test_star_shape_detected_for_a_good_behavioural_answer():
    good = _evaluate(
        GOOD_STORY,
        question=BEHAVIOURAL_QUESTION,
        reference=GOOD_STORY,
        key_points=(),
        question_type="behavioural",
    )
    flat = _evaluate(
        FLAT_STORY,
        question=BEHAVIOURAL_QUESTION,
        reference=GOOD_STORY,
        key_points=(),
        question_type="behavioural",
    )
    assert good.star == {"situation": True, "task": True, "action": True, "result": True}
    assert not flat.star["action"] and not flat.star["result"]
    assert good.scores.clarity > flat.scores.clarity
    assert good.concrete["first_person_actions"] >= 3
    assert good.concrete["numbers"] >= 2
    assert good.concrete["named_tools"] >= 1
    assert "quantifies impact" in good.seniority_signals
    assert "reflects on lessons" in good.seniority_signals


# --- strong beats weak on each dimension ------------------------------------------------------


def test_strong_answer_beats_medium_and_weak_overall_and_on_technical_and_depth():
    strong, medium, weak = _evaluate(STRONG), _evaluate(MEDIUM), _evaluate(WEAK)
    assert strong.overall > medium.overall > weak.overall
    assert strong.scores.technical > medium.scores.technical > weak.scores.technical
    assert strong.scores.depth > medium.scores.depth
    assert strong.scores.technical >= 7
    assert medium.scores.technical < 6.5


def test_reasons_and_trade_offs_raise_depth():
    bare = "I'd add an index on customer_id and created_at. I'd check the plan with EXPLAIN."
    reasoned = (
        "I'd add an index on customer_id and created_at, because the query filters by customer "
        "and sorts by date, so the database can stop after the limit. The trade-off is slower "
        "inserts, however that is usually worth it. I'd check the plan with EXPLAIN instead of "
        "guessing."
    )
    context = {
        "question": "A query for a customer's latest orders got slow at 50 million rows. Fix it?",
        "reference": (
            "I'd run EXPLAIN ANALYZE, expect a sequential scan and sort, and add a composite index "
            "on customer_id and created_at so the database reads that customer's rows in order "
            "and stops after the limit. I'd build it concurrently and confirm the new plan."
        ),
        "key_points": (),
    }
    assert _evaluate(reasoned, **context).scores.depth > _evaluate(bare, **context).scores.depth + 2


def test_first_hand_numbers_tools_and_time_raise_experience():
    generic = "You should reproduce the bug, look at what the browser sends and then fix it."
    lived = (
        "At my internship last year I reproduced a bug like this in Chrome DevTools with 4x CPU "
        "throttling. I found the payload missed the last field in 3 of 20 tries, I fixed the "
        "debounce and I added a Cypress test."
    )
    assert _evaluate(lived).scores.experience > _evaluate(generic).scores.experience + 4


def test_structure_raises_clarity():
    rambling = (
        "so the form and the save and the field it loses it and maybe the browser or the network "
        "and the debounce and the state and the payload and the test and the logs and whatever"
    )
    structured = (
        "First, I'd reproduce the bug. Then I'd look at the request payload in DevTools. Next, "
        "I'd write a failing test. Finally, I'd fix the debounce and confirm the test passes."
    )
    assert _evaluate(structured).scores.clarity > _evaluate(rambling).scores.clarity + 3


# --- key points and feedback ------------------------------------------------------------------


def test_key_point_coverage_names_the_evidence_and_the_gaps():
    answer = (
        "First I'd reproduce the bug reliably before touching any code. I'd ask the reporters "
        "which browser and device they used and exactly what they clicked."
    )
    result = _evaluate(answer)
    covered = {match.key_point: match for match in result.key_points}
    assert covered[KEY_POINTS[0]].covered
    assert covered[KEY_POINTS[0]].evidence.startswith("First I'd reproduce")
    assert covered[KEY_POINTS[1]].covered
    assert "browser" in covered[KEY_POINTS[1]].evidence
    assert not covered[KEY_POINTS[3]].covered
    assert all(0.0 <= match.score <= 1.0 for match in result.key_points)
    assert "Missed: writing a failing test first, then confirms the fix makes it pass" in (
        result.missing
    )
    assert not any("reproduce the bug reliably" in line for line in result.missing)


def test_with_embeddings_a_key_point_made_in_other_words_is_covered(fake_embeddings):
    paraphrase = "Step one is making the glitch happen again on demand, before I edit anything."
    answer = f"{paraphrase} Then I'd look at the logs."
    lexically = _evaluate(answer).key_points[0]
    fake_embeddings({KEY_POINTS[0]: [1, 0], paraphrase: [0.95, 0.31]})
    by_meaning = _evaluate(answer).key_points[0]
    assert not lexically.covered
    assert by_meaning.covered
    assert by_meaning.evidence == paraphrase


def test_with_embeddings_correctness_credits_a_paraphrase_of_the_reference(fake_embeddings):
    question = "What is a pointer?"
    reference = "A variable that contains the address in memory of another variable."
    paraphrase = "It tells you where some other value lives in RAM."
    unrelated = "It tells you how many times some other loop runs."
    lexically = correctness(question, reference, paraphrase)
    fake_embeddings({reference: [1, 0], paraphrase: [0.9, 0.44]})
    assert correctness(question, reference, paraphrase) > lexically
    assert correctness(question, reference, paraphrase) > correctness(
        question, reference, unrelated
    )


def test_strengths_quote_the_answer():
    result = _evaluate(STRONG)
    assert result.strengths
    quoted = [
        line.split('"')[1].rstrip("…").lstrip("…") for line in result.strengths if '"' in line
    ]
    assert quoted
    assert all(fragment in STRONG for fragment in quoted)
    assert any(line.startswith("You explained why") for line in result.strengths)


def test_reference_without_key_points_reports_what_was_missed():
    result = evaluate(
        AnswerInput(
            question="What is a pointer?",
            reference="A variable that contains the address in memory of another variable.",
            key_points=(),
            answer="It is a variable.",
            question_type="technical",
        )
    )
    assert result.key_points == []
    assert result.missing and "address" in result.missing[0]


def test_evaluation_is_deterministic():
    answer = " ".join([STRONG, STRONG, STRONG[:400]])
    assert 250 <= len(answer.split()) <= 350
    assert _evaluate(answer) == _evaluate(answer)


# --- follow-ups -----------------------------------------------------------------------------

CI_QUESTION = next(q for q in BANK if q["text"].startswith("You've finished a feature on your"))
GENERIC = (
    "In my last role I owned exactly this. First I clarify requirements and constraints: load, "
    "latency budget and consistency. Then I measure before changing anything. For example, when "
    "our order API's p95 latency doubled, I profiled it, found an N+1 query, added an index and a "
    "cache with a short TTL, and p95 went from 800 ms to 120 ms. The trade-off was staleness "
    "versus speed, so we invalidated on writes and added alerts. Looking back I would add the "
    "load test earlier because it catches regressions in CI."
)


def _follow_up(answer: str):
    return LocalEngine().evaluate(
        AnswerToEvaluate(
            question=CI_QUESTION["follow_ups"][1],
            reference=CI_QUESTION["reference_answer"],
            key_points=CI_QUESTION["key_points"],
            answer=answer,
            question_type=CI_QUESTION["type"],
            follows=CI_QUESTION["text"],
        )
    )


def test_a_follow_up_answer_gets_no_credit_for_the_core_questions_own_words():
    # "test", "fails", "CI": given away by the core question, as they are when it is answered.
    result = _follow_up(GENERIC)

    assert "off_topic" in result.red_flags
    assert not any(p["covered"] for p in result.key_points)
    assert result.scores.overall() < 3


def test_a_real_answer_to_the_follow_up_is_on_topic_and_credited():
    result = _follow_up(
        "I'd give it about 30 to 45 minutes before asking a teammate, because by then I've read "
        "the failure and checked main, and more time alone costs the team more than a quick "
        "question. In a busy week I would still ask, but I'd write down what I tried first so "
        "that the question takes five minutes, and I would not merge on red in the meantime."
    )

    assert "off_topic" not in result.red_flags
    assert any(p["covered"] for p in result.key_points)
    assert result.scores.overall() > _follow_up(GENERIC).scores.overall() + 2


# --- every bank question ----------------------------------------------------------------------


@pytest.mark.parametrize("question", BANK, ids=[q["text"][:60] for q in BANK])
def test_bank_reference_beats_weak_and_off_topic_answers(question):
    def overall(answer: str) -> float:
        return evaluate(
            AnswerInput(
                question=question["text"],
                reference=question["reference_answer"],
                key_points=question["key_points"],
                answer=answer,
                question_type=question["type"],
            )
        ).overall

    reference = overall(question["reference_answer"])
    assert reference > overall(WEAK) + 3
    assert reference > overall(OFF_TOPIC) + 3


def test_bank_is_present():
    assert len(BANK) >= 100
