"""Reading: the list of runs, a draft with its claims coloured by verdict, a claim's evidence, and the
archived copy of a source. Everything is read from the store (and the run's WARC archive): a page view
builds no graph and reads no checkpoint. Everything that came from a source is autoescaped by Jinja;
archived bodies are served as ``text/plain`` under a ``sandbox`` Content-Security-Policy, so source
HTML never runs on this origin.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from agent.domain.errors import ReviewError, RunNotFound
from agent.domain.models import Claim, Item, content_hash
from agent.render import layout
from agent.review import (
    blocking_claims,
    ledger_claims,
    list_pending,
    next_steps,
    open_for_review,
    writer_notes,
)
from agent.runs import evidence_archive
from agent.store import Review
from agent.web._context import guarded, not_found, page, run_id_of, web
from agent.web._evidence import archive_candidates, passage
from tools.archive import ArchiveError, read_archived
from tools.fetching import FetchResponse

__all__ = ["ROUTES", "decision_history", "draft_page"]

# The archived copy of a source: inert text, no scripts, no same-origin access even if a browser sniffs.
ARCHIVE_HEADERS: dict[str, str] = {
    "content-security-policy": "sandbox; default-src 'none'",
    "x-content-type-options": "nosniff",
    "content-disposition": "inline",
    "cache-control": "no-store",
}
# States where the page offers no form: the run is being written, or stopped before review.
_STOPPED = ("running", "failed", "changes_requested")
_DECIDED = {"approve": "approved", "reject": "rejected", "request_changes": "changes requested"}


def decision_history(reviews: list[Review]) -> list[tuple[Review, str]]:
    """Each past decision with how it reads: a request for changes on an approved revision is how the
    service records a correction, and the page says "correction requested"."""
    approved: set[int] = set()
    history: list[tuple[Review, str]] = []
    for past in reviews:
        label = _DECIDED.get(past.decision, past.decision.replace("_", " "))
        if past.decision == "request_changes" and past.revision in approved:
            label = "correction requested"
        if past.decision == "approve":
            approved.add(past.revision)
        history.append((past, label))
    return history


def published_links(paths: dict[str, str], site_url: str | None) -> dict[str, str]:
    """Each published file's address on the site: its path under the site's directory (the folder
    holding the feed) put after the site URL. No site URL, no links (the paths are still shown)."""
    if not site_url or "feed" not in paths:
        return {}
    root = PurePath(paths["feed"]).parent
    links: dict[str, str] = {}
    for name, path in paths.items():
        try:
            relative = PurePath(path).relative_to(root).as_posix()
        except ValueError:  # not under the site's directory
            continue
        links[name] = site_url.rstrip("/") + "/" + relative.removesuffix("index.html")
    return links


def draft_page(
    request: Request,
    run_id: str,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    """The run's latest revision (synchronous: call it in a worker thread). Shown again with ``error``
    and the reviewer's ``form`` when a decision was refused; only a plain view counts as seen."""
    ctx = web(request)
    identity = ctx.identity(request)
    reviewer = identity.name if identity is not None else ctx.settings.reviewer
    with ctx.store() as s:
        review = open_for_review(s, run_id, reviewer=reviewer if error is None else None, clock=ctx.clock)
        publication = s.publication(run_id)
        notes = writer_notes(s.get_run(run_id).report, revision_hash=review.record.revision_hash)
    return page(
        request,
        "draft.html.j2",
        status,
        review=review,
        e=layout(review.view),
        blocking=blocking_claims(review.claims),
        error=error,
        form=form or {},
        reviewer=reviewer,
        publication=publication,
        published_links=published_links(publication.paths, ctx.settings.site_url) if publication else {},
        writer_notes=notes,
        account=review.selection,
        empty=review.selection.empty_reasons() if review.selection else {},
        notice=request.query_params.get("notice"),
        history=decision_history(review.reviews),
        steps=next_steps(run_id, review.status) if review.status in _STOPPED else [],
    )


async def index(request: Request) -> Response:
    def load() -> tuple[Any, Any]:
        with web(request).store() as s:
            return list_pending(s), s.list_runs()

    pending, runs = await run_in_threadpool(load)
    return page(request, "index.html.j2", pending=pending, runs=runs[:50])


async def show_draft(request: Request) -> Response:
    try:
        run_id = run_id_of(request)
        return await run_in_threadpool(draft_page, request, run_id)
    except (RunNotFound, ReviewError) as exc:
        # A page, not a plain-text 404: "All runs" links failed runs too, and a reviewer who follows one
        # reads why it has no draft with the way back.
        return page(request, "missing.html.j2", status=404, message=str(exc))


async def claim_evidence(request: Request) -> Response:
    try:
        run_id = run_id_of(request)
        claim_id = str(request.path_params["claim_id"])

        def load() -> tuple[Claim | None, dict[str, Item], str, bool]:
            with web(request).store() as s:
                record = s.latest_draft(run_id)
                if record is None:
                    raise RunNotFound(f"run {run_id} has no draft")
                claims = ledger_claims(s, record)
                items = {i.id: i for i in s.items(run_id)}
                editable = s.get_run(run_id).status.value == "awaiting_review"
            claim = next((c for c in claims if c.id == claim_id), None)
            return claim, items, record.revision_hash, editable

        claim, items, revision_hash, editable = await run_in_threadpool(load)
    except RunNotFound as exc:
        return not_found(exc)
    if claim is None:
        return not_found(f"run {run_id} has no claim {claim_id!r}")
    evidence = [
        (
            citation,
            items.get(citation.item_id),
            passage(items[citation.item_id].text, citation) if citation.item_id in items else None,
        )
        for citation in claim.citations
    ]
    return page(
        request,
        "evidence.html.j2",
        run_id=run_id,
        claim=claim,
        evidence=evidence,
        # A draft awaiting review can be edited from here, one sentence at a time (agent.edits).
        editable=editable,
        revision_hash=revision_hash,
        citable=sorted(items.values(), key=lambda i: (i.section.value, i.title)),
    )


def _charset(content_type: str) -> str:
    match = re.search(r"charset=([\w.-]+)", content_type, re.IGNORECASE)
    if match:
        try:
            "".encode(match.group(1))
            return match.group(1)
        except LookupError:
            pass
    return "utf-8"


async def archived(request: Request) -> Response:
    ctx = web(request)
    try:
        run_id = run_id_of(request)
        item_id = str(request.path_params["item_id"])

        def load() -> tuple[Item | None, dict[str, list[str]]]:
            with ctx.store() as s:
                s.get_run(run_id)
                item = next((i for i in s.items(run_id) if i.id == item_id), None)
                latest = s.latest_draft(run_id)
            return item, (latest.source_urls if latest and latest.source_urls else {})

        item, source_urls = await run_in_threadpool(load)
    except RunNotFound as exc:
        return not_found(exc)
    if item is None:
        return not_found(f"run {run_id} has no item {item_id!r}")
    archive = evidence_archive(ctx.settings, run_id)
    found: list[tuple[str, FetchResponse]] = []
    for url in archive_candidates(item, source_urls):
        try:
            response = await run_in_threadpool(read_archived, archive, url)
        except ArchiveError as exc:
            return not_found(exc)
        if response is not None:
            found.append((url, response))
    # The copy the item's text was extracted from (its content hash), not another source's copy of
    # the same link; without a match, the best candidate.
    exact = [(u, r) for u, r in found if content_hash(r.body) == item.content_hash]
    for url, response in (exact or found)[:1]:
        charset = _charset(response.content_type)
        text = response.body.decode(charset, errors="replace")
        header = (
            f"Archived copy of {url}\n"
            f"fetched {response.fetched_at.isoformat()}, HTTP {response.status}, "
            f"{response.content_type or 'no content type'}\n\n"
        )
        return PlainTextResponse(header + text, headers=ARCHIVE_HEADERS)
    return not_found(f"the run's archive holds no copy of {item.url}")


ROUTES = [
    Route("/", guarded(index), methods=["GET"]),
    Route("/runs/{run_id}", guarded(show_draft), methods=["GET"]),
    Route("/runs/{run_id}/claims/{claim_id:path}", guarded(claim_evidence), methods=["GET"]),
    Route("/runs/{run_id}/archive/{item_id:path}", guarded(archived), methods=["GET"]),
]
