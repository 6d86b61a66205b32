"""Publishing an approved edition: Markdown, email-safe HTML and the feed of published editions.

    result = publish_edition(store, run_id, settings=settings, out_dir=Path("out"))
    result["dir"], result["markdown"], result["html"], result["feed"]

Only the exact revision a reviewer approved goes out. Publishing is idempotent: the files are
rendered from stored data (the approved draft, the run's selection, the publications table), so a
second call writes the same bytes and the feed keeps one entry per run.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from agent.domain.errors import ConfigError, ReviewError
from agent.domain.models import Draft
from agent.render import PublishedEdition, long_date, render_feed, render_html, render_markdown, safe_url
from agent.review import check_publishable, load_edition_view
from agent.settings import Settings
from agent.state import DraftState
from agent.store import DraftRecord, Publication, RunStatus, Store

__all__ = ["FEED_NAME", "feed_path", "publish_edition", "published_dir"]

FEED_NAME = "feed.xml"
# An entry's summary: the lead's opening, cut at a word near this many characters
# (feed readers show about 2 lines).
_SUMMARY_CHARS = 280


def published_dir(settings: Settings, run_id: str, revision: int = 1) -> Path:
    """``published/RUN_ID`` for the first revision; a correction (revision N > 1) goes to
    ``published/RUN_ID/revision-N``, so the files readers already received stay as they were."""
    base = settings.home / "published" / run_id
    return base if revision == 1 else base / f"revision-{revision}"


def _check_not_another_revision(store: Store, record: DraftRecord, paths: dict[str, str]) -> None:
    """Refuse to overwrite the published files of another revision of the same run.

    A correction's files go next to the earlier revision's, never over them: what readers received
    stays on disk beside the publications row that says when it went out."""
    ours = {Path(paths["markdown"]).resolve(), Path(paths["html"]).resolve()}
    for publication in store.publications():
        if publication.run_id != record.run_id or publication.revision == record.revision:
            continue
        theirs = {
            Path(publication.paths[k]).resolve() for k in ("markdown", "html") if k in publication.paths
        }
        if ours & theirs:
            raise ReviewError(
                f"{Path(paths['markdown']).parent} holds the published revision {publication.revision} of "
                f"run {record.run_id}: publish revision {record.revision} into another directory "
                "(the default is a revision-specific one)"
            )


def feed_path(settings: Settings) -> Path:
    return settings.home / "published" / FEED_NAME


def _write_if_changed(path: Path, text: str) -> None:
    """Atomic, and untouched when identical (publishing again leaves mtimes alone)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _approved_record(store: Store, run_id: str) -> DraftRecord:
    run = store.get_run(run_id)
    if run.status not in (RunStatus.APPROVED, RunStatus.PUBLISHED):
        raise ReviewError(
            f"run {run_id} is {run.status.value.replace('_', ' ')}, not approved: it cannot be published"
        )
    latest = store.latest_draft(run_id)
    if latest is None:
        raise ReviewError(f"run {run_id} has no draft to publish")
    approvals = [r for r in store.reviews(run_id) if r.decision == "approve"]
    last = approvals[-1] if approvals else None
    check_publishable(
        run_id,
        approved_revision=last.revision if last else None,
        approved_hash=last.revision_hash if last else None,
        revision=latest.revision,
        current_hash=latest.revision_hash,
    )
    return latest


def _summary(draft: Draft) -> str:
    by_id = {c.id: c.text for c in draft.claims}
    first = " ".join(
        by_id[i] for i in (draft.lead_paragraphs[0] if draft.lead_paragraphs else []) if i in by_id
    )
    if len(first) <= _SUMMARY_CHARS:
        return first
    return first[:_SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def _site_url(settings: Settings) -> str:
    """The feed's home: the contact setting, which may be an e-mail address for the User-Agent only."""
    site = safe_url(settings.contact)
    if site is None:
        raise ConfigError(
            f"the contact setting {settings.contact!r} is not an http(s) URL, and the feed of published "
            "editions links to it: set INFERENCE_REPORT_CONTACT (or contact in config.toml) to the site's URL"
        )
    return site


def _feed(store: Store, site: str) -> str:
    """Every published run once (its latest revision), rendered from the publications table.

    A corrected edition keeps one entry, updated to the corrected revision (see the title)."""
    latest: dict[str, Publication] = {}
    for publication in store.publications():
        kept = latest.get(publication.run_id)
        if kept is None or publication.revision > kept.revision:
            latest[publication.run_id] = publication
    entries: list[PublishedEdition] = []
    for publication in latest.values():
        record = store.get_draft(publication.run_id, publication.revision)
        if record is None:
            continue
        draft = record.draft
        title = f"The Inference Report, {long_date(draft.edition_date)}"
        if publication.revision > 1:
            # The same entry (its id is the run's), updated: subscribers see the edition corrected,
            # not a second edition of the same week.
            title += f" (corrected: revision {publication.revision})"
        entries.append(
            PublishedEdition(
                run_id=publication.run_id,
                edition_date=draft.edition_date,
                title=title,
                # There is no public URL setting yet: entries link to the project's contact page.
                url=site,
                summary=_summary(draft),
                published_at=publication.published_at,
            )
        )
    return render_feed(entries, feed_url=site.rstrip("/") + "/" + FEED_NAME, site_url=site)


def publish_edition(
    store: Store,
    run_id: str,
    *,
    settings: Settings,
    out_dir: Path | None = None,
    state: DraftState | None = None,
) -> dict[str, Any]:
    """Render the approved revision of ``run_id`` into ``out_dir`` (default: :func:`published_dir`)
    and add it to the feed; the publication is stamped with the store's clock. Raises
    :class:`ReviewError` when not approved, or when ``out_dir`` holds the published files of another
    revision of the run, and :class:`ConfigError` when the contact setting is not a URL or the files
    cannot be written. ``state``: the run's graph state when the caller holds it (the publish node);
    otherwise the selection is read from the run's checkpoint.
    """
    record = _approved_record(store, run_id)
    site = _site_url(settings)  # before anything is written: a refused feed must not half-publish
    if state is None:
        view = load_edition_view(settings, run_id, record.draft)
    else:
        from agent.nodes.render import edition_view  # the nodes import langgraph: only when called from one

        view = edition_view(state, record.draft)
    target = out_dir or published_dir(settings, run_id, record.revision)
    paths = {
        "markdown": str(target / "edition.md"),
        "html": str(target / "edition.html"),
        "feed": str(target / FEED_NAME),
    }
    _check_not_another_revision(store, record, paths)
    feed = feed_path(settings)
    try:
        _write_if_changed(Path(paths["markdown"]), render_markdown(view))
        _write_if_changed(Path(paths["html"]), render_html(view, mode="email"))
        publication = store.record_publication(run_id, revision=record.revision, paths=paths)
        _write_if_changed(feed, _feed(store, site))
        if feed.resolve() != Path(paths["feed"]).resolve():
            Path(paths["feed"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(feed, paths["feed"])
    except OSError as exc:
        raise ConfigError(f"cannot write the published edition to {target}: {exc}") from exc
    if store.get_run(run_id).status != RunStatus.PUBLISHED:
        store.set_run_status(run_id, RunStatus.PUBLISHED)
    return {
        "dir": str(target),
        "run_id": run_id,
        "revision": record.revision,
        "revision_hash": record.revision_hash,
        "published_at": publication.published_at.isoformat(),
        **paths,
        "data_feed": str(feed),
    }
