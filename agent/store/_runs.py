"""Runs (one per LangGraph thread) and the writer's usage and cost per call."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from agent.domain.errors import RunNotFound
from agent.domain.models import PromptRef, Usage
from agent.store._base import Tables, dumps, json_column, parse_time
from agent.store._dialect import Connection, Row
from agent.store._records import RunRecord, RunStatus, UsageTotals

__all__ = ["RunTables", "StatusSet", "compare_and_set"]


StatusSet = RunStatus | str | Iterable[RunStatus | str]


def compare_and_set(
    db: Connection, run_id: str, *, expected: StatusSet, new: RunStatus | str, now: str
) -> bool:
    """The status compare-and-set, inside the caller's write transaction."""
    wanted = (
        [RunStatus(expected).value] if isinstance(expected, str) else [RunStatus(e).value for e in expected]
    )
    if not wanted:
        raise ValueError("expected names no status")
    Tables._require_run(db, run_id)
    placeholders = ", ".join("?" * len(wanted))
    cursor = db.execute(
        f"UPDATE runs SET status = ?, updated_at = ? WHERE run_id = ? AND status IN ({placeholders})",
        (RunStatus(new).value, now, run_id, *wanted),
    )
    return cursor.rowcount == 1


def _run(row: Row) -> RunRecord:
    return RunRecord(
        run_id=row["run_id"],
        created_at=parse_time(row["created_at"]),
        updated_at=parse_time(row["updated_at"]),
        edition_date=date.fromisoformat(row["edition_date"]),
        writer=row["writer"],
        sources_path=row["sources_path"],
        status=RunStatus(row["status"]),
        report=None if row["report"] is None else json.loads(row["report"]),
        options=json_column(row, "options"),
    )


class RunTables(Tables):
    def create_run(
        self,
        run_id: str,
        *,
        edition_date: date,
        writer: str,
        sources_path: str | None = None,
        status: RunStatus | str = RunStatus.RUNNING,
        created_at: datetime | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> RunRecord:
        """Record a new run. Idempotent: a run that exists already is returned unchanged, because the
        node that creates it re-runs when a killed run is resumed. ``created_at`` defaults to the
        store's clock; ``options`` are the run's options, which every resume uses."""
        now = self._now() if created_at is None else self._stamp(created_at)
        with self._write() as db:
            db.execute(
                "INSERT INTO runs (run_id, created_at, updated_at, edition_date, writer, sources_path,"
                " status, options)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING",
                (
                    run_id,
                    now,
                    now,
                    edition_date.isoformat(),
                    writer,
                    sources_path,
                    RunStatus(status).value,
                    None if options is None else dumps(dict(options)),
                ),
            )
        return self.get_run(run_id)

    def get_run(self, run_id: str) -> RunRecord:
        row = self._row("SELECT * FROM runs WHERE run_id = ?", (run_id,))
        if row is None:
            raise RunNotFound(f"no run {run_id!r} in the store")
        return _run(row)

    def list_runs(self, status: RunStatus | str | None = None) -> list[RunRecord]:
        """Newest first."""
        if status is None:
            rows = self._rows("SELECT * FROM runs ORDER BY created_at DESC, run_id")
        else:
            rows = self._rows(
                "SELECT * FROM runs WHERE status = ? ORDER BY created_at DESC, run_id",
                (RunStatus(status).value,),
            )
        return [_run(r) for r in rows]

    def set_run_status(self, run_id: str, status: RunStatus | str) -> None:
        """Raises ``ValueError`` for a status that is not a :class:`RunStatus` value."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE runs SET status = ?, updated_at = ? WHERE run_id = ?",
                (RunStatus(status).value, self._now(), run_id),
            )
            if cursor.rowcount == 0:
                raise RunNotFound(f"no run {run_id!r} in the store")

    def compare_and_set_status(self, run_id: str, *, expected: StatusSet, new: RunStatus | str) -> bool:
        """Move the run to ``new`` only if its status is (one of) ``expected``, atomically.

        False when another process changed it first (two reviewers deciding at once: one wins).
        Raises :class:`RunNotFound` for an unknown run."""
        with self._write() as db:
            return compare_and_set(db, run_id, expected=expected, new=new, now=self._now())

    def set_run_report(self, run_id: str, report: Mapping[str, Any]) -> None:
        with self._write() as db:
            cursor = db.execute(
                "UPDATE runs SET report = ?, updated_at = ? WHERE run_id = ?",
                (dumps(report), self._now(), run_id),
            )
            if cursor.rowcount == 0:
                raise RunNotFound(f"no run {run_id!r} in the store")

    def record_usage(
        self,
        run_id: str,
        *,
        stage: str,
        model: str,
        usage: Usage,
        item_id: str | None = None,
        prompts: Sequence[PromptRef] = (),
    ) -> None:
        """One writer call's tokens and cost, and the prompts (name, version, hash) it used."""
        with self._write() as db:
            self._require_run(db, run_id)
            db.execute(
                "INSERT INTO writer_usage (run_id, stage, item_id, model, input_tokens, output_tokens,"
                " cache_write_tokens, cache_read_tokens, usd, prompts, recorded_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    stage,
                    item_id,
                    model,
                    usage.input_tokens,
                    usage.output_tokens,
                    usage.cache_write_tokens,
                    usage.cache_read_tokens,
                    usage.usd,
                    dumps([p.model_dump(mode="json") for p in prompts]),
                    self._now(),
                ),
            )

    def usage_totals(self, run_id: str) -> UsageTotals:
        rows = self._rows("SELECT * FROM writer_usage WHERE run_id = ? ORDER BY usage_id", (run_id,))
        total = Usage()
        by_stage: dict[str, Usage] = {}
        prompts: dict[tuple[str, int, str], PromptRef] = {}
        for row in rows:
            call = Usage(
                input_tokens=row["input_tokens"],
                output_tokens=row["output_tokens"],
                cache_write_tokens=row["cache_write_tokens"],
                cache_read_tokens=row["cache_read_tokens"],
                usd=row["usd"],
            )
            total = total + call
            by_stage[row["stage"]] = by_stage.get(row["stage"], Usage()) + call
            for raw in json.loads(row["prompts"]):
                ref = PromptRef.model_validate(raw)
                prompts.setdefault((ref.name, ref.version, ref.sha256), ref)
        return UsageTotals(total=total, calls=len(rows), by_stage=by_stage, prompts=tuple(prompts.values()))
