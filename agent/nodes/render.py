"""render: the draft's files (edition.md, edition.html, claims.jsonl, run-report.json) and the ledger
in the store. Idempotent: a re-run writes the same files and the same rows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, Literal

from langgraph.runtime import Runtime

from agent.deps import Deps
from agent.domain.models import Draft, LeaderboardMove
from agent.nodes.select import selected_items
from agent.render import EditionView, render_html, render_markdown
from agent.report import build_run_report
from agent.state import DraftState, FetchedSource

__all__ = ["edition_view", "has_items", "nothing_gathered", "render", "source_urls", "write_atomic"]


def edition_view(state: DraftState, draft: Draft) -> EditionView:
    moves = [LeaderboardMove.model_validate(m) for m in state.get("moves", [])]
    return EditionView(draft=draft, sections=selected_items(state), moves=moves)


def source_urls(fetched: Iterable[FetchedSource]) -> dict[str, list[str]]:
    """Each source's own fetched URLs (not the pages its entries link to): where the run's archive
    keeps the evidence of an item whose text came from the source document itself."""
    urls: dict[str, list[str]] = {}
    for source in fetched:
        own = [r["url"] for r in source["responses"] if r.get("role") == "source"]
        urls[source["source"]] = list(dict.fromkeys([*urls.get(source["source"], []), *own]))
    return urls


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file so a killed run never leaves half a file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def has_items(state: DraftState) -> Literal["select", "nothing_gathered"]:
    """The edge after extract: a run that gathered nothing has nothing to draft or review."""
    return "select" if state.get("items") else "nothing_gathered"


async def nothing_gathered(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    """End a run whose every source failed or came back empty: a failed run with its report, not an empty
    edition sent to a reviewer."""
    deps = runtime.context
    options = state["options"]
    run_id = options["run_id"]
    out_dir = Path(options["out_dir"]) if options["out_dir"] else deps.run_dir / "draft"
    outputs = {"report": str(out_dir / "run-report.json"), "archive": str(deps.archive_path)}
    empty = Draft(
        edition_date=date.fromisoformat(options["edition_date"]),
        byline=deps.settings.byline,
        writer=deps.writer.name,
    )
    report = build_run_report(
        state,
        draft=empty,
        revision_hash="",
        outputs=outputs,
        counters=deps.counters,
        usage=deps.store.usage_totals(run_id),
    )
    report["failure"] = "no source returned any item: nothing to draft (see each source's reason)"
    write_atomic(Path(outputs["report"]), json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    deps.store.set_run_report(run_id, report)
    deps.store.set_run_status(run_id, "failed")
    deps.progress("render", "no source returned any item: the run failed, nothing goes to review")
    return {"outputs": outputs}


async def render(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    options = state["options"]
    run_id = options["run_id"]
    draft = Draft.model_validate(state["draft"])
    out_dir = Path(options["out_dir"]) if options["out_dir"] else deps.run_dir / "draft"
    view = edition_view(state, draft)
    outputs = {
        "markdown": str(out_dir / "edition.md"),
        "html": str(out_dir / "edition.html"),
        "claims": str(out_dir / "claims.jsonl"),
        "report": str(out_dir / "run-report.json"),
        "archive": str(deps.archive_path),
    }
    write_atomic(Path(outputs["markdown"]), render_markdown(view))
    write_atomic(Path(outputs["html"]), render_html(view, mode="draft"))
    write_atomic(
        Path(outputs["claims"]),
        "".join(json.dumps(c.model_dump(mode="json"), ensure_ascii=False) + "\n" for c in draft.claims),
    )
    # Saved with the draft: the edition's order and evidence locations, so that review, the review page
    # and publishing read the store alone (never this checkpoint).
    revision_hash = deps.store.save_draft(
        run_id,
        draft,
        sections=state.get("selected", {}),
        source_urls=source_urls(state.get("fetched", [])),
    )
    deps.store.save_claims(run_id, draft.revision, draft.claims)
    report = build_run_report(
        state,
        draft=draft,
        revision_hash=revision_hash,
        outputs=outputs,
        counters=deps.counters,
        usage=deps.store.usage_totals(run_id),
    )
    write_atomic(Path(outputs["report"]), json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    deps.store.set_run_report(run_id, report)
    deps.store.set_run_status(run_id, "awaiting_review")
    deps.progress("render", f"draft written to {out_dir}")
    return {"outputs": outputs}
