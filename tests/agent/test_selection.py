from __future__ import annotations

from datetime import UTC, date, datetime

from agent.domain.models import DropReason, Item, Leaderboard, Section, SourceKind
from agent.selection import dedupe, in_window, near_duplicate, relevance, select_items, select_with_reasons

EDITION = date(2026, 11, 26)


def item(
    id_: str,
    title: str,
    *,
    section: Section = Section.WIRE,
    day: int | None = 25,
    text: str = "",
    source: str = "wire",
) -> Item:
    published = datetime(2026, 11, day, 9, 0, tzinfo=UTC) if day else None
    return Item(
        id=id_,
        source=source,
        section=section,
        kind=SourceKind.FEED,
        title=title,
        url=f"https://n.example/{id_}",
        text=text or title + ".",
        published=published,
    )


def test_window_includes_the_edition_day_and_excludes_older_items() -> None:
    assert in_window(item("a", "A", day=26), EDITION, 7)
    assert in_window(item("b", "B", day=20), EDITION, 7)
    assert not in_window(item("c", "C", day=19), EDITION, 7)
    assert not in_window(item("d", "D", day=27), EDITION, 7)


def test_undated_items_count_from_first_seen_and_repositories_always() -> None:
    assert not in_window(item("a", "A", day=None), EDITION, 7)
    assert in_window(item("r", "owner/repo", section=Section.REPOS, day=None), EDITION, 7)
    seen_this_week = item("b", "B", day=None).model_copy(
        update={"first_seen": datetime(2026, 11, 24, tzinfo=UTC)}
    )
    seen_last_month = item("c", "C", day=None).model_copy(
        update={"first_seen": datetime(2026, 10, 24, tzinfo=UTC)}
    )
    assert in_window(seen_this_week, EDITION, 7)
    assert not in_window(seen_last_month, EDITION, 7)
    assert in_window(seen_last_month, EDITION, 40)


def test_near_duplicate_titles() -> None:
    assert near_duplicate(
        "KV cache offloading for LLM serving at scale", "KV Cache Offloading for LLM Serving at Scale!"
    )
    assert not near_duplicate("KV cache offloading for LLM serving", "Power capping in LLM decode")


def test_dedupe_keeps_the_first_of_each_id_and_story() -> None:
    first = item("1", "OpenAI ships GPT-5.5 to enterprise customers")
    same_id = item("1", "Another title")
    same_story = item("2", "OpenAI ships GPT-5.5 to enterprise customers today")
    other = item("3", "Wikipedia votes on AI content")
    assert [i.id for i in dedupe([first, same_id, same_story, other])] == ["1", "3"]


def test_relevance_weights_title_over_text() -> None:
    focus = ["inference", "energy"]
    in_title = item("a", "Faster inference", text="About energy.")
    in_text = item("b", "A paper", text="Inference and energy.")
    assert relevance(in_title, focus) > relevance(in_text, focus) > 0
    assert relevance(item("c", "Unrelated"), focus) == 0


def test_select_ranks_by_focus_marks_covered_and_caps() -> None:
    papers = [
        item(
            f"p{i}",
            f"Paper {i} on topic {i}",
            section=Section.PAPERS,
            source="arxiv",
            text="inference" if i % 2 else "other",
        )
        for i in range(10)
    ]
    board = Item(
        id="leaderboard:x",
        source="lb",
        section=Section.BENCHMARKS,
        kind=SourceKind.LEADERBOARD,
        title="X",
        url="https://lb.example",
        leaderboard=Leaderboard(name="X", metric="m"),
    )
    selected = select_items(
        [*papers, board],
        edition_date=EDITION,
        window_days=7,
        focus_by_source={"arxiv": ["inference"]},
        covered={"p3": ["2026-11-19"]},
        caps={Section.PAPERS: 5, Section.BENCHMARKS: 4},
    )
    chosen = selected[Section.PAPERS]
    assert len(chosen) == 5
    assert all(p.relevance > 0 for p in chosen)
    assert chosen[-1].id == "p3" and chosen[-1].covered_in == ("2026-11-19",)  # covered sorts last
    assert [b.id for b in selected[Section.BENCHMARKS]] == ["leaderboard:x"]
    assert selected[Section.LABS] == []


def _dedupe_all_pairs(items: list[Item]) -> list[str]:
    """The definition dedupe's index must agree with: every kept item of the section compared."""
    kept: list[Item] = []
    seen: set[str] = set()
    for it in items:
        if it.id in seen:
            continue
        if it.section is not Section.BENCHMARKS and any(
            k.section is it.section and near_duplicate(k.title, it.title) for k in kept
        ):
            continue
        seen.add(it.id)
        kept.append(it)
    return [i.id for i in kept]


def test_indexed_dedupe_keeps_exactly_what_comparing_every_pair_keeps() -> None:
    import random

    rng = random.Random(19)
    vocabulary = "kv cache llm serving gpu energy power decode model agent openai ships scale fast".split()
    items = []
    for n in range(600):
        words = rng.sample(vocabulary, rng.randint(0, 7))
        section = rng.choice([Section.WIRE, Section.PAPERS, Section.BENCHMARKS])
        items.append(item(str(rng.randint(0, 500)) if n % 7 else str(n), " ".join(words), section=section))
    # Same titles in another section are not duplicates of each other.
    items.append(item("x1", "KV cache offloading at scale", section=Section.LABS))
    items.append(item("x2", "KV cache offloading at scale", section=Section.REPOS))
    assert [i.id for i in dedupe(items)] == _dedupe_all_pairs(items)


def test_every_item_left_out_carries_its_reason() -> None:
    on_topic = [item(f"w{i}", f"Inference story number {i}", text="inference", day=24) for i in range(3)]
    covered = item("cov", "Inference story told last week", text="inference", day=21)
    off_topic = item("off", "Gardening tips for the weekend", day=25)
    old = item("old", "Something from October", day=None).model_copy(
        update={"published": datetime(2026, 10, 2, 9, tzinfo=UTC)}
    )
    first_seen_long_ago = item("seen", "An undated page", day=None).model_copy(
        update={"first_seen": datetime(2026, 9, 1, tzinfo=UTC)}
    )
    never_seen = item("undated", "Undated and unseen", day=None)
    unreadable = item("unread", "Date in riddles", day=None).model_copy(
        update={"extra": {"unreadable_date": "em breve, talvez"}}
    )
    same_link = item("w0", "Inference story number 0", source="other-wire", day=24)
    same_story = item("twin", "Inference story number 1!", text="inference", day=23)
    items = [
        *on_topic,
        covered,
        off_topic,
        old,
        first_seen_long_ago,
        never_seen,
        unreadable,
        same_link,
        same_story,
    ]
    selection = select_with_reasons(
        items,
        edition_date=EDITION,
        window_days=7,
        focus_by_source={"wire": ["inference"], "other-wire": ["inference"]},
        covered={"cov": ["2026-11-19"]},
        caps={Section.WIRE: 3},
    )
    assert [i.id for i in selection.sections[Section.WIRE]] == ["w0", "w1", "w2"]
    assert len(selection.sections[Section.WIRE]) + len(selection.dropped) == len(items)
    why = {(d.item_id, d.source): d for d in selection.dropped}
    assert why[("old", "wire")].reason is DropReason.OUTSIDE_WINDOW
    assert why[("old", "wire")].detail == "published 2026-10-02, outside the window 2026-11-20 to 2026-11-26"
    assert why[("seen", "wire")].reason is DropReason.OUTSIDE_WINDOW
    assert "prints no date; first seen 2026-09-01" in why[("seen", "wire")].detail
    assert why[("undated", "wire")].reason is DropReason.UNDATED
    assert why[("unread", "wire")].reason is DropReason.UNREADABLE_DATE
    assert "'em breve, talvez'" in why[("unread", "wire")].detail
    assert why[("w0", "other-wire")].reason is DropReason.DUPLICATE
    assert why[("w0", "other-wire")].duplicate_of == "w0"
    assert why[("twin", "wire")].reason is DropReason.DUPLICATE
    assert why[("twin", "wire")].duplicate_of == "w1"
    assert why[("cov", "wire")].reason is DropReason.COVERED
    assert "2026-11-19" in why[("cov", "wire")].detail
    assert why[("off", "wire")].reason is DropReason.BELOW_RELEVANCE
    assert selection.dated_in_window == 7 and selection.dated_outside == 2
    assert not selection.all_outside_window
