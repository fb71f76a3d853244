"""The party's conduct read from officers' notes (assistant/discretion/conduct.py, answers.split_open_questions):
125 phrases a helper session wrote blind on 2026-12-03 (fourth session) to break the readers — plain cases and traps
(negation far from the verb, a promise, a claim later contradicted, «开始…后来…», a fine paid that is no paper
handed over, double negatives). First run, before the readers were widened on them: cooperation 9 / 25, made-up
records 14 / 25, harm acted on 10 / 25, the duties after an accident 10 / 25, open questions 18 / 25."""

import json
from pathlib import Path

import pytest

from assistant.discretion.answers import split_open_questions
from assistant.discretion.conduct import compensated, cooperated, made_up, remedied, treated_in_time
from assistant.discretion.structure import _by_duties

PHRASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "conduct_phrases.jsonl").read_text(
    encoding="utf-8").splitlines() if line.strip()]
DUTIES = {"both": "主动承担赔偿责任，且限期采取治理措施",
          "one": "未主动承担赔偿责任，但限期采取治理措施或者主动承担赔偿责任，但未限期采取治理措施",
          "neither": "既未主动承担赔偿责任，也未限期采取治理措施"}


def _read(reader: str, text: str):
    if reader == "cooperated":
        return cooperated(text)
    if reader == "made_up":
        return made_up(text)
    if reader == "remedied":
        return remedied(text)
    if reader == "duties":
        picked = _by_duties(list(DUTIES.values()), text)
        return next((k for k, v in DUTIES.items() if v == picked), None)
    asked = split_open_questions(text)[1]
    return asked or None


@pytest.mark.parametrize("row", PHRASES, ids=[f"{r['reader']}-{i}" for i, r in enumerate(PHRASES)])
def test_a_phrase_is_read_as_a_careful_reader_would(row):
    got = _read(row["reader"], row["text"])
    if row["reader"] == "open_question":
        assert (got is None) == (row["expected"] is None) and (got is None or row["expected"] in got), row["why"]
    else:
        assert got == row["expected"], row["why"]


def test_each_duty_reader_alone():
    assert compensated("事故后主动赔了村民") is True
    assert compensated("赔偿是法院判决后才付的") is False
    assert compensated("赔偿情况待了解") is None
    assert treated_in_time("限期治理如期完工") is True
    assert treated_in_time("治理也完成了，但比规定期限晚了两个月") is False
    assert treated_in_time("厂里一切正常") is None
