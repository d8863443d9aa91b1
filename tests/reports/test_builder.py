"""The report builder: pure aggregation of evaluations."""

from __future__ import annotations

import pytest

from reports.builder import TurnRecord, build, verdict_for
from reports.evidence import _questions


def _turn(position, number, kind="core", overall=5.0, skipped=False, answer="an answer", **extra):
    evaluation = {
        "technical": overall,
        "depth": overall,
        "experience": overall,
        "clarity": overall,
        "confidence": overall,
        "overall": overall,
        "strengths": extra.get("strengths", []),
        "missing": extra.get("missing", []),
        "red_flags": [],
        "signals": extra.get("signals", {}),
        "key_points": extra.get("key_points", []),
        "mistakes": extra.get("mistakes", []),
    }
    return TurnRecord(
        position=position,
        number=number,
        kind=kind,
        followup_type="" if kind == "core" else "probe",
        text=f"Question {number}",
        skill_id=extra.get("skill_id", 1),
        skill_name=extra.get("skill", "Debugging"),
        answer=None if answer is None else ("" if skipped else answer),
        skipped=skipped,
        evaluation=None if answer is None else evaluation,
    )


@pytest.mark.parametrize(
    ("overall", "verdict"),
    [
        (95, "strong_hire"),
        (80, "strong_hire"),
        (79, "hire"),
        (65, "hire"),
        (64, "borderline"),
        (50, "borderline"),
        (49, "needs_improvement"),
        (0, "needs_improvement"),
    ],
)
def test_verdict_thresholds(overall, verdict):
    assert verdict_for(overall) == verdict


def test_a_skipped_question_counts_as_zero_and_follow_ups_move_the_score():
    report = build(
        [
            _turn(1, 1, overall=8.0),
            _turn(2, 1, kind="followup", overall=3.0),
            _turn(3, 2, skipped=True, overall=0.0),
        ],
        track="Software",
        level="mid",
        total=2,
    )
    # question 1: 0.6 * 8 + 0.4 * 3 = 6.0; question 2 skipped: 0 → mean 3.0
    assert report.overall == 30
    assert "skipping 1" in report.summary


def test_each_missed_key_point_is_listed_once():
    turns = [
        _turn(1, 1, overall=2.0, missing=["Missed: profiling"]),
        _turn(2, 1, kind="followup", overall=2.0, missing=["Missed: profiling"]),
    ]
    report = build(turns, track="Software", level="mid", total=1)
    assert [i["text"] for i in report.improvements].count("Missed: profiling") == 1


def test_skills_are_scored_and_weak_ones_go_on_the_roadmap():
    turns = [
        _turn(1, 1, overall=9.0, skill_id=1, skill="Design"),
        _turn(2, 2, overall=3.0, skill_id=2, skill="Testing"),
    ]
    report = build(turns, track="Software", level="mid", total=2)
    assert {s["name"]: s["score"] for s in report.skills} == {"Design": 9.0, "Testing": 3.0}
    assert report.weak_skill_ids == [2]


def test_an_interview_ended_before_any_answer_says_so():
    report = build([_turn(1, 1, answer=None)], track="Software", level="mid", total=5)
    assert report.overall == 0 and report.verdict == "needs_improvement"
    assert "before answering" in report.summary
    assert report.questions[0]["answer"] is None


def test_frequent_hedging_becomes_an_improvement():
    turns = [
        _turn(1, 1, overall=4.0, signals={"hedges": ["I think", "maybe", "I think", "probably"]})
    ]
    report = build(turns, track="Software", level="mid", total=1)
    assert any("hedged 4 times" in i["text"] for i in report.improvements)


def test_a_weak_dimension_says_what_good_looks_like():
    report = build([_turn(1, 1, overall=3.0)], track="Software", level="mid", total=1)
    assert any(
        i["text"].startswith("Depth of understanding: 3.0/10. What good looks like: reasons")
        for i in report.improvements
    )


def test_spoken_answers_say_how_they_sounded_and_typed_ones_do_not():
    from dataclasses import replace

    from voice.delivery import measure

    spoken = measure(
        "um " + " ".join(["profile"] * 189), duration_seconds=60, levels=None, frame_seconds=0.02
    )
    report = build(
        [
            replace(_turn(1, 1), spoken=True, transcript_source="server", delivery=spoken),
            _turn(2, 2),
        ],
        track="Software Engineering",
        level="mid",
        total=2,
    )

    first, second = report.questions
    assert first["spoken"] and first["delivery"] == spoken
    assert first["transcript_source"] == "server"
    assert not second["spoken"] and second["delivery"] is None
    assert report.delivery["answers"] == 1 and report.delivery["wpm"] == 190
    assert report.delivery["guidance"][0] == "about 190 words a minute: slow down a little"


def test_a_typed_interview_has_no_delivery_section():
    report = build([_turn(1, 1)], track="Software Engineering", level="mid", total=1)
    assert report.delivery == {}


ROLLBACK = "Rolls back the release before debugging it"
SMALL = "Ships the fix behind a flag"


def test_a_point_made_in_the_core_answer_is_not_missed_in_its_follow_up():
    core = _turn(
        1,
        1,
        overall=7.0,
        key_points=[
            {"key_point": ROLLBACK, "covered": True},
            {"key_point": SMALL, "covered": False},
        ],
        missing=["Missed: shipping the fix behind a flag"],
    )
    followup = _turn(
        2,
        1,
        kind="followup",
        overall=4.0,
        key_points=[
            {"key_point": ROLLBACK, "covered": False},
            {"key_point": SMALL, "covered": False},
        ],
        missing=["Missed: rolling back the release", "Missed: shipping the fix behind a flag"],
    )
    report = build([core, followup], track="SE", level="mid", total=1)
    entry = report.questions[1]
    assert entry["missing"] == ["Missed: shipping the fix behind a flag"]
    assert not any("rolling back" in item["text"] for item in report.improvements)


def test_mistakes_lead_the_improvements_quoting_the_answer():
    mistake = {
        "kind": "red_flag",
        "text": "Blames the users for clicking too fast",
        "evidence": "Honestly the users just click too fast.",
    }
    report = build([_turn(1, 1, overall=3.0, mistakes=[mistake])], track="SE", level="mid", total=1)
    first = report.improvements[0]["text"]
    assert first.startswith("A panel would reject this: blames the users for clicking too fast.")
    assert "Honestly the users just click too fast." in first
    assert report.questions[0]["mistakes"] == [mistake]


def test_a_possible_mistake_is_worded_as_one():
    mistake = {
        "kind": "possible_red_flag",
        "text": "Changes the save handler code before reproducing the bug",
        "evidence": "I would look at the code for the form and check the save handler.",
    }
    report = build([_turn(1, 1, overall=3.0, mistakes=[mistake])], track="SE", level="mid", total=1)
    assert report.improvements[0]["text"].startswith(
        "A panel may read this as a mistake: changes the save handler code before reproducing"
    )


def test_a_core_question_carries_the_score_the_evidence_section_quotes():
    turns = [_turn(1, 1, overall=8.0), _turn(2, 1, kind="followup", overall=4.0)]
    report = build(turns, track="SE", level="mid", total=1)
    quoted = _questions(turns)[0].score
    assert report.questions[0]["question_score"] == round(quoted, 1)
    assert report.questions[1]["question_score"] is None
