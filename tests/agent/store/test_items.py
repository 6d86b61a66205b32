from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from agent.domain.errors import RunNotFound
from agent.domain.models import Item, Leaderboard, LeaderboardMove, LeaderboardRow, Section, SourceKind
from agent.store import RunStatus, Store, StoreError


def _item(item_id: str, section: Section = Section.WIRE, title: str = "A story") -> Item:
    return Item(
        id=item_id,
        source="example-news",
        section=section,
        kind=SourceKind.FEED,
        title=title,
        url=item_id,
        text=f"{title}. More text.",
        published=datetime(2026, 11, 20, tzinfo=UTC),
    )


def _board(*rows: tuple[str, float]) -> Leaderboard:
    return Leaderboard(
        name="SWE-rebench",
        metric="Resolved rate",
        rows=tuple(LeaderboardRow(rank=n, model=m, score=s, unit="%") for n, (m, s) in enumerate(rows, 1)),
    )


def _run(store: Store, run_id: str, day: date, status: RunStatus) -> str:
    store.create_run(run_id, edition_date=day, writer="extractive")
    store.set_run_status(run_id, status)
    return run_id


def test_items_round_trip_in_first_saved_order_and_upsert_by_id(store: Store) -> None:
    run = _run(store, "run-a", date(2026, 11, 26), RunStatus.RUNNING)
    a, b = _item("https://n.example/a"), _item("https://n.example/b", Section.LABS)
    store.save_items(run, [a, b])
    updated = a.model_copy(update={"relevance": 0.8, "covered_in": ("2026-11-19",)})
    store.save_items(run, [updated])
    assert store.items(run) == [updated, b]
    assert store.items("other") == []


def test_items_for_an_unknown_run_are_refused(store: Store) -> None:
    with pytest.raises(RunNotFound):
        store.save_items("nope", [_item("https://n.example/a")])


def test_mark_selected_replaces_the_selection_and_refuses_unknown_ids(store: Store) -> None:
    run = _run(store, "run-a", date(2026, 11, 26), RunStatus.RUNNING)
    a, b, c = (_item(f"https://n.example/{x}") for x in "abc")
    store.save_items(run, [a, b, c])
    store.mark_selected(run, [a.id, c.id])
    assert store.items(run, selected_only=True) == [a, c]
    store.mark_selected(run, [b.id])
    assert store.items(run, selected_only=True) == [b]
    with pytest.raises(StoreError, match="no saved items"):
        store.mark_selected(run, ["https://n.example/zzz"])
    assert store.items(run, selected_only=True) == [b]


def test_covered_in_lists_earlier_signed_off_editions_that_showed_the_item(store: Store) -> None:
    story, other = _item("https://n.example/story"), _item("https://n.example/other")
    for run_id, day, status in [
        ("published-12", date(2026, 11, 12), RunStatus.PUBLISHED),
        ("approved-19", date(2026, 11, 19), RunStatus.APPROVED),
        ("rejected-19", date(2026, 11, 19), RunStatus.REJECTED),
        ("published-26", date(2026, 11, 26), RunStatus.PUBLISHED),  # not before the 26th
    ]:
        _run(store, run_id, day, status)
        store.save_items(run_id, [story, other])
        store.mark_selected(run_id, [story.id])
    gathered_only = _run(store, "gathered-05", date(2026, 11, 5), RunStatus.PUBLISHED)
    store.save_items(gathered_only, [other])  # gathered, never shown

    covered = store.covered_in([story.id, other.id, "https://n.example/new"], before=date(2026, 11, 26))
    assert covered == {story.id: ["2026-11-12", "2026-11-19"]}


def test_covered_in_handles_many_ids(store: Store) -> None:
    run = _run(store, "run-a", date(2026, 11, 19), RunStatus.PUBLISHED)
    items = [_item(f"https://n.example/{n}") for n in range(2000)]
    store.save_items(run, items)
    store.mark_selected(run, [i.id for i in items[::2]])
    covered = store.covered_in([i.id for i in items], before=date(2026, 11, 26))
    assert len(covered) == 1000


def test_previous_leaderboard_is_the_latest_snapshot_before_the_date(store: Store) -> None:
    older = _board(("Claude Opus 4.6", 64.1), ("GLM-5", 62.8))
    week_before = _board(("gpt-5.2-2025-12-11-medium", 64.5), ("Claude Opus 4.6", 64.1))
    draft_only = _board(("Junie", 70.0))
    current = _board(("Claude Opus 4.6", 65.3))
    _run(store, "r12", date(2026, 11, 12), RunStatus.PUBLISHED)
    _run(store, "r19-published", date(2026, 11, 19), RunStatus.PUBLISHED)
    _run(store, "r19-later-draft", date(2026, 11, 19), RunStatus.REJECTED)
    _run(store, "r26", date(2026, 11, 26), RunStatus.RUNNING)
    store.save_leaderboard("r12", date(2026, 11, 12), older)
    store.save_leaderboard("r19-published", date(2026, 11, 19), week_before)
    store.save_leaderboard("r19-later-draft", date(2026, 11, 19), draft_only)
    store.save_leaderboard("r26", date(2026, 11, 26), current)

    assert store.previous_leaderboard("SWE-rebench", before=date(2026, 11, 26)) == (
        date(2026, 11, 19),
        week_before,
    )
    assert store.previous_leaderboard("SWE-rebench", before=date(2026, 11, 19)) == (date(2026, 11, 12), older)
    assert store.previous_leaderboard("SWE-rebench", before=date(2026, 11, 12)) is None
    assert (
        store.previous_leaderboard("Artificial Analysis Intelligence Index", before=date(2026, 12, 1)) is None
    )


def test_without_a_signed_off_run_the_most_recent_snapshot_for_a_date_wins(store: Store) -> None:
    first, second = _board(("A", 1.0)), _board(("B", 2.0))
    _run(store, "r1", date(2026, 11, 19), RunStatus.FAILED)
    _run(store, "r2", date(2026, 11, 19), RunStatus.AWAITING_REVIEW)
    store.save_leaderboard("r1", date(2026, 11, 19), first)
    store.save_leaderboard("r2", date(2026, 11, 19), second)
    assert store.previous_leaderboard("SWE-rebench", before=date(2026, 11, 26)) == (
        date(2026, 11, 19),
        second,
    )


def test_saving_a_snapshot_again_replaces_it(store: Store) -> None:
    run = _run(store, "r1", date(2026, 11, 19), RunStatus.RUNNING)
    store.save_leaderboard(run, date(2026, 11, 19), _board(("A", 1.0)))
    store.save_leaderboard(run, date(2026, 11, 19), _board(("B", 2.0)))
    assert store.previous_leaderboard("SWE-rebench", before=date(2026, 11, 26)) == (
        date(2026, 11, 19),
        _board(("B", 2.0)),
    )
    assert store._db.execute("SELECT COUNT(*) FROM leaderboard_snapshots").fetchone()[0] == 1


def test_moves_are_stored_per_run_and_replaced(store: Store) -> None:
    run = _run(store, "r1", date(2026, 11, 26), RunStatus.RUNNING)
    up = LeaderboardMove(
        leaderboard="SWE-rebench",
        model="Claude Opus 4.6",
        rank=1,
        score=65.3,
        previous_rank=3,
        previous_score=64.1,
        unit="%",
    )
    new = LeaderboardMove(leaderboard="SWE-rebench", model="GLM-5", rank=4, score=62.8, unit="%")
    store.save_moves(run, [up, new])
    assert store.moves(run) == [up, new]
    store.save_moves(run, [new])
    assert store.moves(run) == [new]
    assert store.moves("other") == []


def test_first_seen_keeps_the_earliest_sighting_of_each_id(store: Store) -> None:
    monday = datetime(2026, 11, 23, 9, tzinfo=UTC)
    thursday = datetime(2026, 11, 26, 9, tzinfo=UTC)
    assert store.first_seen({"a": thursday}) == {"a": thursday}
    # Seen again later: still first seen on Thursday. Replaying an older archive moves it earlier.
    assert store.first_seen({"a": datetime(2026, 12, 1, tzinfo=UTC), "b": thursday}) == {
        "a": thursday,
        "b": thursday,
    }
    assert store.first_seen({"a": monday}) == {"a": monday}
    assert store.first_seen({}) == {}
