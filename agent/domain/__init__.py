"""The ground floor: the domain vocabulary every layer shares, importing nothing else of ours.

``models`` (items, leaderboards, claims, drafts), ``errors`` (the exception tree), ``sources`` (the
sources file and its specs) and ``text`` (sentence spans). ``tools/`` may import these and nothing
else of ``agent``; the walls are the import-linter contracts in pyproject.toml (``make walls``).
"""
