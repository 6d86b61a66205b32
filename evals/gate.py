"""The regression gate: committed floors per suite metric that only ratchet upward.

``evals/baseline.json``::

    {"epsilon": 0.005,
     "floors": {"perturbations": {"recall.number": 1.0, ...}, ...},
     "corpus": {"grounding-dev": "sha256:..."}}

The perturbation floors start at the issue's targets (recall 0.98 on numbers, scales and entities, 0.90
on ranks, negations and invented sentences, at most 2% false alarms; 90% of untouched sentences passed as
supported, the rest going to the judge) rather than at the measured values: their material includes
the sample edition's sentences, which change with the extractive writer. The grounding-dev floors are
the measured values on a corpus pinned by its sha256. The tables floors are 1.0: every hand-written false
sentence about a table is caught and every true one passes (``evals/data/table_claims.json``).

Metrics where lower is better (:data:`evals.metrics.LOWER_IS_BETTER`: the false-flag rate, the undecided
share) are held under a *ceiling* instead (``"ceilings"`` in the file): one fails above its ceiling plus
``epsilon``, and raising a ceiling is the loosening that needs ``allow_lower``.

A metric fails when it is below its floor minus ``epsilon``. The checker is deterministic: epsilon
(0.005) absorbs float noise across platforms, not a changed verdict (one flipped case in the smallest
sub-domain, XSum's 156 rows, moves a metric by 0.0064), so a real change must re-baseline on purpose.
A floor is lowered only with ``allow_lower=True``; raising one is always allowed. A metric that has a
floor but is missing from its suite's result (renamed, or NaN) fails the gate, and an update drops its
floor only with ``allow_lower=True``; a metric with no floor yet is noted. Floors of a suite that no longer
exists, or a baseline file that is absent, are a :class:`GateError`, never a silent pass. A changed corpus
(its sha256 differs from the one recorded) fails the gate: numbers on another dataset are not comparable.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.metrics import LOWER_IS_BETTER

if TYPE_CHECKING:
    from evals.suites import SuiteResult

__all__ = [
    "BASELINE_PATH",
    "DEFAULT_EPSILON",
    "Baseline",
    "GateError",
    "GateResult",
    "compare",
    "file_sha256",
    "is_ceiling",
    "unknown_suites",
    "updated_baseline",
]

DEFAULT_EPSILON = 0.005
BASELINE_PATH = Path(__file__).resolve().parent / "baseline.json"


def is_ceiling(metric: str) -> bool:
    """Is lower better for ``metric`` (``ectsum.false_flag_rate``)? Then the gate holds it under a ceiling."""
    return metric.rsplit(".", 1)[-1] in LOWER_IS_BETTER


class GateError(Exception):
    """A baseline update the rules refuse (a floor lowered without --allow-lower), or a baseline that is
    absent, unreadable or has floors for a suite that does not exist."""


@dataclass(slots=True)
class Baseline:
    floors: dict[str, dict[str, float]] = field(default_factory=dict)
    corpus: dict[str, str] = field(default_factory=dict)
    epsilon: float = DEFAULT_EPSILON
    ceilings: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = BASELINE_PATH, *, missing_ok: bool = False) -> Baseline:
        """The baseline at ``path``; absent: empty with ``missing_ok`` (a first update), else GateError."""
        if not path.is_file():
            if missing_ok:
                return cls()
            raise GateError(f"no baseline at {path}: create one on purpose with --update-baseline")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                floors={s: {k: float(v) for k, v in m.items()} for s, m in data.get("floors", {}).items()},
                corpus=dict(data.get("corpus", {})),
                epsilon=float(data.get("epsilon", DEFAULT_EPSILON)),
                ceilings={
                    s: {k: float(v) for k, v in m.items()} for s, m in data.get("ceilings", {}).items()
                },
            )
        except (ValueError, AttributeError, TypeError) as exc:
            raise GateError(f"{path} is not a valid baseline: {exc}") from exc

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "epsilon": self.epsilon,
            "floors": {s: dict(sorted(m.items())) for s, m in sorted(self.floors.items())},
            "ceilings": {s: dict(sorted(m.items())) for s, m in sorted(self.ceilings.items()) if m},
            "corpus": dict(sorted(self.corpus.items())),
        }
        return json.dumps(data, indent=2) + "\n"

    def save(self, path: Path = BASELINE_PATH) -> None:
        path.write_text(self.to_json(), encoding="utf-8")


@dataclass(slots=True)
class GateResult:
    suite: str
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def file_sha256(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def unknown_suites(baseline: Baseline, known: Iterable[str]) -> list[str]:
    """Suites with floors that are not in ``known``: a renamed suite must not silently drop its floors."""
    return sorted((set(baseline.floors) | set(baseline.ceilings)) - set(known))


def compare(result: SuiteResult, baseline: Baseline, *, corpus_sha: str | None = None) -> GateResult:
    gate = GateResult(result.suite)
    if result.skipped:
        if result.broken and (baseline.floors.get(result.suite) or baseline.ceilings.get(result.suite)):
            gate.failures.append(f"could not run: {result.skipped}")
        else:
            gate.notes.append(f"skipped: {result.skipped}")
        return gate
    pinned = baseline.corpus.get(result.suite)
    if pinned and corpus_sha and pinned != corpus_sha:
        gate.failures.append(
            f"the corpus changed ({corpus_sha[:19]}... != pinned {pinned[:19]}...): "
            "re-baseline on purpose with --update-baseline"
        )
    floors = baseline.floors.get(result.suite, {})
    for metric, floor in sorted(floors.items()):
        value = result.metrics.get(metric)
        if value is None or math.isnan(value):
            gate.failures.append(
                f"{metric}: missing from the result (floor {floor}); a renamed metric keeps its floor "
                "until it is dropped on purpose with --update-baseline --allow-lower"
            )
        elif value < floor - baseline.epsilon:
            gate.failures.append(
                f"{metric}: {value:.4f} is below the floor {floor:.4f} (epsilon {baseline.epsilon})"
            )
    ceilings = baseline.ceilings.get(result.suite, {})
    for metric, ceiling in sorted(ceilings.items()):
        value = result.metrics.get(metric)
        if value is None or math.isnan(value):
            gate.failures.append(
                f"{metric}: missing from the result (ceiling {ceiling}); a renamed metric keeps its ceiling "
                "until it is dropped on purpose with --update-baseline --allow-lower"
            )
        elif value > ceiling + baseline.epsilon:
            gate.failures.append(
                f"{metric}: {value:.4f} is above the ceiling {ceiling:.4f} (epsilon {baseline.epsilon})"
            )
    gate.notes += [
        f"{m}: no {'ceiling' if is_ceiling(m) else 'floor'} yet (set one with --update-baseline)"
        for m in sorted(result.metrics)
        if m not in floors and m not in ceilings
    ]
    return gate


def updated_baseline(
    baseline: Baseline,
    results: Mapping[str, SuiteResult],
    *,
    allow_lower: bool = False,
    corpus: Mapping[str, str] | None = None,
) -> Baseline:
    """Floors set to the measured values; :class:`GateError` if one would go down without permission.

    A floored metric the result lacks (or gives as NaN) counts as lowered: its floor is dropped only with
    ``allow_lower``.
    """
    floors = {s: dict(m) for s, m in baseline.floors.items()}
    ceilings = {s: dict(m) for s, m in baseline.ceilings.items()}
    lowered: list[str] = []
    for name, result in results.items():
        if result.skipped:
            continue
        suite_floors = floors.setdefault(name, {})
        suite_ceilings = ceilings.setdefault(name, {})
        for bounds, what in ((suite_floors, "floor"), (suite_ceilings, "ceiling")):
            for metric, bound in sorted(bounds.items()):
                measured = result.metrics.get(metric)
                if measured is None or math.isnan(measured) or is_ceiling(metric) != (what == "ceiling"):
                    lowered.append(f"{name}.{metric}: {bound:.4f} -> missing ({what} dropped)")
                    del bounds[metric]
        for metric, value in result.metrics.items():
            if math.isnan(value):
                continue
            if is_ceiling(metric):
                old = suite_ceilings.get(metric)
                if old is not None and value > old:
                    lowered.append(f"{name}.{metric}: ceiling {old:.4f} -> {value:.4f}")
                suite_ceilings[metric] = round(value, 4)
                continue
            old = suite_floors.get(metric)
            if old is not None and value < old:
                lowered.append(f"{name}.{metric}: {old:.4f} -> {value:.4f}")
            suite_floors[metric] = round(value, 4)
    if lowered and not allow_lower:
        raise GateError("refusing to lower floors without --allow-lower: " + "; ".join(lowered))
    pins = dict(baseline.corpus)
    pins.update(corpus or {})
    return Baseline(
        floors=floors,
        corpus=pins,
        epsilon=baseline.epsilon,
        ceilings={s: m for s, m in ceilings.items() if m},
    )
