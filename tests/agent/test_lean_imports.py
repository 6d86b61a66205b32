"""Start-up: the graph loads without the LangGraph parts the project never uses, which still work on use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
import agent.graph
unused = sorted(m for m in ("langgraph_sdk.client", "langgraph.graph.message", "httpx") if m in sys.modules)
import langgraph_sdk
from langgraph.graph import MessagesState, StateGraph
print(json.dumps({"unused": unused, "sdk": callable(langgraph_sdk.get_client), "graph": StateGraph.__name__}))
"""


def test_building_the_graph_imports_no_sdk_client_and_no_message_classes() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "unused": [],
        "sdk": True,
        "graph": "StateGraph",
    }
