"""Dates as feeds and pages really print them, in any language: "Seg, 24 Set 2018 10:00:00 -0300",
"Τρι, 29 Ιούν 2004", "2020/1/10 14:33:00", "3 days ago".

RFC 822 and ISO 8601 are read directly (the common case, microseconds); anything else goes to
dateparser, whose language data ships inside the package (nothing is downloaded at run time).
"""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tools.adapters._text import entry_date, normalise_whitespace, to_utc

__all__ = ["feed_entry_date", "read_date"]

# A date printed by a feed or a page is short; a longer string is prose that merely mentions one.
_MAX_DATE_CHARS = 80


def _fast(text: str) -> datetime | None:
    try:
        return to_utc(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return to_utc(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def read_date(text: str, *, relative_to: datetime | None = None) -> datetime | None:
    """``text`` as an aware UTC datetime, or None when it holds no readable date.

    ``relative_to`` anchors relative dates ("3 days ago", "yesterday"): the time the page was
    fetched, not the time it is parsed. Without it, a relative date is refused.
    """
    text = normalise_whitespace(text)
    if not text or len(text) > _MAX_DATE_CHARS:
        return None
    fast = _fast(text)
    if fast is not None:
        return fast
    # Imported here: loading its language data takes about 2.5 s on the first call, and most
    # feeds never need it.
    import dateparser

    settings: dict[str, Any] = {
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TO_TIMEZONE": "UTC",
        "PREFER_DATES_FROM": "past",
    }
    if relative_to is not None:
        settings["RELATIVE_BASE"] = to_utc(relative_to).replace(tzinfo=None)
    try:
        parsed = dateparser.parse(text, settings=settings)
    # dateparser raises assorted errors on odd input (overflowing numbers, odd time zones).
    except (ValueError, OverflowError, TypeError, KeyError):
        return None
    if parsed is None:
        return None
    if relative_to is None and _is_relative(text):
        return None
    return to_utc(parsed) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _is_relative(text: str) -> bool:
    """True when ``text`` names no year, month or day of its own ("3 days ago", "yesterday")."""
    return not any(ch.isdigit() for ch in text) or "ago" in text.lower()


def feed_entry_date(
    entry: Mapping[str, Any], field: str, *, relative_to: datetime | None = None
) -> tuple[datetime | None, str | None]:
    """A feed entry's ``published``/``updated`` date and, when it printed one that cannot be read,
    that text (so it is reported, not silently taken for "no date").

    feedparser reads RFC 822, ISO 8601 and a few more; when it gives up, its raw string is read here.
    """
    parsed = entry_date(entry, f"{field}_parsed")
    if parsed is not None:
        return parsed, None
    raw = dict.get(entry, field) if isinstance(entry, dict) else entry.get(field)
    if not isinstance(raw, str) or not raw.strip():
        return None, None
    when = read_date(raw, relative_to=relative_to)
    return (when, None) if when is not None else (None, normalise_whitespace(raw))
