"""A loopback fake of the Anthropic Messages API, for tests, evals and the cost benchmark.

Shipped beside the real client (as pydantic-ai ships its test models) so that ``evals/`` can draft with
the Claude writer offline. Nothing in ``agent/`` imports this module: it is for tests and evals only.

Standard library only (``ThreadingHTTPServer`` on 127.0.0.1:0 in a thread), so the real SDK runs
against it over real HTTP: its retries, timeouts, SSE parsing and batch polling all execute.

    with FakeMessagesAPI(FakeMessagesAPI.citing_responder()) as api:
        client = anthropic.AsyncAnthropic(api_key="test", base_url=api.base_url)
        ...
        api.message_requests[0].documents      # what was sent (keys filtered out)
        api.problems                           # shape-check violations, [] when all is well

What it does like the real API:
- ``POST /v1/messages``, JSON or SSE (``"stream": true``), with ``citations`` on text blocks
  (``char_location``) and structured output (``output_config.format``) answers;
- usage counted from the request (about 4 characters a token) with prompt caching simulated:
  a ``cache_control`` breakpoint's prefix is written (``cache_creation_input_tokens``) once it reaches
  ``min_cache_tokens`` and read (``cache_read_input_tokens``) by later requests with the same prefix;
  an entry becomes visible when its response has been sent, as with the real cache;
- 400 for what the API refuses: citations together with structured output, more than 4 cache
  breakpoints, an empty document, a missing ``model`` / ``max_tokens`` / ``messages``;
- Message Batches (``create`` / ``retrieve`` / ``results``), ending after ``batch_polls`` retrievals;
- injected failures: ``fail_next(429, retry_after=...)``, 529 overloads, 500s, and slow replies.

Recordings never hold credentials: ``authorization``, ``x-api-key`` and ``cookie`` are dropped.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = [
    "FakeMessagesAPI",
    "RecordedRequest",
    "Reply",
    "Responder",
    "cited",
    "error_reply",
    "estimate_tokens",
    "schema_instance",
    "text_reply",
]

_SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie"})
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
# A sentence ends at . ! or ? followed by whitespace or the end: "1.28x" stays whole. It never crosses a
# blank line: a section label and a headline above an item's first sentence ("Policy\n\nEU AI Office
# drafts rules ...\n\nProviders with ...") are not prose a writer would copy as one sentence.
_SENTENCE = re.compile(r"[^\s](?:(?!\n[ \t]*\n).)*?[.!?](?=\s|$)", re.DOTALL)
_REVISION_NOTES = re.compile(r"<revision_notes>.*?</revision_notes>", re.DOTALL)


def estimate_tokens(text: str) -> int:
    """About 4 characters a token, as for English prose; at least 1 for a non-empty text."""
    return math.ceil(len(text) / 4) if text else 0


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def content_blocks(self) -> list[dict[str, Any]]:
        """Every block of every message (a string content counts as one text block)."""
        out: list[dict[str, Any]] = []
        for message in self.messages:
            content = message.get("content")
            if isinstance(content, str):
                out.append({"type": "text", "text": content})
            else:
                out.extend(content or [])
        return out

    @property
    def documents(self) -> list[dict[str, Any]]:
        return [b for b in self.content_blocks if b.get("type") == "document"]

    @property
    def document_texts(self) -> list[str]:
        return [str(d.get("source", {}).get("data", "")) for d in self.documents]

    @property
    def user_text(self) -> str:
        return "\n".join(str(b.get("text", "")) for b in self.content_blocks if b.get("type") == "text")

    @property
    def system_text(self) -> str:
        system = self.body.get("system", "") if isinstance(self.body, dict) else ""
        if isinstance(system, str):
            return system
        return "\n".join(str(b.get("text", "")) for b in system)

    @property
    def output_schema(self) -> dict[str, Any] | None:
        fmt = (self.body.get("output_config") or {}).get("format") if isinstance(self.body, dict) else None
        return fmt.get("schema") if isinstance(fmt, dict) else None

    @property
    def streamed(self) -> bool:
        return bool(isinstance(self.body, dict) and self.body.get("stream"))


@dataclass(slots=True)
class Reply:
    """One scripted answer: a message (``content`` blocks) or an error (``status`` >= 400)."""

    content: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    error_type: str | None = None
    error_message: str = "injected by the fake"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stop_reason: str = "end_turn"
    usage: dict[str, Any] | None = None  # None: counted from the request and the content
    raw_body: str | None = None  # sent as is (a malformed body)


Responder = Callable[[RecordedRequest], Reply]


def text_reply(*texts: str, **kwargs: Any) -> Reply:
    return Reply(content=[{"type": "text", "text": t} for t in texts], **kwargs)


def error_reply(status: int, *, retry_after: float | None = None, delay: float = 0.0) -> Reply:
    headers = {} if retry_after is None else {"retry-after": f"{retry_after:g}"}
    return Reply(
        status=status, error_type=_ERROR_TYPES.get(status, "api_error"), headers=headers, delay=delay
    )


def cited(text: str, document_index: int, document_text: str, start: int, end: int) -> dict[str, Any]:
    """A text block citing ``document_text[start:end]`` of the request's ``document_index``-th document."""
    return {
        "type": "text",
        "text": text,
        "citations": [
            {
                "type": "char_location",
                "document_index": document_index,
                "document_title": None,
                "start_char_index": start,
                "end_char_index": end,
                "cited_text": document_text[start:end],
            }
        ],
    }


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() - m.start() >= 20]


def _named_document(request: RecordedRequest) -> int | None:
    """The one document the instruction after the documents names (by item id or title), if any.

    Revision notes are left out: they quote the evidence of earlier claims (item ids, titles), so a lead's
    revise round naming one document there would otherwise be answered as that document's summary.
    """
    documents = request.documents
    if len(documents) == 1:
        return 0
    blocks = request.content_blocks
    last_doc = max(i for i, b in enumerate(blocks) if b.get("type") == "document")
    instruction = "\n".join(str(b.get("text", "")) for b in blocks[last_doc + 1 :] if b.get("type") == "text")
    instruction = _REVISION_NOTES.sub("", instruction)

    def named_by(key_of: Callable[[dict[str, Any]], str | None]) -> list[int]:
        keys = [key_of(doc) for doc in documents]
        pattern = r"(?<![\w:.]){}(?![\w.])"
        return [n for n, k in enumerate(keys) if k and re.search(pattern.format(re.escape(k)), instruction)]

    def item_id(doc: dict[str, Any]) -> str | None:
        match = re.search(r"item id: ([^;]+)", str(doc.get("context") or ""))
        return match.group(1).strip() if match else None

    for named in (named_by(item_id), named_by(lambda doc: doc.get("title"))):
        if len(named) == 1:
            return named[0]
    return None


def _instance_for(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _instance_for(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _instance_for(schema[key][0], defs)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: _instance_for(sub, defs) for name, sub in props.items()}
    if kind == "array":
        return [_instance_for(schema.get("items", {}), defs)]
    if kind == "string":
        return schema.get("enum", ["fake"])[0]
    if kind == "integer":
        return 1
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return True
    return None


def schema_instance(schema: dict[str, Any]) -> Any:
    """A minimal value matching a JSON schema (``$defs`` refs resolved)."""
    return _instance_for(schema, schema.get("$defs", {}))


class FakeMessagesAPI:
    def __init__(
        self,
        responder: Responder | None = None,
        *,
        min_cache_tokens: int = 1024,
        batch_polls: int = 2,
        expected_model: str | None = None,
    ) -> None:
        self.responder: Responder = responder or FakeMessagesAPI.citing_responder()
        self.min_cache_tokens = min_cache_tokens
        self.batch_polls = batch_polls
        self.expected_model = expected_model
        self.requests: list[RecordedRequest] = []
        self.problems: list[str] = []  # shape-check violations of requests that were still answered
        self.billed: list[dict[str, Any]] = []  # one usage dict per answered message, with "batch"
        self.batch_item_replies: dict[str, Reply] = {}  # custom_id -> scripted reply inside a batch
        self._queue: deque[Reply] = deque()
        self._cache: set[str] = set()
        self._batches: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> FakeMessagesAPI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def do_GET(self) -> None:
                fake._handle(self, "GET")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-messages-api", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeMessagesAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- scripting ---------------------------------------------------------------------------------

    def enqueue(self, *replies: Reply) -> None:
        """Answer the next ``POST /v1/messages`` requests with these replies, in order, then the responder."""
        with self._lock:
            self._queue.extend(replies)

    def fail_next(
        self, status: int, *, times: int = 1, retry_after: float | None = None, delay: float = 0.0
    ) -> None:
        self.enqueue(*(error_reply(status, retry_after=retry_after, delay=delay) for _ in range(times)))

    @property
    def message_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path == "/v1/messages"]

    def billed_totals(self) -> dict[str, int]:
        keys = ("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")

        return {k: sum(int(b.get(k, 0)) for b in self.billed) for k in keys}

    # -- the default responder -----------------------------------------------------------------------

    @staticmethod
    def citing_responder(
        *,
        sentences_per_document: int = 2,
        paragraphs: int = 3,
        structured: Callable[[RecordedRequest], Any] | None = None,
    ) -> Responder:
        """Answers with sentences copied from the request's documents, each cited at its exact range.

        A summary (one document, or an instruction after the documents that names exactly one
        document's item id, as its ``context`` gives it, or its title): ``sentences_per_document``
        sentences of that document in one paragraph, at least 3 when it has them. Otherwise (a lead):
        ``paragraphs`` paragraphs separated by a blank line, cycling through the documents.
        A structured-output request gets ``structured(request)`` or a minimal instance of its schema.
        """

        def respond(request: RecordedRequest) -> Reply:
            schema = request.output_schema
            if schema is not None:
                value = structured(request) if structured else schema_instance(schema)
                return text_reply(json.dumps(value))
            texts = request.document_texts
            spans = [_sentence_spans(t) for t in texts]
            if not any(spans):
                return text_reply("No document to cite was provided.")
            blocks: list[dict[str, Any]] = []
            target = _named_document(request)
            if target is not None:
                chosen = spans[target][: max(3, sentences_per_document)]
                for n, (s, e) in enumerate(chosen):
                    if n:
                        blocks.append({"type": "text", "text": " "})
                    blocks.append(cited(texts[target][s:e], target, texts[target], s, e))
                return Reply(content=blocks)
            order = [(d, sp) for d, doc_spans in enumerate(spans) for sp in doc_spans[:1]]
            per_paragraph = max(1, math.ceil(len(order) / paragraphs))
            for p in range(paragraphs):
                chunk = (
                    order[p * per_paragraph : (p + 1) * per_paragraph]
                    or order[p % len(order) : p % len(order) + 1]
                )
                if p:
                    blocks.append({"type": "text", "text": "\n\n"})
                for n, (d, (s, e)) in enumerate(chunk):
                    if n:
                        blocks.append({"type": "text", "text": " "})
                    blocks.append(cited(texts[d][s:e], d, texts[d], s, e))
            return Reply(content=blocks)

        return respond

    # -- HTTP ----------------------------------------------------------------------------------------

    def _record(self, handler: BaseHTTPRequestHandler, method: str) -> RecordedRequest:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        headers = {k.lower(): v for k, v in handler.headers.items() if k.lower() not in _SECRET_HEADERS}
        request = RecordedRequest(method=method, path=handler.path.split("?")[0], headers=headers, body=body)
        with self._lock:
            self.requests.append(request)
        return request

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        request = self._record(handler, method)
        path = request.path
        if method == "POST" and path == "/v1/messages":
            self._messages(handler, request)
        elif method == "POST" and path == "/v1/messages/batches":
            self._batch_create(handler, request)
        elif method == "POST" and (m := re.fullmatch(r"/v1/messages/batches/([^/]+)/cancel", path)):
            self._batch_cancel(handler, m.group(1))
        elif method == "GET" and (m := re.fullmatch(r"/v1/messages/batches/([^/]+)/results", path)):
            self._batch_results(handler, m.group(1))
        elif method == "GET" and (m := re.fullmatch(r"/v1/messages/batches/([^/]+)", path)):
            self._batch_retrieve(handler, m.group(1))
        else:
            self._send_json(handler, 404, _error_body("not_found_error", f"no route {method} {path}"))

    def _send_json(
        self, handler: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        handler.send_response(status)
        handler.send_header("content-type", "application/json")
        handler.send_header("content-length", str(len(data)))
        handler.send_header("request-id", f"req_fake_{next(self._ids)}")
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(data)

    # -- /v1/messages --------------------------------------------------------------------------------

    def _refusal(self, body: Any) -> str | None:
        """What the real API answers 400 to."""
        if not isinstance(body, dict):
            return "body is not a JSON object"
        for key in ("model", "max_tokens", "messages"):
            if key not in body:
                return f"{key}: Field required"
        blocks = RecordedRequest("POST", "", {}, body).content_blocks
        system = body.get("system")
        system_blocks = system if isinstance(system, list) else []
        breakpoints = sum(
            1 for b in [*system_blocks, *blocks] if isinstance(b, dict) and b.get("cache_control")
        )
        if breakpoints > 4:
            return f"A maximum of 4 blocks with cache_control may be provided. Found {breakpoints}."
        docs = [b for b in blocks if b.get("type") == "document"]
        if any(not str(d.get("source", {}).get("data", "")) for d in docs):
            return "document: text source data must be non-empty"
        cites = any((d.get("citations") or {}).get("enabled") for d in docs)
        if cites and (body.get("output_config") or {}).get("format"):
            return "Citations are not supported when output_config.format is set."
        return None

    def _check_shape(self, request: RecordedRequest) -> None:
        body = request.body
        found: list[str] = []
        if self.expected_model and body.get("model") != self.expected_model:
            found.append(f"model {body.get('model')!r}, expected {self.expected_model!r}")
        if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] <= 0:
            found.append(f"max_tokens {body.get('max_tokens')!r}")
        docs = request.documents
        for n, doc in enumerate(docs):
            if not (doc.get("citations") or {}).get("enabled"):
                found.append(f"document {n} without citations enabled")
        if len(docs) > 1 and not docs[-1].get("cache_control"):
            found.append("several documents but no cache_control on the last one (the shared prefix)")
        if found:
            with self._lock:
                self.problems.extend(f"{request.path}: {p}" for p in found)

    def _usage(self, body: dict[str, Any], output_text: str) -> tuple[dict[str, Any], list[str]]:
        """Usage for a request, and the cache keys its response makes visible."""
        system = body.get("system")
        blocks: list[dict[str, Any]] = []
        if isinstance(system, str):
            blocks.append({"type": "text", "text": system})
        elif isinstance(system, list):
            blocks.extend(system)
        blocks.extend(RecordedRequest("POST", "", {}, body).content_blocks)
        sizes = [_block_tokens(b) for b in blocks]
        cumulative = list(itertools.accumulate(sizes))
        total = cumulative[-1] if cumulative else 0
        model = str(body.get("model"))
        keys = [_prefix_key(model, blocks[: i + 1]) for i in range(len(blocks))]
        points = [i for i, b in enumerate(blocks) if b.get("cache_control")]
        read = 0
        with self._lock:
            for i in reversed(points):
                if keys[i] in self._cache:
                    read = cumulative[i]
                    break
        # Each segment between breakpoints is written with the lifetime of the breakpoint that ends it.
        writes = {"5m": 0, "1h": 0}
        new_keys, covered = [], read
        for i in points:
            if cumulative[i] < self.min_cache_tokens:
                continue
            new_keys.append(keys[i])
            if cumulative[i] > covered:
                ttl = "1h" if blocks[i]["cache_control"].get("ttl") == "1h" else "5m"
                writes[ttl] += cumulative[i] - covered
                covered = cumulative[i]
        write = writes["5m"] + writes["1h"]
        usage = {
            "input_tokens": total - read - write,
            "output_tokens": max(1, estimate_tokens(output_text)),
            "cache_creation_input_tokens": write,
            "cache_read_input_tokens": read,
            "cache_creation": {
                "ephemeral_5m_input_tokens": writes["5m"],
                "ephemeral_1h_input_tokens": writes["1h"],
            },
        }
        return usage, new_keys

    def _messages(self, handler: BaseHTTPRequestHandler, request: RecordedRequest) -> None:
        refusal = self._refusal(request.body)
        if refusal:
            self._send_json(handler, 400, _error_body("invalid_request_error", refusal))
            return
        self._check_shape(request)
        with self._lock:
            reply = self._queue.popleft() if self._queue else None
        reply = reply or self.responder(request)
        if reply.delay:
            time.sleep(reply.delay)
        if reply.status >= 400:
            error_type = reply.error_type or _ERROR_TYPES.get(reply.status, "api_error")
            self._send_json(
                handler, reply.status, _error_body(error_type, reply.error_message), reply.headers
            )
            return
        if reply.raw_body is not None:
            self._send_json(handler, 200, reply.raw_body)
            return
        message, new_keys = self._message(request.body, reply, batch=False)
        if request.streamed:
            self._send_sse(handler, message)
        else:
            self._send_json(handler, 200, message)
        with self._lock:
            self._cache.update(new_keys)

    def _message(
        self, body: dict[str, Any], reply: Reply, *, batch: bool
    ) -> tuple[dict[str, Any], list[str]]:
        output_text = "".join(str(b.get("text", "")) for b in reply.content)
        usage, new_keys = self._usage(body, output_text)
        if reply.usage is not None:
            usage = {**usage, **reply.usage}
        with self._lock:
            self.billed.append({**usage, "batch": batch, "model": body.get("model")})
        message = {
            "id": f"msg_fake_{next(self._ids)}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model"),
            "content": reply.content,
            "stop_reason": reply.stop_reason,
            "stop_sequence": None,
            "usage": usage,
        }
        return message, new_keys

    def _send_sse(self, handler: BaseHTTPRequestHandler, message: dict[str, Any]) -> None:
        handler.send_response(200)
        handler.send_header("content-type", "text/event-stream")
        handler.send_header("cache-control", "no-cache")
        handler.send_header("connection", "close")
        handler.end_headers()
        for event in _sse_events(message):
            handler.wfile.write(f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode())
            handler.wfile.flush()
        handler.close_connection = True

    # -- /v1/messages/batches ------------------------------------------------------------------------

    def _batch_object(self, batch: dict[str, Any]) -> dict[str, Any]:
        ended = batch["polls"] >= self.batch_polls
        counts = {"processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        if ended:
            for line in batch["results"]:
                counts[line["result"]["type"]] += 1
        else:
            counts["processing"] = len(batch["requests"])
        return {
            "id": batch["id"],
            "type": "message_batch",
            "processing_status": "ended" if ended else "in_progress",
            "request_counts": counts,
            "created_at": "2026-11-28T12:00:00Z",
            "expires_at": "2026-11-29T12:00:00Z",
            "ended_at": "2026-11-28T12:05:00Z" if ended else None,
            "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{self.base_url}/v1/messages/batches/{batch['id']}/results" if ended else None,
        }

    def _batch_create(self, handler: BaseHTTPRequestHandler, request: RecordedRequest) -> None:
        items = request.body.get("requests") if isinstance(request.body, dict) else None
        if not items:
            self._send_json(handler, 400, _error_body("invalid_request_error", "requests: Field required"))
            return
        results = []
        new_keys: list[str] = []
        for item in items:
            params = item["params"]
            refusal = self._refusal(params)
            if refusal:
                result: dict[str, Any] = {
                    "type": "errored",
                    "error": _error_body("invalid_request_error", refusal),
                }
            else:
                sub = RecordedRequest("POST", "/v1/messages (batch)", request.headers, params)
                self._check_shape(sub)
                reply = self.batch_item_replies.get(item["custom_id"]) or self.responder(sub)
                if reply.status >= 400:
                    error = _error_body(
                        reply.error_type or _ERROR_TYPES.get(reply.status, "api_error"), "injected"
                    )
                    result = (
                        {"type": "expired"}
                        if reply.error_type == "expired"
                        else {"type": "errored", "error": error}
                    )
                else:
                    message, keys = self._message(params, reply, batch=True)
                    new_keys += keys
                    result = {"type": "succeeded", "message": message}
            results.append({"custom_id": item["custom_id"], "result": result})
        batch = {"id": f"msgbatch_fake_{next(self._ids)}", "requests": items, "results": results, "polls": 0}
        with self._lock:
            self._batches[batch["id"]] = batch
            self._cache.update(new_keys)
        self._send_json(handler, 200, self._batch_object(batch))

    def _batch_retrieve(self, handler: BaseHTTPRequestHandler, batch_id: str) -> None:
        batch = self._batches.get(batch_id)
        if batch is None:
            self._send_json(handler, 404, _error_body("not_found_error", f"no batch {batch_id}"))
            return
        batch["polls"] += 1
        self._send_json(handler, 200, self._batch_object(batch))

    def _batch_cancel(self, handler: BaseHTTPRequestHandler, batch_id: str) -> None:
        batch = self._batches.get(batch_id)
        if batch is None:
            self._send_json(handler, 404, _error_body("not_found_error", f"no batch {batch_id}"))
            return
        batch["canceled"] = True
        self._send_json(handler, 200, {**self._batch_object(batch), "processing_status": "canceling"})

    def _batch_results(self, handler: BaseHTTPRequestHandler, batch_id: str) -> None:
        batch = self._batches.get(batch_id)
        if batch is None or batch["polls"] < self.batch_polls:
            self._send_json(
                handler, 404, _error_body("not_found_error", f"batch {batch_id} has no results yet")
            )
            return
        data = "\n".join(json.dumps(line) for line in batch["results"]).encode() + b"\n"
        handler.send_response(200)
        handler.send_header("content-type", "application/binary")
        handler.send_header("content-length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


def _error_body(error_type: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": error_type, "message": message}}


def _block_tokens(block: dict[str, Any]) -> int:
    if block.get("type") == "document":
        source = block.get("source", {})
        text = f"{block.get('title') or ''}\n{block.get('context') or ''}\n{source.get('data', '')}"
        return estimate_tokens(text) + 8
    return estimate_tokens(str(block.get("text", ""))) + 2


def _prefix_key(model: str, blocks: Sequence[dict[str, Any]]) -> str:
    stripped = [{k: v for k, v in b.items() if k != "cache_control"} for b in blocks]
    return hashlib.sha256(json.dumps([model, stripped], sort_keys=True).encode()).hexdigest()


def _sse_events(message: dict[str, Any]) -> Iterator[dict[str, Any]]:
    usage = message["usage"]
    start_usage = {**usage, "output_tokens": 1}
    yield {
        "type": "message_start",
        "message": {**message, "content": [], "stop_reason": None, "usage": start_usage},
    }
    for index, block in enumerate(message["content"]):
        if block.get("type") != "text":
            yield {"type": "content_block_start", "index": index, "content_block": block}
            yield {"type": "content_block_stop", "index": index}
            continue
        citations = block.get("citations")
        start_block = {"type": "text", "text": ""}
        if citations is not None:
            start_block["citations"] = []  # type: ignore[assignment]
        yield {"type": "content_block_start", "index": index, "content_block": start_block}
        for citation in citations or []:
            yield {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "citations_delta", "citation": citation},
            }
        text = block.get("text", "")
        for piece in (text[i : i + 40] for i in range(0, len(text), 40)):
            yield {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "text_delta", "text": piece},
            }
        yield {"type": "content_block_stop", "index": index}
    yield {
        "type": "message_delta",
        "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
        "usage": {"output_tokens": usage["output_tokens"]},
    }
    yield {"type": "message_stop"}
