"""Items per run, leaderboard snapshots per edition and the moves computed from them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from agent.domain.models import Item, Leaderboard, LeaderboardMove
from agent.store._base import Tables, dumps, parse_time
from agent.store._records import SIGNED_OFF, StoreError

__all__ = ["ItemTables"]

_SIGNED_OFF_SQL = "(" + ", ".join(f"'{s.value}'" for s in SIGNED_OFF) + ")"


class ItemTables(Tables):
    def save_items(self, run_id: str, items: Iterable[Item]) -> None:
        """Insert or update the run's items by id; an item keeps its first position and its mark."""
        with self._write() as db:
            self._require_run(db, run_id)
            db.executemany(
                "INSERT INTO items (run_id, item_id, section, kind, data) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (run_id, item_id) DO UPDATE SET section = excluded.section,"
                " kind = excluded.kind, data = excluded.data",
                [(run_id, i.id, i.section.value, i.kind.value, i.model_dump_json()) for i in items],
            )

    def first_seen(self, seen: Mapping[str, datetime]) -> dict[str, datetime]:
        """Remember ``seen`` (item id -> when this run saw it) and answer, for each id, the earliest
        time any run saw it. A replayed archive counts as seen when it was fetched, not replayed."""
        if not seen:
            return {}
        with self._write() as db:
            db.executemany(
                "INSERT INTO item_first_seen (item_id, first_seen) VALUES (?, ?)"
                " ON CONFLICT (item_id) DO UPDATE SET"
                " first_seen = MIN(item_first_seen.first_seen, excluded.first_seen)",
                [(item_id, self._stamp(when)) for item_id, when in seen.items()],
            )
            rows = db.execute(
                "SELECT item_id, first_seen FROM item_first_seen"
                " WHERE item_id IN (SELECT value FROM json_each(?))",
                (dumps(list(seen)),),
            ).fetchall()
        return {r["item_id"]: parse_time(r["first_seen"]) for r in rows}

    def mark_selected(self, run_id: str, item_ids: Sequence[str]) -> None:
        """Record which of the run's saved items the edition shows (replacing an earlier mark).

        Only selected items count as covered by an edition (:meth:`covered_in`); the others were
        gathered but never reached readers.
        """
        with self._write() as db:
            self._require_run(db, run_id)
            wanted = dumps(list(item_ids))
            missing = [
                r[0]
                for r in db.execute(
                    "SELECT value FROM json_each(?) WHERE value NOT IN"
                    " (SELECT item_id FROM items WHERE run_id = ?)",
                    (wanted, run_id),
                )
            ]
            if missing:
                raise StoreError(
                    f"run {run_id!r} has no saved items {missing[:5]}: save them before selecting"
                )
            db.execute(
                "UPDATE items SET selected ="
                " CASE WHEN item_id IN (SELECT value FROM json_each(?)) THEN 1 ELSE 0 END WHERE run_id = ?",
                (wanted, run_id),
            )

    def items(self, run_id: str, *, selected_only: bool = False) -> list[Item]:
        """In the order they were first saved."""
        sql = "SELECT data FROM items WHERE run_id = ?" + (" AND selected = 1" if selected_only else "")
        return [Item.model_validate_json(r["data"]) for r in self._rows(sql + " ORDER BY seq", (run_id,))]

    def covered_in(self, item_ids: Sequence[str], before: date) -> dict[str, list[str]]:
        """For each id an earlier approved or published edition showed: those editions' dates (ISO,
        as ``Item.covered_in`` holds them), oldest first. Ids never shown are absent."""
        rows = self._rows(
            "SELECT DISTINCT i.item_id, r.edition_date FROM items AS i JOIN runs AS r USING (run_id)"
            f" WHERE i.selected = 1 AND r.status IN {_SIGNED_OFF_SQL} AND r.edition_date < ?"
            " AND i.item_id IN (SELECT value FROM json_each(?))"
            " ORDER BY i.item_id, r.edition_date",
            (before.isoformat(), dumps(list(item_ids))),
        )
        covered: dict[str, list[str]] = {}
        for row in rows:
            covered.setdefault(row["item_id"], []).append(row["edition_date"])
        return covered

    def save_leaderboard(self, run_id: str, edition_date: date, leaderboard: Leaderboard) -> None:
        """The run's snapshot of one board (by name); saving again replaces it."""
        with self._write() as db:
            self._require_run(db, run_id)
            db.execute(
                "INSERT INTO leaderboard_snapshots (run_id, name, edition_date, data, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET"
                " edition_date = excluded.edition_date, data = excluded.data",
                (
                    run_id,
                    leaderboard.name,
                    edition_date.isoformat(),
                    leaderboard.model_dump_json(),
                    self._now(),
                ),
            )

    def previous_leaderboard(self, name: str, before: date) -> tuple[date, Leaderboard] | None:
        """The latest snapshot of board ``name`` dated before ``before``, from any run.

        When several runs saved one for that date, an approved or published run's wins (that is
        what readers saw), then the most recent.
        """
        row = self._row(
            "SELECT s.edition_date, s.data FROM leaderboard_snapshots AS s JOIN runs AS r USING (run_id)"
            " WHERE s.name = ? AND s.edition_date < ?"
            f" ORDER BY s.edition_date DESC, r.status IN {_SIGNED_OFF_SQL} DESC,"
            " s.created_at DESC, r.created_at DESC"
            " LIMIT 1",
            (name, before.isoformat()),
        )
        if row is None:
            return None
        return date.fromisoformat(row["edition_date"]), Leaderboard.model_validate_json(row["data"])

    def save_moves(self, run_id: str, moves: Sequence[LeaderboardMove]) -> None:
        """Replace the run's computed moves."""
        with self._write() as db:
            self._require_run(db, run_id)
            db.execute("DELETE FROM leaderboard_moves WHERE run_id = ?", (run_id,))
            db.executemany(
                "INSERT INTO leaderboard_moves (run_id, position, data) VALUES (?, ?, ?)",
                [(run_id, n, m.model_dump_json()) for n, m in enumerate(moves)],
            )

    def moves(self, run_id: str) -> list[LeaderboardMove]:
        rows = self._rows("SELECT data FROM leaderboard_moves WHERE run_id = ? ORDER BY position", (run_id,))
        return [LeaderboardMove.model_validate_json(r["data"]) for r in rows]
