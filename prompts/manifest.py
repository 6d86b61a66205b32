"""The hash manifest of released prompts: a released file is never edited, only added.

python -m prompts.manifest --check   # exit 1 when a file differs from, or is missing in, the manifest
python -m prompts.manifest --add     # register new prompt files; refuses to re-hash a released one
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from prompts import PROMPTS_DIR, PromptError, _file_sha256

__all__ = [
    "MANIFEST_NAME",
    "ManifestError",
    "ManifestReport",
    "add_new",
    "check",
    "prompt_files",
    "read_manifest",
]

MANIFEST_NAME = "manifest.json"


class ManifestError(PromptError):
    """An unreadable manifest, or an update it refuses (a released file edited or removed)."""


@dataclass(slots=True)
class ManifestReport:
    changed: list[str] = field(default_factory=list)  # released, but the bytes differ: a silent edit
    removed: list[str] = field(default_factory=list)  # released, but the file is gone
    unregistered: list[str] = field(default_factory=list)  # on disk, not in the manifest yet

    @property
    def ok(self) -> bool:
        return not (self.changed or self.removed or self.unregistered)

    def lines(self) -> list[str]:
        out = [f"edited after release (add a new version instead): {p}" for p in self.changed]
        out += [f"released but missing: {p}" for p in self.removed]
        out += [f"not registered (python -m prompts.manifest --add): {p}" for p in self.unregistered]
        return out


def prompt_files(root: Path = PROMPTS_DIR) -> dict[str, str]:
    """Every ``<name>/v<N>.md`` under ``root`` -> its sha256."""
    return {
        p.relative_to(root).as_posix(): _file_sha256(p.read_bytes())
        for p in sorted(root.glob("*/v*.md"))
        if p.stem[1:].isdigit()
    }


def read_manifest(root: Path = PROMPTS_DIR) -> dict[str, str]:
    path = root / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8"))["prompts"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"{path} is not a prompt manifest ({type(exc).__name__}: {exc})") from exc


def check(root: Path = PROMPTS_DIR) -> ManifestReport:
    released, on_disk = read_manifest(root), prompt_files(root)
    return ManifestReport(
        changed=sorted(p for p, h in released.items() if p in on_disk and on_disk[p] != h),
        removed=sorted(p for p in released if p not in on_disk),
        unregistered=sorted(p for p in on_disk if p not in released),
    )


def add_new(root: Path = PROMPTS_DIR) -> list[str]:
    """Register the unregistered files; a changed or removed released file blocks the whole update."""
    report = check(root)
    if report.changed or report.removed:
        raise ManifestError("\n".join(report.lines()))
    if not report.unregistered:
        return []
    released = read_manifest(root)
    on_disk = prompt_files(root)
    released.update({p: on_disk[p] for p in report.unregistered})
    body = {"prompts": dict(sorted(released.items()))}
    (root / MANIFEST_NAME).write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return report.unregistered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m prompts.manifest", description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--check", action="store_true", help="compare the prompt files with the manifest")
    group.add_argument("--add", action="store_true", help="register new prompt files")
    parser.add_argument("--root", type=Path, default=PROMPTS_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.add:
            for path in add_new(args.root):
                print(f"registered {path}")
            return 0
        report = check(args.root)
    except ManifestError as exc:
        print(exc, file=sys.stderr)
        return 1
    for line in report.lines():
        print(line, file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
