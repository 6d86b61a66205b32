"""The evidence archive: every fetch of a run written to a WARC file, and runs replayed from one.

recorder = WarcRecorder(live_fetcher, run_dir / "evidence.warc.gz")
replay = ReplayFetcher([Path("evidence.warc.gz")])   # no network
"""

from tools.archive._files import ArchiveError, iter_archive, require_complete
from tools.archive._recorder import WarcRecorder
from tools.archive._records import (
    ArchivedFailure,
    ArchivedFetch,
    RecordIds,
    random_record_id,
    stable_record_id,
)
from tools.archive._replay import ReplayFetcher, read_archived

__all__ = [
    "ArchiveError",
    "ArchivedFailure",
    "ArchivedFetch",
    "RecordIds",
    "ReplayFetcher",
    "WarcRecorder",
    "iter_archive",
    "random_record_id",
    "read_archived",
    "require_complete",
    "stable_record_id",
]
