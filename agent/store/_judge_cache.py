"""The Claude judge's answers, by key (evals.judge.StoreJudgeCache): a cache, so a PostgreSQL desk writes
no SQLite file in the data folder for it."""

from __future__ import annotations

from agent.store._base import Tables

__all__ = ["JudgeCacheTables"]


class JudgeCacheTables(Tables):
    def judge_answer(self, key: str) -> str | None:
        """The answer's JSON, as :meth:`put_judge_answer` stored it."""
        row = self._row("SELECT answer FROM judge_cache WHERE key = ?", (key,))
        return None if row is None else str(row["answer"])

    def put_judge_answer(self, key: str, answer: str) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO judge_cache (key, answer) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET answer = excluded.answer",
                (key, answer),
            )
