"""The run report (``run-report.json``): what an editor or operator needs to trust or fix a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agent.domain.models import SECTION_TITLES, Draft, Section, Verdict
from agent.state import DraftState
from agent.store import UsageTotals

__all__ = [
    "LeftOut",
    "SectionAccount",
    "SelectionAccount",
    "build_run_report",
    "dropped_by_section",
    "empty_section_reason",
    "report_warnings",
    "selection_account",
]

_SECTIONS = tuple(section.value for section in Section)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """One item the edition does not show, as a reviewer reads it."""

    item_id: str
    title: str
    source: str  # the source's title when it has one
    reason: str  # in words: "outside window", "duplicate", ...
    detail: str


@dataclass(frozen=True, slots=True)
class SectionAccount:
    key: str
    title: str
    shown: int
    left_out: tuple[LeftOut, ...]
    empty_reason: str | None  # set when the section shows nothing


@dataclass(frozen=True, slots=True)
class SelectionAccount:
    """What the edition left out and why, per section, and the warnings a reviewer must see."""

    warnings: tuple[str, ...]
    sections: tuple[SectionAccount, ...]

    @property
    def left_out(self) -> int:
        return sum(len(s.left_out) for s in self.sections)

    def empty_reasons(self) -> dict[str, str]:
        return {s.key: s.empty_reason for s in self.sections if s.empty_reason}


def selection_account(
    report: Mapping[str, Any] | None, *, source_titles: Mapping[str, str] | None = None
) -> SelectionAccount | None:
    """The run report's account of its selection; None for a report written before it kept one."""
    if not report or "dropped" not in report:
        return None
    titles = source_titles or {}
    grouped = dropped_by_section(report)
    shown = report.get("items_per_section") or {}
    sections = tuple(
        SectionAccount(
            key=key,
            title=SECTION_TITLES.get(Section(key), key) if key in _SECTIONS else key,
            shown=int(shown.get(key, 0)),
            left_out=tuple(
                LeftOut(
                    item_id=str(d.get("item_id", "")),
                    title=str(d.get("title", "")),
                    source=titles.get(str(d.get("source", "")), str(d.get("source", ""))),
                    reason=str(d.get("reason", "")).replace("_", " "),
                    detail=str(d.get("detail", "")),
                )
                for d in entries
            ),
            empty_reason=empty_section_reason(report, key),
        )
        for key, entries in grouped.items()
    )
    return SelectionAccount(
        warnings=tuple(report.get("warnings") or report_warnings(report)), sections=sections
    )


def dropped_by_section(report: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The report's ``dropped`` entries grouped by section, every section present, in edition order."""
    grouped: dict[str, list[dict[str, Any]]] = {section: [] for section in _SECTIONS}
    for entry in report.get("dropped", []):
        grouped.setdefault(entry.get("section", "?"), []).append(entry)
    return grouped


def _reason_counts(entries: list[dict[str, Any]]) -> str:
    counts = Counter(str(e.get("reason", "?")).replace("_", " ") for e in entries)
    return ", ".join(f"{n} {reason}" for reason, n in counts.most_common())


def empty_section_reason(report: Mapping[str, Any], section: str) -> str | None:
    """Why ``section`` shows nothing, in words; None when it shows something."""
    if (report.get("items_per_section") or {}).get(section):
        return None
    sources = [s for s in report.get("sources", []) if s.get("section") == section]
    if not sources:
        return "no source is configured for this section"
    left_out = dropped_by_section(report).get(section, [])
    if left_out:
        return f"all {len(left_out)} items its sources returned were left out ({_reason_counts(left_out)})"
    failed = [s for s in sources if s.get("status") != "ok"]
    if failed and len(failed) == len(sources):
        names = ", ".join(s["name"] for s in failed)
        noun = "source" if len(failed) == 1 else "sources"
        return f"its {noun} failed ({names}; the reason is in the sources table)"
    return "its sources answered but held no items"


def report_warnings(report: Mapping[str, Any]) -> list[str]:
    """What a reviewer must not miss before approving: shown loudly by the terminal review and the page."""
    warnings: list[str] = []
    window = report.get("window") or {}
    if window.get("all_outside"):
        span = f"{window.get('start')} to {window.get('end')}"
        warnings.append(
            f"every dated item ({window.get('dated_outside', 0)}) is outside the window {span}: this edition"
            " holds only repositories and leaderboards. Check --date and --window-days; auto-publish is"
            " refused for this run"
        )
    return warnings


def build_run_report(
    state: DraftState,
    *,
    draft: Draft,
    revision_hash: str,
    outputs: Mapping[str, str],
    counters: Mapping[str, int],
    usage: UsageTotals,
) -> dict[str, Any]:
    """``usage`` is the run's recorded model usage (every process that worked on it, every stage)."""
    options = state["options"]
    verdicts = Counter(c.verdict.value if c.verdict else "unchecked" for c in draft.claims)
    report: dict[str, Any] = {
        "run_id": options["run_id"],
        "edition_date": options["edition_date"],
        "writer": draft.writer,
        "revision": draft.revision,
        "revision_hash": revision_hash,
        "replay": options["replay"],
        "sources": [
            {
                "name": r["name"],
                "kind": r["kind"],
                "section": r["section"],
                "status": r["status"],
                "items": r["items"],
                # Entries past the source's max_items: not fetched items, but not silently gone either.
                "beyond_max_items": r.get("beyond_max_items", 0),
                "error": r["error"],
            }
            for r in state.get("source_reports", [])
        ],
        "items_per_section": {section: len(ids) for section, ids in (state.get("selected") or {}).items()},
        "items_extracted": sum(r["items"] for r in state.get("source_reports", [])),
        # One entry per extracted item not in the edition: items_extracted = shown + len(dropped).
        "dropped": [
            {
                k: d.get(k)
                for k in ("item_id", "title", "source", "section", "reason", "detail", "duplicate_of")
            }
            for d in state.get("dropped", [])
        ],
        "window": state.get("window"),
        "unreadable_dates": state.get("unreadable_dates", []),
        "fetches": {
            "responses": sum(len(f["responses"]) for f in state.get("fetched", [])),
            # Conditional GETs answered 304: the stored copy was reused.
            "not_modified": sum(
                1 for f in state.get("fetched", []) for r in f["responses"] if r.get("not_modified")
            ),
            "seconds": round(sum(f["seconds"] for f in state.get("fetched", [])), 3),
        },
        "claims": {
            "total": len(draft.claims),
            "by_verdict": {v.value: verdicts.get(v.value, 0) for v in Verdict},
            "flagged": sum(1 for c in draft.claims if c.flagged),
        },
        "revise_rounds": state.get("revise_round", 0),
        "writer_failures": state.get("failures", []),
        "writer_problems": state.get("writer_problems", []),
        "skipped_for_budget": state.get("skipped", []),
        "cost": {
            **usage.total.model_dump(),
            "calls": usage.calls,
            "by_stage": {stage: u.model_dump() for stage, u in usage.by_stage.items()},
            "max_cost_usd": options["max_cost_usd"],
        },
        "prompts": [p.model_dump() for p in usage.prompts] or state.get("prompts", []),
        "theme": state.get("theme"),
        "outputs": dict(outputs),
        "this_process": dict(counters),
    }
    report["warnings"] = report_warnings(report)
    return report
