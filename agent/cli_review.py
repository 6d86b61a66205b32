"""The sign-off commands: ``review``, ``serve``, ``publish``, ``reviewers`` and ``db``. ``agent.cli``
mounts them with :func:`register`. Each parses, builds settings and calls one function of :mod:`agent.review`,
:mod:`agent.web` or :mod:`agent.publishing`. As in :mod:`agent.cli`, each command imports what it
calls inside its body, for start-up speed only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli_io import EXIT_STATUS_HELP, dir_option, emit_json, err, fail
from agent.cli_io import out as _stdout
from agent.cli_io import say as _say
from agent.domain.errors import ConfigError, ReportError

if TYPE_CHECKING:
    from agent.settings import Settings
    from agent.store import RunRecord

__all__ = ["page_url", "publish", "register", "review", "serve"]

# 32 bytes of randomness: far beyond guessing over HTTP.
_TOKEN_BYTES = 32


def _load_settings(**overrides: Any) -> Settings:
    from agent.settings import load_settings  # pydantic: 0.1-0.2 s that --help need not pay

    return load_settings(**overrides)


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def _say_notes(notes: list[str]) -> None:
    """The writer's problems with the revision just drafted: a reviewer who asked for a change reads here
    why it may not be in the text."""
    for note in notes:
        _say(f"writer note: {note}")


def _latest_notes(settings: Settings, run_id: str) -> tuple[int | None, list[str]]:
    """The latest revision's number and the writer's notes on it (from the run report)."""
    from agent.review import writer_notes
    from agent.store import Store

    with Store.open(settings.database) as store:
        latest = store.latest_draft(run_id)
        report = store.get_run(run_id).report
    if latest is None:
        return None, []
    return latest.revision, writer_notes(report, revision_hash=latest.revision_hash)


# A run in these states is neither awaiting review nor finished: the list names it, so that a redraft
# that stopped is never out of every list.
_BETWEEN_REVIEWS = ("changes_requested", "running")


def _say_between(runs: list[RunRecord]) -> None:
    from agent.review import COMMAND

    for run in runs:
        if run.status == "changes_requested":
            hint = (
                f"if its redraft stopped: {COMMAND} draft --resume {run.run_id}; if it never started, repeat "
                f"the request: {COMMAND} review {run.run_id} --request-changes --comment ..."
            )
        else:
            hint = f"drafting; if it stopped: {COMMAND} draft --resume {run.run_id}"
        _say(
            f"run {run.run_id} ({run.edition_date.isoformat()}) is {run.status.value.replace('_', ' ')}, "
            f"not back for review yet: {hint}"
        )


def _pending_json(draft: Any) -> dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(draft)


def _between_json(runs: list[RunRecord]) -> list[dict[str, Any]]:
    return [{"run_id": r.run_id, "edition_date": r.edition_date, "status": r.status.value} for r in runs]


def _draft_json(draft: Any, *, notes: list[str], steps: list[str]) -> dict[str, Any]:
    """A draft as ``review RUN_ID --json`` prints it: its revision, every claim with its verdict and
    citations, the decisions so far, the writer's notes and the next step."""
    record = draft.record
    return {
        "run_id": draft.run_id,
        "status": draft.status,
        "revision": record.revision,
        "revision_hash": record.revision_hash,
        "claims": [claim.model_dump(mode="json") for claim in draft.claims],
        "reviews": [
            {
                "revision": r.revision,
                "reviewer": r.reviewer,
                "decision": r.decision,
                "decided_at": r.decided_at,
                "comment": r.comment,
                "override_reason": r.override_reason,
            }
            for r in draft.reviews
        ],
        "writer_notes": notes,
        "next_steps": steps,
    }


def _decision(approve: bool, reject: bool, request_changes: bool) -> str | None:
    chosen = [
        name
        for name, on in (("approve", approve), ("reject", reject), ("request_changes", request_changes))
        if on
    ]
    if len(chosen) > 1:
        raise typer.BadParameter("choose one of --approve, --reject, --request-changes")
    return chosen[0] if chosen else None


def review(
    run_id: Annotated[
        str | None,
        typer.Argument(
            metavar="RUN_ID", help="The run to show or decide; none lists drafts awaiting review."
        ),
    ] = None,
    approve: Annotated[bool, typer.Option("--approve", help="Approve the revision you looked at.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Reject the draft.")] = False,
    request_changes: Annotated[
        bool, typer.Option("--request-changes", help="Send the draft back to the writer with --comment.")
    ] = False,
    comment: Annotated[
        str | None, typer.Option("--comment", metavar="TEXT", help="What you decided and why.")
    ] = None,
    reviewer: Annotated[
        str | None,
        typer.Option(
            "--reviewer",
            metavar="NAME",
            help="Your name, on a desk without named reviewers and without a token (default: the reviewer "
            "setting). Refused with a token: the token names you.",
        ),
    ] = None,
    override: Annotated[
        str | None,
        typer.Option(
            "--override", metavar="REASON", help="Why to approve despite unsupported or uncited claims."
        ),
    ] = None,
    revision: Annotated[
        str | None,
        typer.Option(
            "--revision",
            metavar="HASH",
            help="The revision hash you decide on (default: the one you viewed).",
        ),
    ] = None,
    correct: Annotated[
        bool,
        typer.Option(
            "--correct",
            help="Correct an approved or published edition: a new revision, written with --comment as "
            "guidance, comes back for its own review.",
        ),
    ] = False,
    edit: Annotated[
        str | None,
        typer.Option(
            "--edit",
            metavar="CLAIM_ID",
            help="Rewrite this sentence by hand with --text (or remove it with --delete): a new revision, "
            "checked at once.",
        ),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", metavar="TEXT", help="The sentence as it should read.")
    ] = None,
    delete: Annotated[bool, typer.Option("--delete", help="With --edit: remove the sentence.")] = False,
    cite: Annotated[
        str | None,
        typer.Option(
            "--cite", metavar="ITEM_ID", help="With --edit: cite this item instead (needs --quote)."
        ),
    ] = None,
    quote: Annotated[
        str | None,
        typer.Option(
            "--quote", metavar="TEXT", help="With --cite: the passage of the item the sentence rests on."
        ),
    ] = None,
    as_json: JsonOption = False,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            metavar="TOKEN",
            help="Your personal review token (default: INFERENCE_REPORT_REVIEW_TOKEN); it names you in "
            "the audit trail.",
        ),
    ] = None,
) -> None:
    """List drafts awaiting review, show one with every claim marked, decide it, correct it, or edit a
    sentence by hand."""
    from agent.review import (
        COMMAND,
        DecisionRequest,
        blocking_claims,
        decision_label,
        draft_renderable,
        list_pending,
        next_steps,
        open_for_review,
        pending_table,
        writer_notes,
    )
    from agent.store import Store

    decision = _decision(approve, reject, request_changes)
    if edit is not None or text is not None or delete or cite or quote:
        if decision or correct or edit is None:
            raise typer.BadParameter("--text, --delete, --cite and --quote go with --edit CLAIM_ID, alone")
        _edit(
            run_id,
            edit,
            text=text,
            delete=delete,
            cite=cite,
            quote=quote,
            reviewer=reviewer,
            token=token,
            as_json=as_json,
        )
        return
    if correct and decision:
        raise typer.BadParameter("--correct is not a decision: use it alone, with --comment")
    if correct:
        _correct(run_id, comment=comment, reviewer=reviewer, token=token, as_json=as_json)
        return
    if (comment or override) and decision is None:
        # A comment or override with nothing to attach it to would be dropped without a word.
        raise typer.BadParameter("--comment and --override go with --approve, --reject or --request-changes")
    try:
        settings = _load_settings(reviewer=reviewer)
        if run_id is None:
            if decision:
                raise typer.BadParameter("name the RUN_ID to decide")
            with Store.open(settings.database) as store:
                pending = list_pending(store)
                between = [r for r in store.list_runs() if r.status in _BETWEEN_REVIEWS]
            if as_json:
                emit_json(
                    {
                        "pending": [_pending_json(p) for p in pending],
                        "between_reviews": _between_json(between),
                    }
                )
                return
            _stdout().print(pending_table(pending))
            if pending:
                _say(f"Open one: {COMMAND} review RUN_ID")
            _say_between(between)
            return
        if decision is None:
            with Store.open(settings.database) as store:
                draft = open_for_review(store, run_id, reviewer=settings.reviewer)
                notes = writer_notes(store.get_run(run_id).report, revision_hash=draft.record.revision_hash)
            steps = next_steps(
                run_id, draft.status, blocking=len(blocking_claims(draft.claims)), viewing=True
            )
            if as_json:
                emit_json(_draft_json(draft, notes=notes, steps=steps))
                return
            _stdout().print(draft_renderable(draft, notes=notes))
            _stdout().print()
            for line in steps:
                _say(line)
            return
        request = DecisionRequest(
            decision=decision,  # type: ignore[arg-type]  # one of DECISIONS, checked above
            reviewer=_decider(settings, token=token, typed=reviewer),
            comment=comment,
            override_reason=override,
            revision_hash=revision,
        )
        # Only a decision imports the runs API (langgraph, the writers): 0.4 s the list and show skip.
        import asyncio

        from agent.decisions import decide

        outcome = asyncio.run(decide(settings, run_id, request))
        # A request for changes drafts a new revision: what the writer could not do is said with it.
        redrafted = decision == "request_changes" and outcome.status == "awaiting_review"
        notes = _latest_notes(settings, run_id)[1] if redrafted else []
    except ReportError as exc:
        raise fail(exc) from exc
    if as_json:
        emit_json(
            {
                "run_id": run_id,
                "decision": outcome.review.decision,
                "reviewer": outcome.review.reviewer,
                "revision": outcome.review.revision,
                "status": outcome.status,
                "published": outcome.published or None,
                "writer_notes": notes,
                "next_steps": [] if outcome.status == "rejected" else next_steps(run_id, outcome.status),
            }
        )
        return
    _say(
        f"run {run_id}: {decision_label(outcome.review.decision)} by {outcome.review.reviewer} "
        f"(revision {outcome.review.revision}); now {outcome.status.replace('_', ' ')}"
    )
    _say_notes(notes)
    if outcome.published:
        _say(f"published to {outcome.published.get('dir')}")
    elif outcome.status != "rejected":
        for line in next_steps(run_id, outcome.status):
            _say(line)


def _edit(
    run_id: str | None,
    claim_id: str,
    *,
    text: str | None,
    delete: bool,
    cite: str | None,
    quote: str | None,
    reviewer: str | None,
    token: str | None,
    as_json: bool = False,
) -> None:
    from agent.edits import ClaimEdit, edit_claim
    from agent.review import next_steps

    if run_id is None:
        raise typer.BadParameter("name the RUN_ID whose sentence to edit")
    try:
        settings = _load_settings(reviewer=reviewer)
        editor = _decider(settings, token=token, typed=reviewer)  # who the token names, as for decisions
        request = ClaimEdit(
            claim_id=claim_id, editor=editor, text=text, delete=delete, cite_item=cite, quote=quote
        )
        outcome = edit_claim(settings, run_id, request)
    except ReportError as exc:
        raise fail(exc) from exc
    if as_json:
        emit_json(
            {
                "run_id": run_id,
                "claim_id": claim_id,
                "editor": outcome.record.editor,
                "revision": outcome.revision,
                "deleted": outcome.claim is None,
                "claim": outcome.claim.model_dump(mode="json") if outcome.claim is not None else None,
                "next_steps": next_steps(run_id, "awaiting_review"),
            }
        )
        return
    if outcome.claim is None:
        _say(f"run {run_id}: {claim_id} deleted by {outcome.record.editor}; revision {outcome.revision}")
    else:
        verdict = (outcome.claim.verdict.value if outcome.claim.verdict else "unchecked").replace("_", " ")
        _say(f"run {run_id}: {claim_id} edited by {outcome.record.editor}; revision {outcome.revision}")
        _say(f"checked: {verdict}" + "".join(f"\n  why: {r}" for r in outcome.claim.reasons))
    for line in next_steps(run_id, "awaiting_review"):
        _say(line)


def _decider(settings: Settings, *, token: str | None, typed: str | None) -> str:
    """The name the audit trail records: the one the token names (agent.reviewers)."""
    from agent.reviewers import terminal_identity
    from agent.store import Store

    with Store.open(settings.database) as store:
        identity = terminal_identity(
            store,
            token=token or settings.review_token,
            shared_token=settings.review_token,
            typed=typed,
            default=settings.reviewer,
        )
    return identity.name


def _correct(
    run_id: str | None, *, comment: str | None, reviewer: str | None, token: str | None, as_json: bool = False
) -> None:
    from agent.decisions import start_correction
    from agent.review import next_steps

    if run_id is None:
        raise typer.BadParameter("name the RUN_ID to correct")
    if not comment or not comment.strip():
        raise typer.BadParameter("--correct needs --comment saying what to correct")
    try:
        settings = _load_settings(reviewer=reviewer)
        import asyncio

        outcome = asyncio.run(
            start_correction(
                settings, run_id, reviewer=_decider(settings, token=token, typed=reviewer), comment=comment
            )
        )
        latest, notes = _latest_notes(settings, run_id)
    except ReportError as exc:
        raise fail(exc) from exc
    if as_json:
        emit_json(
            {
                "run_id": run_id,
                "decision": outcome.review.decision,
                "reviewer": outcome.review.reviewer,
                "approved_revision": outcome.review.revision,
                "revision": latest,
                "status": outcome.status,
                "writer_notes": notes,
                "next_steps": next_steps(run_id, outcome.status),
            }
        )
        return
    revision = latest if latest is not None else "?"
    _say(
        f"run {run_id}: correction of revision {outcome.review.revision} requested by "
        f"{outcome.review.reviewer}; revision {revision} is {outcome.status.replace('_', ' ')} "
        f"(the approved revision {outcome.review.revision} stays as it was)"
    )
    _say_notes(notes)
    for line in next_steps(run_id, outcome.status):
        _say(line)


_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_ANY_ADDRESS = ("0.0.0.0", "::", "")


def _allowed_hosts(host: str, configured: tuple[str, ...]) -> list[str]:
    """The Host header names a page bound to ``host`` answers to: the configured names, and the bound
    address itself when it is one (an IPv6 literal in brackets, as a Host header writes it)."""
    names = [name.strip().lower() for name in configured if name.strip()]
    if host not in _ANY_ADDRESS:
        names.append(f"[{host}]" if ":" in host else host.lower())
    return list(dict.fromkeys(names))


def page_url(host: str, port: int, allowed_hosts: list[str] | None) -> str:
    """The address to open: bound to every address, the page answers only to its configured names, so
    ``http://0.0.0.0:8765/`` would be refused ("Invalid host header"); the first name is printed."""
    if host in _ANY_ADDRESS and allowed_hosts:
        return f"http://{allowed_hosts[0]}:{port}/"
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def serve(
    host: Annotated[
        str, typer.Option("--host", metavar="HOST", help="Address to bind (default: loopback only).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", min=1, max=65535, help="Port to listen on.")
    ] = 8765,
) -> None:
    """The review page: drafts with claims coloured by verdict, evidence one click away, decisions."""
    import uvicorn

    from agent.web import create_app

    try:
        settings = _load_settings()
    except ReportError as exc:
        raise fail(exc) from exc
    allowed_hosts: list[str] | None = None
    if host not in _LOOPBACK:
        allowed_hosts = _allowed_hosts(host, settings.review_hosts)
        if not allowed_hosts:
            raise fail(
                ConfigError(
                    f"serving on {host} needs the names reviewers will use for the page, in "
                    "INFERENCE_REPORT_REVIEW_HOSTS (e.g. review.example.org): requests naming any other "
                    "host are refused"
                )
            )
        err().print(
            f"warning: serving on {host}: anyone who can reach it and has the token can decide drafts; "
            f"answering only to {', '.join(allowed_hosts)}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    import secrets

    token = settings.review_token or secrets.token_urlsafe(_TOKEN_BYTES)
    try:
        app = create_app(settings, token=token, allowed_hosts=allowed_hosts)
    except ValueError as exc:  # only a configured token can be too short: a made one has 43 characters
        raise fail(ConfigError(f"INFERENCE_REPORT_REVIEW_TOKEN: {exc}")) from exc
    authority = f"[{host}]" if ":" in host else host  # an IPv6 address is bracketed in a URL
    import os
    import socket

    # Bound here, before the token and the address are printed: a port another process holds is this
    # command's error (exit 1), not uvicorn's log line and exit 3 under an address that is not ours.
    try:
        listener = socket.create_server(
            (host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET
        )
    except OSError as exc:
        # socket's own message repeats the address: "... (while attempting to bind on address ...)".
        why = os.strerror(exc.errno) if exc.errno else str(exc)
        raise fail(
            ConfigError(
                f"cannot listen on {authority}:{port}: {why} (another `inference-report serve`? choose "
                "another port with --port)"
            )
        ) from exc
    if not settings.review_token:
        # Plain echo: a console would wrap the token across lines and break copy and paste.
        typer.echo(f"review token (enter it on the login page): {token}")
    else:
        typer.echo("review token: the INFERENCE_REPORT_REVIEW_TOKEN setting (enter it on the login page)")
    typer.echo(f"review page: {page_url(host, port, allowed_hosts)}")
    with listener:
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])


def publish(
    run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="The approved run to publish.")],
    out: Annotated[
        str | None,
        typer.Option(
            "--out", metavar="DIR", help="The site's directory (default: published/ in the data dir)."
        ),
    ] = None,
    send: Annotated[
        bool, typer.Option("--send", help="Then send it by SMTP to the readers (INFERENCE_REPORT_MAIL_TO).")
    ] = False,
    to: Annotated[
        list[str] | None,
        typer.Option(
            "--to", metavar="ADDRESS", help="Send to this address instead (repeatable; with --send)."
        ),
    ] = None,
    resend: Annotated[
        bool, typer.Option("--resend", help="Send again to readers who already have this revision.")
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            metavar="TOKEN",
            help="Your personal review token (default: INFERENCE_REPORT_REVIEW_TOKEN): on a desk with named "
            "reviewers only a reviewer publishes.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Publish an approved edition into the static site: its page, Markdown and email, the archive
    page and the Atom feed; with --send, mail it to the readers."""
    from agent.publishing import publish_edition
    from agent.store import Store

    if (to or resend) and not send:
        raise typer.BadParameter("--to and --resend go with --send")
    out_dir = dir_option(out, "--out")
    try:
        settings: Settings = _load_settings()
        _decider(
            settings, token=token, typed=None
        )  # an editor, or no token on a desk with reviewers: refused
        with Store.open(settings.database) as store:
            result = publish_edition(store, run_id, settings=settings, out_dir=out_dir)
    except ReportError as exc:
        raise fail(exc) from exc
    if as_json:
        document: dict[str, Any] = {"run_id": run_id, "published": result, "sent": None}
        if send:
            recipients = [a for arg in to or [] for a in arg.split(",")]
            document["sent"] = _send(settings, run_id, recipients=recipients, resend=resend, quiet=True)
        emit_json(document)
        return
    for name in ("page", "markdown", "email", "archive", "feed"):
        _say(f"{name:>9}: {result[name]}")
    correction = " as a correction" if result["correction"] else ""
    _say(f"run {run_id}: published (revision {result['revision']}){correction} at {result['url']}")
    if send:
        _send(settings, run_id, recipients=[a for arg in to or [] for a in arg.split(",")], resend=resend)


def _readers(count: int) -> str:
    return f"{count} reader{'' if count == 1 else 's'}"


def _send(
    settings: Settings, run_id: str, *, recipients: list[str], resend: bool, quiet: bool = False
) -> dict[str, Any]:
    """Send and say what was sent (quiet: say nothing); return the send report as data."""
    import dataclasses

    from agent.sending import SendError, SendReport, send_edition
    from agent.store import Store

    def say_report(report: SendReport) -> None:
        if quiet:
            return
        for record in report.sent:
            _say(f"     sent: {record.recipient} {record.message_id}")
        for record in report.skipped:
            when = record.started_at.strftime("%Y-%m-%d %H:%M")
            state = "already sent" if record.status == "sent" else "a send was started (and not finished)"
            _say(f"  skipped: {record.recipient}: {state} {when} UTC, {record.message_id}")
        if report.skipped:
            _say("  (--resend sends again to those skipped)")
        for record in report.failed:
            _say(f"   failed: {record.recipient}: {record.error}")

    try:
        with Store.open(settings.database) as store:
            report = send_edition(
                store, run_id, settings=settings, recipients=recipients or None, resend=resend
            )
    except SendError as exc:
        say_report(exc.report)
        raise fail(exc) from exc
    except ReportError as exc:
        raise fail(exc) from exc
    say_report(report)
    if quiet:
        pass
    elif not report.sent:
        _say(f"run {run_id}: nothing sent (everyone already has revision {report.revision})")
    else:
        _say(f"run {run_id}: revision {report.revision} sent to {_readers(len(report.sent))}")
    return dataclasses.asdict(report)


reviewers_app = typer.Typer(
    help="The desk's named reviewers: each has a personal token that names them in the audit trail.",
    no_args_is_help=True,
)


@reviewers_app.command("add", epilog=EXIT_STATUS_HELP)
def reviewers_add(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The reviewer's name, as the audit trail records it.")
    ],
    role: Annotated[
        str,
        typer.Option(
            "--role", metavar="editor|reviewer", help="A reviewer decides; an editor drafts and reads."
        ),
    ] = "reviewer",
) -> None:
    """Add a reviewer and print their personal token, once (only its hash is stored)."""
    from agent.reviewers import ROLES, add_reviewer
    from agent.store import Store

    if role not in ROLES:
        raise typer.BadParameter(f"--role is one of {', '.join(ROLES)}")
    try:
        settings = _load_settings()
        with Store.open(settings.database) as store:
            token = add_reviewer(store, name, role)
    except ReportError as exc:
        raise fail(exc) from exc
    _say(f"added {name.strip()} ({role}). Their token, shown this once (only its hash is kept):")
    _say(token)
    _say("They log in to the review page with it; in the terminal, --token or INFERENCE_REPORT_REVIEW_TOKEN.")


@reviewers_app.command("list", epilog=EXIT_STATUS_HELP)
def reviewers_list(as_json: JsonOption = False) -> None:
    """The desk's reviewers, their roles and when they were added (never their tokens)."""
    from agent.store import Store

    try:
        with Store.open(_load_settings().database) as store:
            found = store.reviewers()
    except ReportError as exc:
        raise fail(exc) from exc
    if as_json:
        emit_json([{"name": r.name, "role": r.role, "created_at": r.created_at} for r in found])
        return
    if not found:
        _say("no named reviewers: decisions are recorded under the shared token or the local user name")
    for record in found:
        _say(f"{record.name} ({record.role}), added {record.created_at.strftime('%Y-%m-%d %H:%M')} UTC")


@reviewers_app.command("remove", epilog=EXIT_STATUS_HELP)
def reviewers_remove(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The reviewer to remove.")],
) -> None:
    """Remove a reviewer: their token stops working at once; their past decisions stay recorded."""
    from agent.store import Store

    try:
        with Store.open(_load_settings().database) as store:
            removed = store.remove_reviewer(name)
    except ReportError as exc:
        raise fail(exc) from exc
    if not removed:
        raise fail(ReportError(f"there is no reviewer named {name!r} (reviewers list shows them)"))
    _say(f"removed {name}: their token no longer works")


db_app = typer.Typer(
    help="The desk's database: move it from the SQLite file to PostgreSQL.", no_args_is_help=True
)


@db_app.command("migrate-to", epilog=EXIT_STATUS_HELP)
def db_migrate_to(
    url: Annotated[str, typer.Argument(metavar="URL", help="An empty PostgreSQL database: postgresql://...")],
) -> None:
    """Copy the data folder's SQLite store and run checkpoints into PostgreSQL (the file is only read)."""
    from agent.db_move import migrate_to

    if not url.startswith(("postgresql://", "postgres://")):
        raise typer.BadParameter("URL is a postgresql:// address")
    try:
        settings = _load_settings()
        report = migrate_to(settings.database_path, url)
    except ReportError as exc:
        raise fail(exc) from exc
    for table, count in report.rows.items():
        if count:
            _say(f"{table:>22}: {count} rows")
    _say(f"{'checkpoints':>22}: {report.checkpoints} of {report.threads} runs")
    _say(
        f"moved {settings.database_path} into the new database; the file is unchanged. Switch over with "
        "INFERENCE_REPORT_DATABASE_URL=<that URL> (or database_url in config.toml, without a password)."
    )


def register(app: typer.Typer) -> None:
    """Add ``review``, ``serve``, ``publish``, ``reviewers`` and ``db`` to ``inference-report``."""
    app.command("review", epilog=EXIT_STATUS_HELP)(review)
    app.command("serve", epilog=EXIT_STATUS_HELP)(serve)
    app.command("publish", epilog=EXIT_STATUS_HELP)(publish)
    app.add_typer(reviewers_app, name="reviewers", epilog=EXIT_STATUS_HELP)
    app.add_typer(db_app, name="db", epilog=EXIT_STATUS_HELP)
