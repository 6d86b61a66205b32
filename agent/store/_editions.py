"""Drafts (one row per revision), the claim ledger, reviews and publications."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import get_args

from agent.domain.errors import ReviewError
from agent.domain.models import Citation, Claim, Draft, Verdict
from agent.store._base import Tables, dumps, json_column, parse_time
from agent.store._dialect import Connection, Row
from agent.store._records import (
    ClaimEditRecord,
    Decision,
    DraftRecord,
    ImmutableRevision,
    Publication,
    Review,
    RunStatus,
    revision_hash,
)
from agent.store._runs import StatusSet, compare_and_set

__all__ = ["EditionTables"]

_DECISIONS: tuple[Decision, ...] = get_args(Decision)


def _draft(row: Row) -> DraftRecord:
    return DraftRecord(
        run_id=row["run_id"],
        revision=row["revision"],
        revision_hash=row["revision_hash"],
        draft=Draft.model_validate_json(row["draft"]),
        created_at=parse_time(row["created_at"]),
        sections=json_column(row, "sections"),
        source_urls=json_column(row, "source_urls"),
    )


def _claim(row: Row) -> Claim:
    return Claim(
        id=row["claim_id"],
        block=row["block"],
        paragraph=row["paragraph"],
        text=row["text"],
        citations=[Citation.model_validate(c) for c in json.loads(row["citations"])],
        verdict=None if row["verdict"] is None else Verdict(row["verdict"]),
        score=row["score"],
        reasons=json.loads(row["reasons"]),
        flagged=bool(row["flagged"]),
    )


def _review(row: Row) -> Review:
    return Review(
        run_id=row["run_id"],
        revision=row["revision"],
        revision_hash=row["revision_hash"],
        reviewer=row["reviewer"],
        decision=row["decision"],
        decided_at=parse_time(row["decided_at"]),
        comment=row["comment"],
        override_reason=row["override_reason"],
    )


def _publication(row: Row) -> Publication:
    return Publication(
        run_id=row["run_id"],
        revision=row["revision"],
        published_at=parse_time(row["published_at"]),
        paths=json.loads(row["paths"]),
        rendered=json.loads(row["rendered"]) if row["rendered"] else {},
    )


def _approved(db: Connection, run_id: str, revision: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM reviews WHERE run_id = ? AND revision = ? AND decision = 'approve'"
        " UNION ALL SELECT 1 FROM publications WHERE run_id = ? AND revision = ? LIMIT 1",
        (run_id, revision, run_id, revision),
    ).fetchone()
    return row is not None


def _new_review(
    run_id: str,
    revision: int,
    revision_hash: str,
    reviewer: str,
    decision: Decision,
    comment: str | None,
    override_reason: str | None,
    decided_at: str,
) -> Review:
    if decision not in _DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(_DECISIONS)}, not {decision!r}")
    return Review(
        run_id=run_id,
        revision=revision,
        revision_hash=revision_hash,
        reviewer=reviewer,
        decision=decision,
        decided_at=parse_time(decided_at),
        comment=comment,
        override_reason=override_reason,
    )


def _stamp(moment: datetime) -> str:
    return Tables._stamp(moment)


def _insert_review(db: Connection, review: Review) -> None:
    row = db.execute(
        "SELECT revision_hash FROM editions WHERE run_id = ? AND revision = ?",
        (review.run_id, review.revision),
    ).fetchone()
    if row is None:
        raise ReviewError(f"run {review.run_id!r} has no revision {review.revision} to review")
    if row["revision_hash"] != review.revision_hash:
        raise ReviewError(
            f"run {review.run_id!r} revision {review.revision} changed after it was reviewed "
            f"(reviewed {review.revision_hash}, now {row['revision_hash']}): look at it again"
        )
    db.execute(
        "INSERT INTO reviews (run_id, revision, revision_hash, reviewer, decision, comment,"
        " override_reason, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            review.run_id,
            review.revision,
            review.revision_hash,
            review.reviewer,
            review.decision,
            review.comment,
            review.override_reason,
            _stamp(review.decided_at),
        ),
    )


class EditionTables(Tables):
    def save_draft(
        self,
        run_id: str,
        draft: Draft,
        *,
        sections: Mapping[str, Sequence[str]] | None = None,
        source_urls: Mapping[str, Sequence[str]] | None = None,
    ) -> str:
        """Store ``draft`` as revision ``draft.revision`` of the run and return its revision hash.

        ``sections`` (section -> item ids, in order) and ``source_urls`` (source -> its own fetched
        URLs) are saved with it: with the run's items and moves they are everything the edition view
        needs, so review and publishing read the store alone.

        Saving identical content again changes nothing. A revision that is not signed off may be
        replaced (check adds verdicts to the draft write saved); an approved or published revision
        raises :class:`ImmutableRevision`: a correction is a new revision with its own review.
        """
        digest = revision_hash(draft)
        layout = (
            None if sections is None else dumps({k: list(v) for k, v in sections.items()}),
            None if source_urls is None else dumps({k: list(v) for k, v in source_urls.items()}),
        )
        with self._write() as db:
            self._require_run(db, run_id)
            row = db.execute(
                "SELECT revision_hash, sections, source_urls FROM editions WHERE run_id = ? AND revision = ?",
                (run_id, draft.revision),
            ).fetchone()
            if row is not None and row["revision_hash"] == digest:
                changed = layout != (None, None) and (row["sections"], row["source_urls"]) != layout
                if changed and not _approved(db, run_id, draft.revision):
                    db.execute(
                        "UPDATE editions SET sections = ?, source_urls = ? WHERE run_id = ? AND revision = ?",
                        (*layout, run_id, draft.revision),
                    )
                return digest
            if row is not None:
                if _approved(db, run_id, draft.revision):
                    raise ImmutableRevision(
                        f"run {run_id!r} revision {draft.revision} is approved: save the change as revision "
                        f"{draft.revision + 1}"
                    )
                db.execute(
                    "UPDATE editions SET revision_hash = ?, draft = ?, sections = ?, source_urls = ?"
                    " WHERE run_id = ? AND revision = ?",
                    (digest, draft.model_dump_json(), *layout, run_id, draft.revision),
                )
            else:
                db.execute(
                    "INSERT INTO editions (run_id, revision, revision_hash, draft, created_at, sections,"
                    " source_urls) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (run_id, draft.revision, digest, draft.model_dump_json(), self._now(), *layout),
                )
        return digest

    def latest_draft(self, run_id: str) -> DraftRecord | None:
        row = self._row("SELECT * FROM editions WHERE run_id = ? ORDER BY revision DESC LIMIT 1", (run_id,))
        return None if row is None else _draft(row)

    def get_draft(self, run_id: str, revision: int) -> DraftRecord | None:
        row = self._row("SELECT * FROM editions WHERE run_id = ? AND revision = ?", (run_id, revision))
        return None if row is None else _draft(row)

    def save_claims(self, run_id: str, revision: int, claims: Sequence[Claim]) -> None:
        """Replace the ledger of one revision (idempotent: a re-run check writes the same rows).

        The ledger of an approved or published revision is part of what was approved: changing it
        raises :class:`ImmutableRevision`.
        """
        with self._write() as db:
            self._require_run(db, run_id)
            if _approved(db, run_id, revision):
                stored = db.execute(
                    "SELECT * FROM claims WHERE run_id = ? AND revision = ? ORDER BY position",
                    (run_id, revision),
                ).fetchall()
                if [_claim(r) for r in stored] == list(claims):
                    return
                raise ImmutableRevision(
                    f"run {run_id!r} revision {revision} is approved: its ledger is final"
                )
            db.execute("DELETE FROM claims WHERE run_id = ? AND revision = ?", (run_id, revision))
            db.executemany(
                "INSERT INTO claims (run_id, revision, claim_id, position, block, paragraph, text, verdict,"
                " score, reasons, citations, flagged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        revision,
                        c.id,
                        position,
                        c.block,
                        c.paragraph,
                        c.text,
                        None if c.verdict is None else c.verdict.value,
                        c.score,
                        dumps(c.reasons),
                        dumps([cit.model_dump(mode="json") for cit in c.citations]),
                        int(c.flagged),
                    )
                    for position, c in enumerate(claims)
                ],
            )

    def claims(self, run_id: str, revision: int | None = None) -> list[Claim]:
        """The ledger of ``revision``, or of the latest revision that has one when ``None``."""
        if revision is None:
            row = self._row("SELECT MAX(revision) FROM claims WHERE run_id = ?", (run_id,))
            if row is None or row[0] is None:
                return []
            revision = int(row[0])
        rows = self._rows(
            "SELECT * FROM claims WHERE run_id = ? AND revision = ? ORDER BY position", (run_id, revision)
        )
        return [_claim(r) for r in rows]

    def record_review(
        self,
        run_id: str,
        *,
        revision: int,
        revision_hash: str,
        reviewer: str,
        decision: Decision,
        comment: str | None = None,
        override_reason: str | None = None,
    ) -> Review:
        """Record a decision on the revision the reviewer saw.

        Raises :class:`ReviewError` when that revision is unknown or its hash no longer matches the
        stored draft (the draft changed after the reviewer looked). The approval rules themselves
        (overrides for unsupported claims) belong to the review module.
        """
        review = _new_review(
            run_id, revision, revision_hash, reviewer, decision, comment, override_reason, self._now()
        )
        with self._write() as db:
            _insert_review(db, review)
        return review

    def record_edit(
        self,
        run_id: str,
        *,
        revision: int,
        claim_id: str,
        editor: str,
        old: Claim,
        new: Claim | None,
    ) -> ClaimEditRecord:
        """Add an edit by hand to the audit trail: ``revision`` is the one it made (saved already);
        ``new`` is None for a deleted sentence."""
        record = ClaimEditRecord(
            run_id=run_id,
            revision=revision,
            claim_id=claim_id,
            editor=editor,
            edited_at=parse_time(self._now()),
            old_text=old.text,
            new_text=None if new is None else new.text,
            old_citations=list(old.citations),
            new_citations=[] if new is None else list(new.citations),
            verdict=None if new is None or new.verdict is None else new.verdict.value,
        )
        with self._write() as db:
            self._require_run(db, run_id)
            db.execute(
                "INSERT INTO claim_edits (run_id, revision, claim_id, editor, edited_at, old_text, new_text,"
                " old_citations, new_citations, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    revision,
                    claim_id,
                    editor,
                    _stamp(record.edited_at),
                    record.old_text,
                    record.new_text,
                    dumps([c.model_dump(mode="json") for c in record.old_citations]),
                    None if new is None else dumps([c.model_dump(mode="json") for c in record.new_citations]),
                    record.verdict,
                ),
            )
        return record

    def claim_edits(self, run_id: str) -> list[ClaimEditRecord]:
        """The run's edits by hand, oldest first."""
        rows = self._rows("SELECT * FROM claim_edits WHERE run_id = ? ORDER BY edit_id", (run_id,))
        return [
            ClaimEditRecord(
                run_id=r["run_id"],
                revision=r["revision"],
                claim_id=r["claim_id"],
                editor=r["editor"],
                edited_at=parse_time(r["edited_at"]),
                old_text=r["old_text"],
                new_text=r["new_text"],
                old_citations=[Citation.model_validate(c) for c in json.loads(r["old_citations"])],
                new_citations=[Citation.model_validate(c) for c in json.loads(r["new_citations"] or "[]")],
                verdict=r["verdict"],
            )
            for r in rows
        ]

    def claim_for_decision(
        self,
        run_id: str,
        *,
        expected: StatusSet,
        new: RunStatus | str,
        revision: int,
        revision_hash: str,
        reviewer: str,
        decision: Decision,
        comment: str | None = None,
        override_reason: str | None = None,
    ) -> Review | None:
        """Move the run from ``expected`` to ``new`` status and record the review, in one transaction.

        None, with nothing written, when the run's status is no longer ``expected`` (someone else
        decided a moment ago: only one of two concurrent decisions wins). Raises :class:`ReviewError`
        like :meth:`record_review` (and then the status is left as it was).
        """
        review = _new_review(
            run_id, revision, revision_hash, reviewer, decision, comment, override_reason, self._now()
        )
        with self._write() as db:
            if not compare_and_set(db, run_id, expected=expected, new=new, now=_stamp(review.decided_at)):
                return None
            _insert_review(db, review)
        return review

    def reviews(self, run_id: str) -> list[Review]:
        """Oldest first."""
        rows = self._rows("SELECT * FROM reviews WHERE run_id = ? ORDER BY review_id", (run_id,))
        return [_review(r) for r in rows]

    def record_publication(
        self,
        run_id: str,
        *,
        revision: int,
        paths: Mapping[str, str],
        rendered: Mapping[str, str] | None = None,
    ) -> Publication:
        """Record where an approved revision was published and what was rendered for readers.
        Idempotent: publishing again keeps the first ``published_at`` and records the latest paths
        (and rendering, when given). Refuses a revision nobody approved."""
        now = self._now()
        content = None if rendered is None else dumps(dict(rendered))
        with self._write() as db:
            if not _approved(db, run_id, revision):
                raise ReviewError(
                    f"run {run_id!r} revision {revision} is not approved: it cannot be published"
                )
            db.execute(
                "INSERT INTO publications (run_id, revision, published_at, paths, rendered)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, revision) DO UPDATE SET paths = excluded.paths,"
                " rendered = COALESCE(excluded.rendered, publications.rendered)",
                (run_id, revision, now, dumps(dict(paths)), content),
            )
            row = db.execute(
                "SELECT * FROM publications WHERE run_id = ? AND revision = ?", (run_id, revision)
            ).fetchone()
        return _publication(row)

    def publication(self, run_id: str) -> Publication | None:
        """The run's latest published revision, if any."""
        row = self._row(
            "SELECT * FROM publications WHERE run_id = ? ORDER BY revision DESC LIMIT 1", (run_id,)
        )
        return None if row is None else _publication(row)

    def publications(self) -> list[Publication]:
        """Every publication, newest first: what the feed of published editions lists."""
        rows = self._rows("SELECT * FROM publications ORDER BY published_at DESC, run_id, revision DESC")
        return [_publication(r) for r in rows]
