from __future__ import annotations

from evals.gate import Baseline, GateResult
from evals.report import SuiteOutcome, render_markdown
from evals.suites import SuiteResult


def test_the_markdown_report_says_how_to_read_a_suites_figures() -> None:
    result = SuiteResult(
        "grounding-dev",
        metrics={"balanced_accuracy": 0.7, "cross_validated.balanced_accuracy": 0.68},
        details={"note": "cross_validated.* is held out"},
    )
    baseline = Baseline(floors={"grounding-dev": {"balanced_accuracy": 0.7}})
    markdown = render_markdown([SuiteOutcome(result, GateResult("grounding-dev"))], baseline)
    assert "| cross_validated.balanced_accuracy | 0.6800 |  |" in markdown
    assert "How to read these: cross_validated.* is held out." in markdown
    table_end = markdown.index("| cross_validated")
    assert markdown.index("How to read these") > table_end


def test_a_ceiling_is_shown_as_one() -> None:
    from evals.gate import Baseline, compare
    from evals.report import SuiteOutcome, render_markdown
    from evals.suites import SuiteResult

    result = SuiteResult("summedits-dev", metrics={"false_flag_rate": 0.03, "catch_rate": 0.37})
    baseline = Baseline(
        floors={"summedits-dev": {"catch_rate": 0.37}}, ceilings={"summedits-dev": {"false_flag_rate": 0.031}}
    )
    text = render_markdown([SuiteOutcome(result, compare(result, baseline))], baseline)
    assert "| false_flag_rate | 0.0300 | ≤ 0.0310 |" in text and "| catch_rate | 0.3700 | 0.3700 |" in text
