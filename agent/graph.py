"""The drafting graph (uncompiled): gather, extract, select, write, check, render, review, publish.

START ─► gather (Send per source) ─► extract ─► select ─► write ─► check ─► render ─► review ─► publish
                                                           ▲         │                 │
                                                           └─────────┘ revise (≤ 2)    │
                                                           ▲                           │
                                                           └───── request changes ─────┘
"""

from __future__ import annotations

import sqlite3
import sys

from langgraph.constants import END, START
from langgraph.graph.state import StateGraph
from langgraph.types import RetryPolicy

from agent.deps import Deps
from agent.nodes.check import check
from agent.nodes.extract import extract
from agent.nodes.gather import fan_out_sources, gather_source
from agent.nodes.publish import publish
from agent.nodes.render import has_items, nothing_gathered, render
from agent.nodes.review import review
from agent.nodes.select import select
from agent.nodes.write import write
from agent.state import DraftState
from agent.store import ConnectionLost

__all__ = ["build_graph", "transient_store_error"]


def transient_store_error(exc: Exception) -> bool:
    """A store write that may succeed if tried again: a SQLite file locked by a busy reviewer process, or
    a PostgreSQL connection dropped mid-write (rolled back; the store reconnects) or a transient server
    answer (psycopg's ``OperationalError``: serialisation failure, shutdown, too many connections)."""
    if isinstance(exc, sqlite3.OperationalError | ConnectionLost):
        return True
    psycopg = sys.modules.get("psycopg")  # never imported: no PostgreSQL store, so not its error
    return psycopg is not None and isinstance(exc, psycopg.OperationalError)


# Retry store errors only: network and model calls have their own retry layers (the fetcher, the SDK),
# which must not be multiplied here.
_STORE_RETRY = RetryPolicy(max_attempts=3, initial_interval=0.2, retry_on=transient_store_error)


def build_graph() -> StateGraph[DraftState, Deps]:
    graph: StateGraph[DraftState, Deps] = StateGraph(DraftState, context_schema=Deps)
    graph.add_node("gather", gather_source)  # called with a Send payload (GatherInput), not the state
    graph.add_node("extract", extract)
    graph.add_node("select", select)
    graph.add_node("write", write)
    graph.add_node("check", check)
    graph.add_node("render", render, retry_policy=_STORE_RETRY)
    graph.add_node("nothing_gathered", nothing_gathered, retry_policy=_STORE_RETRY)
    graph.add_node("review", review)
    graph.add_node("publish", publish, retry_policy=_STORE_RETRY)
    graph.add_conditional_edges(START, fan_out_sources, ["gather"])
    graph.add_edge("gather", "extract")
    graph.add_conditional_edges("extract", has_items, ["select", "nothing_gathered"])
    graph.add_edge("nothing_gathered", END)
    graph.add_edge("select", "write")
    graph.add_edge("write", "check")
    graph.add_edge("render", "review")
    graph.add_edge("publish", END)
    return graph
