"""Where the data folder is: one folder per project, found from any directory inside it.

Precedence, first that applies:

1. ``INFERENCE_REPORT_HOME``: an explicit choice wins over discovery, as ``GIT_DIR`` wins over git's
   search (a cron line or a test names its folder and gets exactly that one, wherever it runs).
2. A folder named ``.inference-report``, looked for in the working directory and then in each parent
   up to the root, as git looks for ``.git``: ``review`` run from a subfolder finds the project's store
   instead of creating an empty one there.
3. The user data directory (``~/.local/share/inference-report`` on Linux, from platformdirs, which
   honours ``XDG_DATA_HOME``).

``inference-report where`` prints the folder and which of the three chose it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["FOLDER_NAME", "HOME_VARIABLE", "HomeLocation", "locate_home", "user_data_dir"]

FOLDER_NAME = ".inference-report"
HOME_VARIABLE = "INFERENCE_REPORT_HOME"
_APP_NAME = "inference-report"


@dataclass(frozen=True)
class HomeLocation:
    path: Path
    chosen_by: Literal["environment", "discovered", "user data"]

    @property
    def reason(self) -> str:
        if self.chosen_by == "environment":
            return f"{HOME_VARIABLE} is set (it wins over a {FOLDER_NAME} folder found above)"
        if self.chosen_by == "discovered":
            return f"the nearest {FOLDER_NAME} folder in the working directory or a parent"
        return (
            f"no {HOME_VARIABLE} and no {FOLDER_NAME} folder in the working directory or a parent: "
            "the user data directory"
        )


def user_data_dir() -> Path:
    """The per-user data directory (platformdirs reads ``XDG_DATA_HOME`` at each call)."""
    import platformdirs  # 5 ms, and only when no folder was named or found

    return platformdirs.user_data_path(_APP_NAME, appauthor=False)


def locate_home(
    environ: Mapping[str, str] | None = None,
    *,
    cwd: Path | None = None,
    user_data: Path | None = None,
) -> HomeLocation:
    """The data folder, by the precedence in the module's docstring; nothing is created."""
    env = os.environ if environ is None else environ
    if env.get(HOME_VARIABLE):
        return HomeLocation(Path(env[HOME_VARIABLE]), "environment")
    start = (cwd or Path.cwd()).absolute()
    for folder in (start, *start.parents):
        candidate = folder / FOLDER_NAME
        if candidate.is_dir():
            return HomeLocation(candidate, "discovered")
    return HomeLocation(user_data or user_data_dir(), "user data")
