"""A real SMTP server on loopback (aiosmtpd in a thread) that keeps what it receives.

    with SmtpServer(refuse={"gone@example.org"}) as server:
        settings = settings.model_copy(update={"smtp_url": server.url})
        ...
        [message] = server.messages          # email.message.EmailMessage, parsed with the default policy

``tls``: a trustme CA; the server then offers STARTTLS (``implicit_tls=False``) or speaks TLS from the
first byte (``implicit_tls=True``, an ``smtps://`` URL). ``logins``: user -> password; the server then
requires AUTH.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any

__all__ = ["Received", "SmtpServer", "free_port"]


def free_port() -> int:
    """A port nothing listens on (aiosmtpd needs the number before it starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool
    login: str | None


@dataclass
class _Handler:
    refuse: set[str]
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        login = session.auth_data.login.decode() if getattr(session, "auth_data", None) else None
        self.received.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                message=message,
                # STARTTLS sets session.ssl; TLS from the first byte shows on the transport.
                tls=session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
                login=login,
            )
        )
        return "250 Message accepted"


class SmtpServer:
    def __init__(
        self,
        *,
        refuse: set[str] | None = None,
        tls: Any = None,
        implicit_tls: bool = False,
        logins: dict[str, str] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.handler = _Handler(refuse=set(refuse or ()))
        self.port = free_port()
        self.host = host
        self.implicit_tls = implicit_tls
        self.auth_attempts: list[str] = []  # every login tried, right or wrong
        server_tls: ssl.SSLContext | None = None
        if tls is not None:
            server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.issue_cert("localhost", "127.0.0.1").configure_cert(server_tls)
        kwargs: dict[str, Any] = {}
        if server_tls is not None and not implicit_tls:
            kwargs["tls_context"] = server_tls
        if logins is not None:

            def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
                user = auth_data.login.decode()
                self.auth_attempts.append(user)
                ok = logins.get(user) == auth_data.password.decode()
                return AuthResult(success=ok, handled=False, auth_data=auth_data)

            # Plain AUTH on loopback without TLS is what a local relay does; with TLS, require it.
            kwargs |= {
                "authenticator": authenticate,
                "auth_required": True,
                "auth_require_tls": server_tls is not None,
            }
        self._controller = Controller(
            self.handler,
            hostname=host,
            port=self.port,
            ssl_context=server_tls if implicit_tls else None,
            **kwargs,
        )

    @property
    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.handler.received]

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def url(self, login: str = "") -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{login + '@' if login else ''}{self.host}:{self.port}"

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._controller.stop()
