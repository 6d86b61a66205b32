"""The store's schema, as migrations. A released migration is never edited: add the next number.

The LangGraph checkpointer shares the database file and owns the tables ``checkpoints`` and
``writes``: no migration here may create or touch them.
"""

from __future__ import annotations

from agent.store._dialect import Connection
from agent.store._migrations import Migrations

__all__ = ["MIGRATIONS"]

MIGRATIONS = Migrations()

_INITIAL = [
    """CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        edition_date TEXT NOT NULL,
        writer TEXT NOT NULL,
        sources_path TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'awaiting_review', 'approved', 'rejected',
                                               'changes_requested', 'published', 'failed')),
        report TEXT
    )""",
    "CREATE INDEX runs_by_status ON runs (status, created_at)",
    "CREATE INDEX runs_by_edition_date ON runs (edition_date)",
    """CREATE TABLE editions (
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        revision_hash TEXT NOT NULL,
        draft TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, revision)
    )""",
    """CREATE TABLE items (
        seq INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        section TEXT NOT NULL,
        kind TEXT NOT NULL,
        selected INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL,
        UNIQUE (run_id, item_id)
    )""",
    "CREATE INDEX items_by_item_id ON items (item_id)",
    """CREATE TABLE claims (
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        claim_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        block TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        text TEXT NOT NULL,
        verdict TEXT,
        score REAL,
        reasons TEXT NOT NULL,
        citations TEXT NOT NULL,
        flagged INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, revision, claim_id)
    )""",
    """CREATE TABLE leaderboard_snapshots (
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        edition_date TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, name)
    )""",
    "CREATE INDEX leaderboard_snapshots_by_name ON leaderboard_snapshots (name, edition_date)",
    """CREATE TABLE leaderboard_moves (
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, position)
    )""",
    """CREATE TABLE http_cache (
        url TEXT PRIMARY KEY,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        body BLOB NOT NULL,
        fetched_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT
    )""",
    """CREATE TABLE reviews (
        review_id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        revision_hash TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject', 'request_changes')),
        comment TEXT,
        override_reason TEXT,
        decided_at TEXT NOT NULL,
        FOREIGN KEY (run_id, revision) REFERENCES editions (run_id, revision) ON DELETE CASCADE
    )""",
    "CREATE INDEX reviews_by_run ON reviews (run_id, revision)",
    """CREATE TABLE publications (
        run_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        published_at TEXT NOT NULL,
        paths TEXT NOT NULL,
        PRIMARY KEY (run_id, revision),
        FOREIGN KEY (run_id, revision) REFERENCES editions (run_id, revision) ON DELETE CASCADE
    )""",
    """CREATE TABLE writer_usage (
        usage_id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        stage TEXT NOT NULL,
        item_id TEXT,
        model TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL,
        cache_read_tokens INTEGER NOT NULL,
        usd REAL NOT NULL,
        prompts TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    )""",
    "CREATE INDEX writer_usage_by_run ON writer_usage (run_id)",
]


@MIGRATIONS.register(1)
def initial_schema(db: Connection) -> None:
    for statement in _INITIAL:
        db.execute(statement)


# Databases written before this migration may hold the table already: the review module created it
# ad hoc (same columns) on its own connection. IF NOT EXISTS adopts that table and its rows.
_REVIEW_VIEWS = """CREATE TABLE IF NOT EXISTS review_views (
    run_id TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    revision INTEGER NOT NULL,
    revision_hash TEXT NOT NULL,
    draft TEXT NOT NULL,
    viewed_at TEXT NOT NULL,
    PRIMARY KEY (run_id, reviewer)
)"""


@MIGRATIONS.register(2)
def review_views(db: Connection) -> None:
    """Which revision each reviewer last looked at: a decision on anything older is refused as stale."""
    db.execute(_REVIEW_VIEWS)
    db.execute("CREATE INDEX IF NOT EXISTS review_views_by_hash ON review_views (run_id, revision_hash)")


@MIGRATIONS.register(3)
def item_first_seen(db: Connection) -> None:
    """When the store first saw each item id: an item that prints no date is dated by it."""
    db.execute("CREATE TABLE item_first_seen (item_id TEXT PRIMARY KEY, first_seen TEXT NOT NULL)")


_SENDS = """CREATE TABLE sends (
    send_id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    error TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    FOREIGN KEY (run_id, revision) REFERENCES editions (run_id, revision) ON DELETE CASCADE
)"""


@MIGRATIONS.register(4)
def site_and_sends(db: Connection) -> None:
    """What each publication rendered (the site and its feed are rebuilt from it, without the
    checkpoint), and every message sent to a reader, with its Message-ID."""
    db.execute("ALTER TABLE publications ADD COLUMN rendered TEXT")
    db.execute(_SENDS)
    db.execute("CREATE INDEX sends_by_revision ON sends (run_id, revision, recipient)")


@MIGRATIONS.register(5)
def revision_record(db: Connection) -> None:
    """The store becomes the one record of a revision and of its run's options.

    ``editions.sections``: the edition's items per section, in order (JSON ``{section: [item id]}``);
    ``editions.source_urls``: each source's own fetched URLs (where the archive keeps a feed entry's
    evidence); ``runs.options``: the options the run was drafted with (writer, model, byline,
    auto-publish, budget...), used by every process that resumes it. Rows written before this
    migration keep NULL: readers fall back to the selected items in the order they were saved, and
    to the resuming process's settings.
    """
    db.execute("ALTER TABLE editions ADD COLUMN sections TEXT")
    db.execute("ALTER TABLE editions ADD COLUMN source_urls TEXT")
    db.execute("ALTER TABLE runs ADD COLUMN options TEXT")


@MIGRATIONS.register(6)
def run_locks(db: Connection) -> None:
    """Which process works on a run (agent.store._locks): one row per held run, no foreign key, since a
    new run is locked before its row is written."""
    db.execute(
        """CREATE TABLE run_locks (
            run_id TEXT PRIMARY KEY,
            token TEXT NOT NULL,
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            started TEXT NOT NULL,
            acquired_at TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL
        )"""
    )


@MIGRATIONS.register(7)
def revoked_sessions(db: Connection) -> None:
    """Review-page sessions ended by logging out (agent.store._web_sessions): a copy of the cookie
    stops working too. A row is kept until the session would have expired anyway."""
    db.execute(
        "CREATE TABLE revoked_sessions (session_id TEXT PRIMARY KEY, revoked_at TEXT NOT NULL,"
        " expires_at TEXT NOT NULL)"
    )


_CLAIM_EDITS = """CREATE TABLE claim_edits (
    edit_id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    claim_id TEXT NOT NULL,
    editor TEXT NOT NULL,
    edited_at TEXT NOT NULL,
    old_text TEXT NOT NULL,
    new_text TEXT,
    old_citations TEXT NOT NULL,
    new_citations TEXT,
    verdict TEXT,
    FOREIGN KEY (run_id, revision) REFERENCES editions (run_id, revision) ON DELETE CASCADE
)"""


@MIGRATIONS.register(8)
def claim_edits(db: Connection) -> None:
    """Sentences a reviewer rewrote or deleted by hand: each edit is the revision it made, with who,
    when, the old and the new text and citations (``new_text`` NULL: deleted)."""
    db.execute(_CLAIM_EDITS)
    db.execute("CREATE INDEX claim_edits_by_run ON claim_edits (run_id, revision)")


@MIGRATIONS.register(9)
def reviewers(db: Connection) -> None:
    """The desk's named reviewers (agent.store._reviewers): the audit trail records who a token names."""
    db.execute(
        """CREATE TABLE reviewers (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('editor', 'reviewer')),
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )"""
    )


@MIGRATIONS.register(10)
def judge_cache(db: Connection) -> None:
    """The Claude judge's answers by claim, evidence, prompt and model (agent.store._judge_cache), when the
    store is on PostgreSQL: a SQLite store keeps them in its own file beside it, judge-cache.sqlite."""
    db.execute("CREATE TABLE judge_cache (key TEXT PRIMARY KEY, answer TEXT NOT NULL)")


@MIGRATIONS.register(11)
def message_batches(db: Connection) -> None:
    """The Message Batches a run submitted, by a hash of their requests (agent.store._batches): a run killed
    while its batch is processed re-attaches to it on resume instead of submitting and paying again."""
    db.execute(
        """CREATE TABLE message_batches (
            run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            requests_hash TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (run_id, requests_hash)
        )"""
    )
