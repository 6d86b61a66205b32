"""Each package resolves to this repository, and hands on exactly the public names pinned here."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROOTS = ("agent", "tools", "evals", "prompts")

# Each package's public names (its ``__all__``; empty: it hands on none, only its modules), and the
# ground floor's modules', whose names every layer uses. A change here changes what other packages
# may import: make it on purpose, in the same commit.
PUBLIC_NAMES: dict[str, tuple[str, ...]] = {
    "agent": (),
    "agent.domain": (),
    "agent.domain.errors": (
        "BudgetExceeded",
        "ConfigError",
        "MissingCredentialError",
        "ModelAuthError",
        "ModelBadRequest",
        "ModelCallError",
        "ModelConnectionError",
        "ModelOverloaded",
        "ModelRateLimited",
        "ModelServerError",
        "ModelTimeout",
        "ReportError",
        "ReviewError",
        "RunNotFound",
        "SourceError",
        "SourcesFileError",
        "WriterError",
    ),
    "agent.domain.models": (
        "Citation",
        "Claim",
        "Draft",
        "DropReason",
        "DroppedItem",
        "Item",
        "JudgeScope",
        "Leaderboard",
        "LeaderboardMove",
        "LeaderboardRow",
        "PaperSummary",
        "PromptRef",
        "RepoInfo",
        "Section",
        "SourceKind",
        "Usage",
        "Verdict",
        "content_hash",
    ),
    "agent.domain.sources": ("ColumnMapping", "SourceSpec", "SourcesFile", "load_sources", "parse_sources"),
    "agent.domain.text": ("Span", "sentence_spans", "sentences"),
    "agent.llm": (
        "Billing",
        "CostMeter",
        "DEFAULT_MAX_RETRIES",
        "ModelClient",
        "ModelPrice",
        "PRICES",
        "RETRY_AFTER_CAP_SECONDS",
        "Reservation",
        "SyncModelClient",
        "cap_retry_after",
        "make_anthropic_client",
        "make_sync_anthropic_client",
        "price_for",
        "require_credentials",
        "translate_error",
        "usage_from_api",
    ),
    "agent.nodes": (),
    "agent.render": (
        "EditionView",
        "Envelope",
        "Layout",
        "Mode",
        "PublishedEdition",
        "layout",
        "long_date",
        "markdown_escape",
        "markdown_link",
        "preview_text",
        "render_archive",
        "render_feed",
        "render_fragment",
        "render_html",
        "render_markdown",
        "safe_url",
    ),
    "agent.review": (
        "COMMAND",
        "DECISIONS",
        "DecisionKind",
        "DecisionRequest",
        "DraftForReview",
        "PendingDraft",
        "blocking_claims",
        "check_awaiting_review",
        "check_decision",
        "check_fresh",
        "check_override",
        "check_publishable",
        "decision_label",
        "describe_changes",
        "draft_renderable",
        "edition_view",
        "ledger_claims",
        "list_pending",
        "next_steps",
        "open_for_review",
        "pending_table",
        "short_hash",
        "writer_notes",
    ),
    "agent.store": (
        "ClaimEditRecord",
        "ConnectionLost",
        "Decision",
        "DraftRecord",
        "ImmutableRevision",
        "LockHolder",
        "MIGRATIONS",
        "Migration",
        "Migrations",
        "Publication",
        "Review",
        "ReviewerRecord",
        "Role",
        "RunLock",
        "RunLocked",
        "RunRecord",
        "RunStatus",
        "STATUS_AFTER_DECISION",
        "SchemaTooNew",
        "SeenRevision",
        "SendRecord",
        "SendStatus",
        "Store",
        "StoreError",
        "UsageTotals",
        "copy_store",
        "database_problem",
        "revision_hash",
    ),
    "agent.web": ("create_app",),
    "agent.writers": (),
    "evals": ("DocumentClaim", "check_claims", "check_documents", "citation_problems"),
    "evals.grounding": (
        "ClaimJudge",
        "DocumentClaim",
        "RowVerdict",
        "check_claims",
        "check_documents",
        "citation_problems",
        "has_factual_content",
    ),
    "prompts": (
        "PROMPTS_DIR",
        "Prompt",
        "PromptError",
        "PromptNotFound",
        "PromptVariableError",
        "RenderedPrompt",
        "Tagged",
        "escape",
        "load_prompt",
        "prompt_versions",
    ),
    "tools": (),
    "tools.adapters": (
        "AdapterContext",
        "PageExtractor",
        "ParseError",
        "arxiv_id",
        "extract_page",
        "parse_artificial_analysis",
        "parse_arxiv",
        "parse_feed",
        "parse_html_table",
        "parse_json_feed",
        "parse_page",
        "parse_response",
        "parse_source",
        "parse_trending",
    ),
    "tools.archive": (
        "ArchiveError",
        "ArchivedFailure",
        "ArchivedFetch",
        "RecordIds",
        "ReplayFetcher",
        "WarcRecorder",
        "iter_archive",
        "random_record_id",
        "read_archived",
        "require_complete",
        "stable_record_id",
    ),
    "tools.fetching": (
        "CachedResponse",
        "FetchError",
        "FetchRequest",
        "FetchResponse",
        "Fetcher",
        "REDACTED",
        "ValidatorCache",
    ),
    "tools.sample": (
        "DOCUMENTS_DIR",
        "MANIFEST",
        "PREVIOUS_WEEK_ARCHIVE",
        "PREVIOUS_WEEK_DATE",
        "SAMPLE_ARCHIVE",
        "SAMPLE_DATE",
        "SAMPLE_DIR",
        "SAMPLE_SOURCES",
        "build_archives",
        "previous_week_leaderboards",
        "supported_pairs",
    ),
}


def _pinned_modules() -> set[str]:
    packages = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for r in ROOTS
        for init in (ROOT / r).rglob("__init__.py")
    }
    floor = {f"agent.domain.{path.stem}" for path in (ROOT / "agent" / "domain").glob("[!_]*.py")}
    return packages | floor


@pytest.mark.parametrize("name", ROOTS)
def test_package_resolves_inside_this_repository(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert Path(module.__file__).resolve().is_relative_to(ROOT), module.__file__


def test_every_package_has_its_public_names_pinned() -> None:
    assert sorted(_pinned_modules()) == sorted(PUBLIC_NAMES)


@pytest.mark.parametrize("name", sorted(PUBLIC_NAMES))
def test_public_names_are_the_pinned_ones(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    if exported is None:
        handed_on = [
            attr
            for attr, value in vars(module).items()
            if not attr.startswith("_") and not isinstance(value, ModuleType) and attr != "annotations"
        ]
        assert handed_on == [], f"{name} has no __all__ but defines {handed_on}"
        exported = ()
    assert tuple(sorted(exported)) == PUBLIC_NAMES[name]
    assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"
    missing = [attr for attr in exported if not hasattr(module, attr)]
    assert missing == [], f"{name}.__all__ names what it does not define: {missing}"
