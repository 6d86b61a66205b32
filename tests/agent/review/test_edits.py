"""Editing a sentence by hand: a new revision, checked at once, in the audit trail, under the same rules."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.decisions import decide
from agent.domain.errors import ReviewError
from agent.domain.models import Verdict
from agent.edits import ClaimEdit, edit_claim
from agent.publishing import publish_edition
from agent.review import DecisionRequest, open_for_review
from agent.settings import Settings
from agent.store import Store
from tests.conftest import ROOT
from tests.fakes.review_drafts import REFUSED_CLAIM_ID

QUARTZ = "Quartz Systems raised $40 million in a Series B round led by Harbor Ventures"
SUPPORTED_REWRITE = "Example News reports that Quartz Systems raised $40 million in a Series B round."
WRONG_REWRITE = "Example News reports that Quartz Systems raised $45 million in a Series B round."


def latest(settings: Settings, run_id: str) -> tuple[int, str, list[str]]:
    with Store.open(settings.database) as store:
        record = store.latest_draft(run_id)
        assert record is not None
        return record.revision, record.revision_hash, [c.id for c in record.draft.claims]


def test_a_rewritten_sentence_is_a_new_checked_revision_in_the_audit_trail(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    revision, digest, ids = latest(settings, run_id)
    outcome = edit_claim(
        settings,
        run_id,
        ClaimEdit(claim_id=REFUSED_CLAIM_ID, editor="ana", text=SUPPORTED_REWRITE, revision_hash=digest),
    )
    assert outcome.revision == revision + 1 and outcome.revision_hash != digest
    assert outcome.claim is not None and outcome.claim.verdict is Verdict.SUPPORTED
    assert not outcome.claim.flagged  # the writer's flag does not outlive the sentence it was on
    with Store.open(settings.database) as store:
        review = open_for_review(store, run_id)
        [edit] = store.claim_edits(run_id)
        earlier = store.get_draft(run_id, revision)
    assert review.record.revision == outcome.revision and [c.id for c in review.claims] == ids
    assert review.draft.claim(REFUSED_CLAIM_ID).text == SUPPORTED_REWRITE
    assert (edit.editor, edit.revision, edit.claim_id) == ("ana", outcome.revision, REFUSED_CLAIM_ID)
    assert QUARTZ in edit.old_text and edit.new_text == SUPPORTED_REWRITE and edit.verdict == "supported"
    assert edit.old_citations == edit.new_citations  # the citation was kept
    # The earlier revision is kept as it was; the draft files show the edited one.
    assert earlier is not None and QUARTZ in earlier.draft.claim(REFUSED_CLAIM_ID).text
    report = review_report_outputs(settings, run_id)
    assert SUPPORTED_REWRITE in Path(report["markdown"]).read_text(encoding="utf-8")


def review_report_outputs(settings: Settings, run_id: str) -> dict[str, str]:
    with Store.open(settings.database) as store:
        report = store.get_run(run_id).report
    assert report is not None
    return dict(report["outputs"])


def test_an_unsupported_edit_still_needs_an_override_and_the_edit_is_what_is_published(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    outcome = edit_claim(
        settings, run_id, ClaimEdit(claim_id=REFUSED_CLAIM_ID, editor="ana", text=WRONG_REWRITE)
    )
    assert outcome.claim is not None and outcome.claim.verdict is Verdict.UNSUPPORTED
    assert outcome.claim.flagged and any("45" in r for r in outcome.claim.reasons)
    approve = DecisionRequest(decision="approve", reviewer="ana")
    with pytest.raises(ReviewError, match="override"):
        asyncio.run(decide(settings, run_id, approve))
    overridden = DecisionRequest(decision="approve", reviewer="ana", override_reason="checked with Quartz")
    decided = asyncio.run(decide(settings, run_id, overridden))
    assert decided.review.revision == outcome.revision
    with Store.open(settings.database) as store:
        result = publish_edition(store, run_id, settings=settings)
    published = Path(result["dir"]) / "edition.md"
    assert WRONG_REWRITE in published.read_text(encoding="utf-8")


def test_a_deleted_sentence_leaves_the_revision_and_the_lead(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    revision, _, ids = latest(settings, run_id)
    outcome = edit_claim(settings, run_id, ClaimEdit(claim_id=REFUSED_CLAIM_ID, editor="ana", delete=True))
    assert outcome.claim is None and outcome.revision == revision + 1
    with Store.open(settings.database) as store:
        review = open_for_review(store, run_id)
        [edit] = store.claim_edits(run_id)
    assert [c.id for c in review.claims] == [i for i in ids if i != REFUSED_CLAIM_ID]
    assert all(REFUSED_CLAIM_ID not in p for p in review.draft.lead_paragraphs)
    assert edit.deleted and edit.new_text is None and QUARTZ in edit.old_text
    # Nothing blocks approval any more: the unsupported sentence is gone.
    decided = asyncio.run(decide(settings, run_id, DecisionRequest(decision="approve", reviewer="ana")))
    assert decided.review.revision == outcome.revision


def test_a_sentence_can_cite_another_passage_but_only_one_its_item_holds(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    revision, _, _ = latest(settings, run_id)
    item = "https://news.example/quartz-raises"
    with pytest.raises(ReviewError, match="not in the text"):
        edit_claim(
            settings,
            run_id,
            ClaimEdit(
                claim_id=REFUSED_CLAIM_ID,
                editor="ana",
                text="Quartz employs 85 people.",
                cite_item=item,
                quote="Quartz employs 86 people",
            ),
        )
    assert latest(settings, run_id)[0] == revision  # a refused edit changes nothing
    quote = "Quartz employs 85 people in Austin and plans to double its hardware team within a year."
    outcome = edit_claim(
        settings,
        run_id,
        ClaimEdit(
            claim_id=REFUSED_CLAIM_ID,
            editor="ana",
            text="Quartz employs 85 people in Austin.",
            cite_item=item,
            quote=quote,
        ),
    )
    assert outcome.claim is not None and outcome.claim.verdict is Verdict.SUPPORTED
    assert [c.quote for c in outcome.claim.citations] == [quote]


def test_stale_unknown_and_decided_edits_are_refused_without_a_trace(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    revision, digest, _ = latest(settings, run_id)
    edit_claim(settings, run_id, ClaimEdit(claim_id=REFUSED_CLAIM_ID, editor="ana", text=SUPPORTED_REWRITE))
    stale = ClaimEdit(claim_id=REFUSED_CLAIM_ID, editor="bo", text=WRONG_REWRITE, revision_hash=digest)
    with pytest.raises(ReviewError, match="changed since you looked"):
        edit_claim(settings, run_id, stale)
    with pytest.raises(ReviewError, match="no claim lead:9:9"):
        edit_claim(settings, run_id, ClaimEdit(claim_id="lead:9:9", editor="ana", text="Anything."))
    with pytest.raises(ReviewError, match="needs the new text"):
        edit_claim(settings, run_id, ClaimEdit(claim_id=REFUSED_CLAIM_ID, editor="ana", text="  "))
    assert latest(settings, run_id)[0] == revision + 1
    asyncio.run(decide(settings, run_id, DecisionRequest(decision="reject", reviewer="ana", comment="no")))
    with pytest.raises(ReviewError, match="not awaiting review"):
        edit_claim(
            settings, run_id, ClaimEdit(claim_id=REFUSED_CLAIM_ID, editor="ana", text=SUPPORTED_REWRITE)
        )


def test_a_request_for_changes_after_an_edit_writes_the_next_revision(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    edited = edit_claim(settings, run_id, ClaimEdit(claim_id=REFUSED_CLAIM_ID, editor="ana", delete=True))
    request = DecisionRequest(decision="request_changes", reviewer="ana", comment="Lead with Sextant 2")
    outcome = asyncio.run(decide(settings, run_id, request))
    assert outcome.status == "awaiting_review"
    revision, _, _ = latest(settings, run_id)
    assert revision == edited.revision + 1
    with Store.open(settings.database) as store:
        review = open_for_review(store, run_id)
    assert "Meridian Labs released Sextant 2" in review.claims[0].text  # the comment was followed


def test_the_terminal_edits_shows_the_check_and_the_audit_trail(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "INFERENCE_REPORT_"))}
    env |= {"INFERENCE_REPORT_HOME": str(settings.home), "INFERENCE_REPORT_REVIEWER": "ana", "COLUMNS": "200"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "agent", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    edited = run("review", run_id, "--edit", REFUSED_CLAIM_ID, "--text", WRONG_REWRITE)
    assert edited.returncode == 0, edited.stderr
    assert f"{REFUSED_CLAIM_ID} edited by ana" in edited.stdout and "checked: unsupported" in edited.stdout
    # The reason names the figure (in a "why:" line: the run id's 8 hex digits may hold a "45" too).
    assert any("45" in line for line in edited.stdout.splitlines() if line.lstrip().startswith("why:"))
    shown = run("review", run_id)
    assert "Edits by hand" in shown.stdout and WRONG_REWRITE in shown.stdout and "ana" in shown.stdout
    refused = run("review", run_id, "--edit", REFUSED_CLAIM_ID, "--text", "x", "--delete")
    assert refused.returncode != 0 and "either deletes" in refused.stderr
    mixed = run("review", run_id, "--approve", "--edit", REFUSED_CLAIM_ID, "--text", "x")
    assert mixed.returncode == 2 and "--edit" in mixed.stderr
    as_json = run("review", run_id, "--edit", REFUSED_CLAIM_ID, "--delete", "--json")
    assert as_json.returncode == 0, as_json.stderr
    document = json.loads(as_json.stdout)
    assert document["deleted"] and document["claim"] is None and document["editor"] == "ana"
