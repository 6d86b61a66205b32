"""Sending a published edition to its readers by SMTP.

    report = send_edition(store, run_id, settings=settings)             # INFERENCE_REPORT_MAIL_TO
    report = send_edition(store, run_id, settings=settings, recipients=["ana@example.org"], resend=True)

One message per recipient: ``multipart/alternative`` with the Markdown as plain text (links spelled
out) and the published email HTML (preview line, unsubscribe footer), a ``List-Unsubscribe`` header,
a Message-ID of our own. Each message is claimed in the store before the SMTP conversation and
marked sent or failed after it, so the same revision is never sent twice to anyone unless asked
(``resend``), and a refused recipient or a dead server is recorded and reported without losing what
did go out.

``smtp://host:port`` upgrades with STARTTLS when the server offers it; ``smtps://host:port`` is TLS
from the first byte. A password is never sent over a connection that is not encrypted, except to a
relay on this machine (a loopback address).
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

from agent.domain.errors import ConfigError, ReportError, ReviewError
from agent.publishing import unsubscribe_address
from agent.settings import Settings
from agent.store import Publication, SendRecord, Store

__all__ = [
    "SendError",
    "SendReport",
    "SmtpTarget",
    "build_message",
    "parse_smtp_url",
    "plain_text",
    "send_edition",
]

# Seconds for connecting and for each SMTP reply. A healthy relay answers in well under a second;
# 30 s leaves room for a greylisting pause without hanging a cron job for ever.
_SMTP_TIMEOUT_S = 30.0
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


class SendError(ReportError):
    """Some or all messages could not be sent; every attempt is recorded, the report says which."""

    def __init__(self, message: str, report: SendReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    host: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass
class SendReport:
    run_id: str
    revision: int
    sent: list[SendRecord] = field(default_factory=list)
    # Recipients who already had this revision (or whose send was cut off): not sent again.
    skipped: list[SendRecord] = field(default_factory=list)
    failed: list[SendRecord] = field(default_factory=list)


def parse_smtp_url(url: str) -> SmtpTarget:
    """``smtp://[user:password@]host[:port]`` (port 587 by default) or ``smtps://...`` (465)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(
            "INFERENCE_REPORT_SMTP_URL must look like smtp://host:587 (STARTTLS when offered) or "
            "smtps://host:465 (TLS), with user:password@ before the host when the server needs a login"
        )
    try:
        port = parts.port or (465 if scheme == "smtps" else 587)
    except ValueError as exc:
        raise ConfigError(f"INFERENCE_REPORT_SMTP_URL has a bad port: {exc}") from exc
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        implicit_tls=scheme == "smtps",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


# A link starts at an unescaped bracket: "\[1\]" is a citation marker with no URL (the week's figures,
# the leaderboard moves), not the start of a link that runs on to the next one.
_MD_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_\[\]<>|#~&+\-.)!])")
_CITATION = re.compile(r"^\\?\[\d+\\?\]$")


def plain_text(markdown: str) -> str:
    """The Markdown edition as plain text: ``[title](url)`` becomes ``title <url>``, a citation marker
    ``[1]`` stays a marker (the numbered source list at the end spells out its URL), escapes go."""

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        if _CITATION.match(label):
            return _MD_ESCAPE.sub(r"\1", label)
        return f"{label} <{url}>"

    return _MD_ESCAPE.sub(r"\1", _MD_LINK.sub(link, markdown))


def _unsubscribe_header(address: str) -> str:
    return f"<{address}>"


def build_message(
    publication: Publication,
    *,
    sender: str,
    recipient: str,
    message_id: str,
    unsubscribe: str,
    date_header: str,
) -> EmailMessage:
    """The message for one recipient: plain text first, then the HTML (clients show the last part
    they can render)."""
    rendered = publication.rendered
    message = EmailMessage()
    message["Subject"] = rendered.get("subject") or rendered["title"]
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = date_header
    message["Message-ID"] = message_id
    message["List-Unsubscribe"] = _unsubscribe_header(unsubscribe)
    if unsubscribe.startswith("https://"):
        # RFC 8058 one-click: the link must accept a POST without a login.
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["List-Id"] = f"The Inference Report <{_list_id(sender)}>"
    message.set_content(plain_text(rendered["markdown"]) + f"\nUnsubscribe: {unsubscribe}\n")
    message.add_alternative(rendered["email"], subtype="html")
    return message


def _list_id(sender: str) -> str:
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"inference-report.{domain}"


def _sender(settings: Settings) -> str:
    if not settings.mail_from:
        raise ConfigError(
            "sending needs a sender: set INFERENCE_REPORT_MAIL_FROM, e.g. "
            '"The Inference Report <desk@report.example.org>"'
        )
    name, address = parseaddr(settings.mail_from)
    if "@" not in address:
        raise ConfigError(f"INFERENCE_REPORT_MAIL_FROM {settings.mail_from!r} has no e-mail address")
    return str(Address(display_name=name, addr_spec=address)) if name else address


def _recipients(settings: Settings, given: Sequence[str] | None) -> list[str]:
    chosen = [r.strip() for r in (given or settings.mail_to) if r.strip()]
    if not chosen:
        raise ConfigError("nobody to send to: set INFERENCE_REPORT_MAIL_TO (comma-separated) or pass --to")
    bad = [r for r in chosen if "@" not in parseaddr(r)[1]]
    if bad:
        raise ConfigError(f"not an e-mail address: {', '.join(bad)}")
    return list(dict.fromkeys(parseaddr(r)[1] for r in chosen))


def _published(store: Store, run_id: str) -> Publication:
    publication = store.publication(run_id)
    if publication is None or not publication.rendered:
        status = store.get_run(run_id).status.value.replace("_", " ")
        raise ReviewError(
            f"run {run_id} is {status} and not published: publish it first (inference-report publish "
            f"{run_id} --send does both)"
        )
    return publication


def _connect(target: SmtpTarget, tls: ssl.SSLContext) -> smtplib.SMTP:
    """An open, greeted (and, when the URL has a user, logged-in) SMTP session."""
    smtp: smtplib.SMTP
    if target.implicit_tls:
        smtp = smtplib.SMTP_SSL(target.host, target.port, timeout=_SMTP_TIMEOUT_S, context=tls)
    else:
        smtp = smtplib.SMTP(target.host, target.port, timeout=_SMTP_TIMEOUT_S)
    try:
        smtp.ehlo()
        encrypted = target.implicit_tls
        if not encrypted and smtp.has_extn("starttls"):
            smtp.starttls(context=tls)
            smtp.ehlo()
            encrypted = True
        if target.username:
            if not encrypted and target.host not in _LOOPBACK:
                raise smtplib.SMTPException(
                    f"{target.host} offers no STARTTLS: the password is not sent in clear "
                    "(use smtps:// if the server speaks TLS on another port)"
                )
            smtp.login(target.username, target.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _describe(exc: BaseException, target: SmtpTarget) -> str:
    where = f"{target.host}:{target.port}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(
            f"{rcpt}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for rcpt, (code, msg) in exc.recipients.items()
        )
        return f"refused by {where}: {codes}"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        return f"{where} answered {exc.smtp_code} {text}"
    if isinstance(exc, (ConnectionRefusedError, TimeoutError)):
        return f"cannot reach the SMTP server {where}: {exc}"
    return f"{where}: {exc}"


def send_edition(
    store: Store,
    run_id: str,
    *,
    settings: Settings,
    recipients: Sequence[str] | None = None,
    resend: bool = False,
    tls: ssl.SSLContext | None = None,
) -> SendReport:
    """Send the run's published revision to ``recipients`` (default: the mail-to setting).

    Raises :class:`ConfigError` before anything is claimed when the SMTP URL, sender or recipients
    are missing or wrong, :class:`ReviewError` when the run is not published, and
    :class:`SendError` (with the report) after trying everyone when any message failed.
    ``tls``: the certificates to trust (default: the system's).
    """
    if not settings.smtp_url:
        raise ConfigError("sending needs an SMTP server: set INFERENCE_REPORT_SMTP_URL (smtp://host:587)")
    target = parse_smtp_url(settings.smtp_url)
    sender = _sender(settings)
    to = _recipients(settings, recipients)
    publication = _published(store, run_id)
    unsubscribe = unsubscribe_address(settings) or f"mailto:{parseaddr(sender)[1]}?subject=unsubscribe"
    domain = parseaddr(sender)[1].rpartition("@")[2]
    report = SendReport(run_id=run_id, revision=publication.revision)
    claimed: list[SendRecord] = []
    for recipient in to:
        record, fresh = store.claim_send(
            run_id,
            revision=publication.revision,
            recipient=recipient,
            message_id=make_msgid(idstring=run_id.replace(" ", ""), domain=domain),
            resend=resend,
        )
        (claimed if fresh else report.skipped).append(record)
    if not claimed:
        return report
    try:
        smtp = _connect(target, tls or ssl.create_default_context())
    except (OSError, smtplib.SMTPException) as exc:
        reason = _describe(exc, target)
        report.failed = [store.finish_send(r.send_id, status="failed", error=reason) for r in claimed]
        raise SendError(f"nothing was sent: {reason}", report) from exc
    try:
        for index, record in enumerate(claimed):
            message = build_message(
                publication,
                sender=sender,
                recipient=record.recipient,
                message_id=record.message_id,
                unsubscribe=unsubscribe,
                date_header=format_datetime(record.started_at),
            )
            try:
                smtp.send_message(message, from_addr=parseaddr(sender)[1], to_addrs=[record.recipient])
            except smtplib.SMTPServerDisconnected as exc:
                reason = _describe(exc, target)
                for lost in claimed[index:]:
                    report.failed.append(store.finish_send(lost.send_id, status="failed", error=reason))
                break
            except (OSError, smtplib.SMTPException) as exc:
                report.failed.append(
                    store.finish_send(record.send_id, status="failed", error=_describe(exc, target))
                )
                continue
            report.sent.append(store.finish_send(record.send_id, status="sent"))
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    if report.failed:
        failures = "; ".join(f"{r.recipient}: {r.error}" for r in report.failed)
        raise SendError(
            f"{len(report.failed)} of {len(claimed)} messages not sent ({failures}); "
            f"{len(report.sent)} sent. Send the rest again with the same command",
            report,
        )
    return report
