"""Who is deciding: named reviewers with personal tokens, and the desk's shared token.

``inference-report reviewers add NAME`` makes a 32-byte random token, shows it once and stores only
its SHA-256. A token presented later (the review page's login or ``Authorization: Bearer``, the
terminal's ``--token`` or ``INFERENCE_REPORT_REVIEW_TOKEN``) names its reviewer; the audit trail
records that name, never a name typed in. The shared ``INFERENCE_REPORT_REVIEW_TOKEN`` of a one-person
desk keeps working and is recorded as :data:`SHARED_NAME`.

Roles: a **reviewer** decides (approve, reject, request changes), corrects and publishes; an
**editor** drafts and reads the review page but decides nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from agent.domain.errors import ReportError
from agent.store import Role, Store

__all__ = [
    "ROLES",
    "SHARED_NAME",
    "AccessDenied",
    "Identity",
    "add_reviewer",
    "authenticate",
    "hash_token",
    "require_decider",
    "terminal_identity",
]

SHARED_NAME = "desk (shared token)"
ROLES: tuple[Role, ...] = ("editor", "reviewer")
# 32 random bytes: far beyond guessing over HTTP.
_TOKEN_BYTES = 32


class AccessDenied(ReportError):
    """No valid token, or a role that may not do this."""


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    role: Role
    shared: bool = False  # the desk's shared token, not a person

    @property
    def can_decide(self) -> bool:
        return self.role == "reviewer"


def hash_token(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_reviewer(store: Store, name: str, role: Role = "reviewer") -> str:
    """Register ``name`` and return their personal token (shown once; only its hash is kept)."""
    name = name.strip()
    if not name or len(name) > 80 or any(not ch.isprintable() for ch in name):
        raise ReportError("a reviewer's name is 1-80 printable characters")
    if name == SHARED_NAME:
        raise ReportError(f"{SHARED_NAME!r} is how the shared token is recorded: choose another name")
    if role not in ROLES:
        raise ReportError(f"the role is one of {', '.join(ROLES)}, not {role!r}")
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    store.add_reviewer(name, role=role, token_hash=hash_token(token))
    return token


def authenticate(store: Store, token: str | None, *, shared_token: str | None) -> Identity | None:
    """Who ``token`` names: a registered reviewer, the desk's shared token, or nobody (None)."""
    if not token:
        return None
    found = store.reviewer_by_token_hash(hash_token(token))
    if found is not None:
        return Identity(found.name, found.role)
    # Constant time: the comparison must not tell how many characters were right.
    if shared_token and hmac.compare_digest(hash_token(token), hash_token(shared_token)):
        return Identity(SHARED_NAME, "reviewer", shared=True)
    return None


def require_decider(identity: Identity) -> Identity:
    if not identity.can_decide:
        raise AccessDenied(
            f"{identity.name} is an editor: only a reviewer may approve, reject, request changes, "
            "correct or publish"
        )
    return identity


def terminal_identity(
    store: Store, *, token: str | None, shared_token: str | None, typed: str | None, default: str
) -> Identity:
    """Who decides from the terminal.

    With a token: whoever it names (``--reviewer`` is refused: the token names you). Without one, on a
    desk with named reviewers: refused. Without one on a desk with none (one person, one laptop): the
    typed ``--reviewer`` or the local user name, as before reviewers existed.
    """
    if token:
        identity = authenticate(store, token, shared_token=shared_token)
        if identity is None:
            raise AccessDenied(
                "that review token names no reviewer: check --token or INFERENCE_REPORT_REVIEW_TOKEN"
            )
        if typed is not None and typed != identity.name:
            raise AccessDenied(
                f"--reviewer is not taken with a token: the token names you ({identity.name}); "
                "drop --reviewer"
            )
        return require_decider(identity)
    if store.reviewers():
        raise AccessDenied(
            "this desk has named reviewers: pass your personal token with --token or "
            "INFERENCE_REPORT_REVIEW_TOKEN (inference-report reviewers add NAME makes one)"
        )
    return Identity(typed or default, "reviewer")
