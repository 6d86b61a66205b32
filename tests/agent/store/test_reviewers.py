"""Named reviewers in the store: only the token's hash is kept, names are unique, removal is final."""

from __future__ import annotations

import pytest

from agent.domain.errors import ReportError
from agent.reviewers import (
    SHARED_NAME,
    AccessDenied,
    add_reviewer,
    authenticate,
    hash_token,
    terminal_identity,
)
from agent.store import Store, StoreError


def test_a_token_names_its_reviewer_and_only_its_hash_is_stored(store: Store) -> None:
    token = add_reviewer(store, "Ana", "reviewer")
    [record] = store.reviewers()
    assert record.token_hash == hash_token(token) and token not in record.token_hash
    assert authenticate(store, token, shared_token=None) is not None
    assert authenticate(store, token + "x", shared_token=None) is None
    shared = authenticate(store, "desk-token", shared_token="desk-token")
    assert shared is not None and shared.name == SHARED_NAME and shared.shared
    with pytest.raises(StoreError, match="already"):
        add_reviewer(store, "Ana", "editor")
    assert store.remove_reviewer("Ana") and not store.remove_reviewer("Ana")
    assert authenticate(store, token, shared_token=None) is None


def test_the_terminal_takes_a_typed_name_only_on_a_desk_without_reviewers_or_token(store: Store) -> None:
    alone = terminal_identity(store, token=None, shared_token=None, typed="bo", default="me")
    assert alone.name == "bo"
    editor = add_reviewer(store, "Ed", "editor")
    with pytest.raises(AccessDenied, match="named reviewers"):
        terminal_identity(store, token=None, shared_token=None, typed="bo", default="me")
    with pytest.raises(AccessDenied, match="editor"):
        terminal_identity(store, token=editor, shared_token=None, typed=None, default="me")


def test_a_name_that_is_blank_too_long_unprintable_or_the_shared_tokens_is_refused(store: Store) -> None:
    # The name goes into the audit trail and onto the terminal: a control character could rewrite it.
    for name in ("   ", "x" * 81, "Ana\x1b[2K", "Ana\nBo", SHARED_NAME):
        with pytest.raises(ReportError):
            add_reviewer(store, name, "reviewer")
    with pytest.raises(ReportError, match="the role is one of"):
        add_reviewer(store, "Ana", "owner")  # type: ignore[arg-type]
    assert store.reviewers() == []
    add_reviewer(store, "  " + "x" * 80 + "  ", "reviewer")  # stripped, then exactly 80
    assert [r.name for r in store.reviewers()] == ["x" * 80]
