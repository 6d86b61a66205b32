"""Publishing an approved edition as a static site with an Atom feed.

    result = publish_edition(store, run_id, settings=settings, out_dir=Path("site"))

    site/index.html               every published edition, newest first
    site/feed.xml                 Atom: each edition's HTML, linking to SITE_URL/2026-11-26/
    site/2026-11-26/index.html    the edition's page
    site/2026-11-26/edition.md
    site/2026-11-26/email.html    what subscribers receive (``publish --send``)

Only the exact revision a reviewer approved goes out. What each publication rendered is kept in the
store, and the whole site is rebuilt from the store under a lock on the site directory, with each
file replaced atomically: two publishes at once keep every edition, and publishing the same revision
again rewrites nothing (the bytes are the same, and unchanged files are left alone).
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from agent.domain.errors import ConfigError, ReviewError
from agent.render import (
    EditionView,
    Envelope,
    PublishedEdition,
    long_date,
    preview_text,
    render_archive,
    render_feed,
    render_fragment,
    render_html,
    render_markdown,
)
from agent.review import check_publishable, edition_view
from agent.settings import Settings
from agent.store import DraftRecord, Publication, RunStatus, Store

__all__ = [
    "FEED_NAME",
    "check_site_url",
    "edition_url",
    "feed_path",
    "publish_edition",
    "site_dir",
    "unsubscribe_address",
]

FEED_NAME = "feed.xml"
_LOCK_NAME = ".publish.lock"
_SITE_FILE_MODE = 0o644
# Every entry carries its edition's whole HTML (about 30-60 KB): a year of editions would make a
# feed readers fetch every hour weigh megabytes. The archive page lists them all.
_FEED_ENTRIES = 20
_TITLE = "The Inference Report"


def site_dir(settings: Settings) -> Path:
    """Where ``publish`` writes the site without ``--out``."""
    return settings.home / "published"


def feed_path(settings: Settings, out_dir: Path | None = None) -> Path:
    return (out_dir or site_dir(settings)) / FEED_NAME


def check_site_url(settings: Settings) -> str:
    """The site's address, or a :class:`ConfigError` saying how to set it: the feed and the email
    link to each edition there, and a feed with wrong links cannot be taken back from readers."""
    if settings.site_url is None:
        raise ConfigError(
            "publishing needs the address the site is served from: set INFERENCE_REPORT_SITE_URL "
            "(or site_url in config.toml), e.g. https://report.example.org/"
        )
    return settings.site_url


def edition_url(site_url: str, edition_date: date) -> str:
    return f"{site_url.rstrip('/')}/{edition_date.isoformat()}/"


def unsubscribe_address(settings: Settings) -> str | None:
    """The unsubscribe setting, else a mail to the sender asking to unsubscribe."""
    if settings.unsubscribe_url:
        return settings.unsubscribe_url
    if settings.mail_from:
        from email.utils import parseaddr

        address = parseaddr(settings.mail_from)[1]
        return f"mailto:{address}?subject=unsubscribe" if address else None
    return None


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


def _first_published(store: Store, run_id: str) -> Publication | None:
    """The run's earliest publication (any revision)."""
    found = [p for p in store.publications() if p.run_id == run_id]
    return min(found, key=lambda p: p.revision) if found else None


def _check_date_is_ours(store: Store, record: DraftRecord) -> None:
    """One folder per edition date: a second run for a published date would replace another edition."""
    day = record.draft.edition_date.isoformat()
    for publication in store.publications():
        if publication.run_id == record.run_id:
            continue
        if publication.rendered.get("edition_date") == day:
            raise ReviewError(
                f"the edition of {day} was published from run {publication.run_id}: correct that run "
                f"(inference-report review {publication.run_id} --correct --comment ...) rather than "
                f"publishing run {record.run_id} over it"
            )


def _correction_note(first: Publication | None, revision: int) -> str | None:
    if first is None or first.revision >= revision:
        return None
    return (
        f"Corrected: this is revision {revision} of this edition; it replaces the version published "
        f"on {long_date(first.published_at)}."
    )


def _render(
    settings: Settings, site: str, record: DraftRecord, view: EditionView, correction: str | None
) -> dict[str, str]:
    """Everything readers get of this revision, as text: the site and the feed are built from it."""
    draft = record.draft
    preview = preview_text(draft)
    page_envelope = Envelope(archive_url="../", feed_url=f"../{FEED_NAME}", correction=correction)
    email_envelope = Envelope(
        preview=preview,
        page_url=edition_url(site, draft.edition_date),
        unsubscribe_url=unsubscribe_address(settings),
        correction=correction,
    )
    title = f"{view.title}, {long_date(draft.edition_date)}"
    return {
        "edition_date": draft.edition_date.isoformat(),
        "title": title + (" (corrected)" if correction else ""),
        "subject": title,
        "summary": preview,
        "markdown": render_markdown(view),
        "page": render_html(view, mode="email", envelope=page_envelope),
        "email": render_html(view, mode="email", envelope=email_envelope),
        "fragment": render_fragment(view, envelope=Envelope(correction=correction)),
    }


def _write_if_changed(path: Path, text: str) -> bool:
    """Atomic (a temporary file in the same directory, then a rename), and untouched when identical:
    publishing again leaves mtimes alone. True when the file changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private (0600); a site is read by the web server, often another user.
        os.chmod(tmp, _SITE_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


@contextmanager
def _site_lock(directory: Path) -> Iterator[None]:
    """An exclusive lock on the site directory, across processes (released if the process dies)."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / _LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@dataclass(frozen=True, slots=True)
class _Edition:
    """The latest published revision of one run, with what it rendered."""

    run_id: str
    revision: int
    edition_date: date
    first_published_at: datetime
    published_at: datetime
    rendered: dict[str, str]


def _editions(store: Store) -> list[_Edition]:
    """Every published run once (its latest revision), newest edition first."""
    by_run: dict[str, list[Publication]] = {}
    for publication in store.publications():
        if publication.rendered:
            by_run.setdefault(publication.run_id, []).append(publication)
    editions = []
    for run_id, publications in by_run.items():
        latest = max(publications, key=lambda p: p.revision)
        editions.append(
            _Edition(
                run_id=run_id,
                revision=latest.revision,
                edition_date=date.fromisoformat(latest.rendered["edition_date"]),
                first_published_at=min(p.published_at for p in publications),
                published_at=latest.published_at,
                rendered=latest.rendered,
            )
        )
    return sorted(editions, key=lambda e: (e.edition_date, e.run_id), reverse=True)


def _write_site(store: Store, directory: Path, site: str) -> None:
    """Every published edition's folder, the archive page and the feed, from the store."""
    editions = _editions(store)
    for edition in editions:
        folder = directory / edition.edition_date.isoformat()
        _write_if_changed(folder / "index.html", edition.rendered["page"])
        _write_if_changed(folder / "edition.md", edition.rendered["markdown"])
        _write_if_changed(folder / "email.html", edition.rendered["email"])
    _write_if_changed(
        directory / "index.html",
        render_archive(
            [(e.edition_date, e.rendered["title"], e.rendered["summary"]) for e in editions],
            title=_TITLE,
            feed_href=FEED_NAME,
        ),
    )
    entries = [
        PublishedEdition(
            # A correction updates the edition's entry (same id): readers see it corrected, not twice.
            run_id=e.run_id,
            edition_date=e.edition_date,
            title=e.rendered["title"],
            url=edition_url(site, e.edition_date),
            summary=e.rendered["summary"],
            published_at=e.first_published_at,
            updated_at=e.published_at,
            content=e.rendered["fragment"],
        )
        for e in editions[:_FEED_ENTRIES]
    ]
    _write_if_changed(
        directory / FEED_NAME,
        render_feed(entries, feed_url=site + FEED_NAME, site_url=site, title=_TITLE, author=_TITLE),
    )


def publish_edition(
    store: Store,
    run_id: str,
    *,
    settings: Settings,
    out_dir: Path | None = None,
) -> dict[str, Any]:
    """Publish the approved revision of ``run_id`` into the site at ``out_dir`` (default:
    :func:`site_dir`) and rebuild the site's archive page and feed; the publication is stamped with
    the store's clock.

    Raises :class:`ReviewError` when the run is not approved, or when its edition date was published
    from another run, and :class:`ConfigError` when the site address is not set or the files cannot
    be written. Everything is read from the store (the publish node and ``publish`` alike).
    """
    record = _approved_record(store, run_id)
    site = check_site_url(settings)  # before anything is written: a refused feed must not half-publish
    _check_date_is_ours(store, record)
    view = edition_view(store, record)
    correction = _correction_note(_first_published(store, run_id), record.revision)
    rendered = _render(settings, site, record, view, correction)
    directory = out_dir or site_dir(settings)
    folder = directory / record.draft.edition_date.isoformat()
    paths = {
        "page": str(folder / "index.html"),
        "markdown": str(folder / "edition.md"),
        "email": str(folder / "email.html"),
        "archive": str(directory / "index.html"),
        "feed": str(directory / FEED_NAME),
    }
    try:
        with _site_lock(directory):
            publication = store.record_publication(
                run_id, revision=record.revision, paths=paths, rendered=rendered
            )
            _write_site(store, directory, site)
    except OSError as exc:
        raise ConfigError(f"cannot write the published edition to {directory}: {exc}") from exc
    if store.get_run(run_id).status != RunStatus.PUBLISHED:
        store.set_run_status(run_id, RunStatus.PUBLISHED)
    return {
        "site": str(directory),
        "dir": str(folder),
        "url": edition_url(site, record.draft.edition_date),
        "run_id": run_id,
        "revision": record.revision,
        "revision_hash": record.revision_hash,
        "published_at": publication.published_at.isoformat(),
        "correction": correction is not None,
        **paths,
    }
