"""Named reviewers in the store: only the token's hash is kept, names are unique, removal is final."""

from __future__ import annotations

import pytest

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
