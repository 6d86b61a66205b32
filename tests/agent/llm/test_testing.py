"""The fake Messages API shipped beside the real client: kept out of the product, and citing like a writer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from agent.llm.testing import FakeMessagesAPI, RecordedRequest

REPO = Path(__file__).resolve().parents[3]

IMPORT_EVERY_AGENT_MODULE = """
import importlib, pkgutil, sys
import agent
names = [m.name for m in pkgutil.walk_packages(agent.__path__, "agent.")]
for name in names:
    if name not in ("agent.llm.testing", "agent.__main__"):
        importlib.import_module(name)
print(len(names), "agent.llm.testing" in sys.modules)
"""


def test_no_agent_module_imports_the_fake_at_import_time() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_AGENT_MODULE],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    count, imported = proc.stdout.split()
    assert int(count) > 20, "the walk found the agent package's modules"
    assert imported == "False"


def _document(item_id: str, text: str) -> dict[str, Any]:
    return {
        "type": "document",
        "source": {"type": "text", "media_type": "text/plain", "data": text},
        "title": item_id,
        "context": f"item id: {item_id}; section: wire",
        "citations": {"enabled": True},
    }


def _request(documents: list[dict[str, Any]], instruction: str) -> RecordedRequest:
    content = [*documents, {"type": "text", "text": instruction}]
    body = {"model": "m", "max_tokens": 100, "messages": [{"role": "user", "content": content}]}
    return RecordedRequest("POST", "/v1/messages", {}, body)


def _cited_documents(blocks: list[dict[str, Any]]) -> set[int]:
    return {c["document_index"] for b in blocks for c in b.get("citations", [])}


def test_a_lead_revise_round_naming_one_document_in_its_notes_is_still_answered_as_a_lead() -> None:
    documents = [
        _document(f"https://example.org/{n}", f"Story number {n} happened on a weekday.") for n in range(3)
    ]
    notes = (
        "<revision_notes>\n- 'Story number 0 happened.': evidence checked: https://example.org/0 [0:38]\n"
        "</revision_notes>"
    )
    respond = FakeMessagesAPI.citing_responder()
    first = respond(_request(documents, "Write the lead essay from the documents above."))
    revised = respond(_request(documents, f"Write the lead essay from the documents above.\n{notes}"))
    assert _cited_documents(first.content) == {0, 1, 2}
    assert _cited_documents(revised.content) == {0, 1, 2}
    # A summary request still names its one document.
    summary = respond(_request(documents, "Summarise one item, https://example.org/1, citing it only."))
    assert _cited_documents(summary.content) == {1}


def test_sentences_never_span_a_label_or_a_headline_above_them() -> None:
    text = (
        "Policy\n\nEU AI Office drafts rules on reporting the energy cost of inference\n\n"
        "Providers with more than 10 million monthly users would publish energy use. "
        "The rules would start in August 2027."
    )
    reply = FakeMessagesAPI.citing_responder()(_request([_document("eu", text)], "Summarise it."))
    cited = [b for b in reply.content if b.get("citations")]
    assert [b["text"] for b in cited] == [
        "Providers with more than 10 million monthly users would publish energy use.",
        "The rules would start in August 2027.",
    ]
    for block in cited:
        (citation,) = block["citations"]
        assert text[citation["start_char_index"] : citation["end_char_index"]] == block["text"]
