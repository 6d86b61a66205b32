"""The store: runs, drafts and their revisions, items, the claim ledger, leaderboard snapshots and
moves, reviews (and what each reviewer last looked at), edits by hand, publications, sends to readers,
writer usage, the HTTP validator cache and (on PostgreSQL) the judge's answers, in one SQLite file or
one PostgreSQL database (by URL).

    with Store.open(settings.database) as store:
        store.create_run(run_id, edition_date=day, writer="extractive")
        digest = store.save_draft(run_id, draft)

The schema is created and upgraded by numbered migrations (``MIGRATIONS``) when the file opens.
"""

from agent.store._copy import copy_store
from agent.store._locks import LockHolder, RunLock, RunLocked
from agent.store._migrations import Migration, Migrations
from agent.store._records import (
    STATUS_AFTER_DECISION,
    ClaimEditRecord,
    ConnectionLost,
    Decision,
    DraftRecord,
    ImmutableRevision,
    Publication,
    Review,
    RunRecord,
    RunStatus,
    SchemaTooNew,
    SeenRevision,
    SendRecord,
    SendStatus,
    StoreError,
    UsageTotals,
    revision_hash,
)
from agent.store._reviewers import ReviewerRecord, Role
from agent.store._schema import MIGRATIONS
from agent.store._store import Store, database_problem

__all__ = [
    "MIGRATIONS",
    "STATUS_AFTER_DECISION",
    "ClaimEditRecord",
    "ConnectionLost",
    "Decision",
    "DraftRecord",
    "ImmutableRevision",
    "LockHolder",
    "Migration",
    "Migrations",
    "Publication",
    "Review",
    "ReviewerRecord",
    "Role",
    "RunLock",
    "RunLocked",
    "RunRecord",
    "RunStatus",
    "SchemaTooNew",
    "SeenRevision",
    "SendRecord",
    "SendStatus",
    "Store",
    "StoreError",
    "UsageTotals",
    "copy_store",
    "database_problem",
    "revision_hash",
]
