"""Sending a published edition by SMTP, against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import asyncio
import os
import smtplib
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
import trustme

from agent.domain.errors import ConfigError, ReviewError
from agent.sending import SendError, _connect, parse_smtp_url, plain_text, send_edition
from agent.settings import Settings
from agent.store import Store
from tests.agent.test_publishing import approve, publish
from tests.conftest import ROOT
from tests.fakes.review_drafts import SITE_URL, copy_drafted, drafted, drafted_template, start_review_draft
from tests.fakes.smtp_server import SmtpServer, free_port

__all__ = ["copy_drafted", "drafted", "drafted_template"]  # fixtures, imported so pytest finds them here

SENDER = "The Inference Report <desk@report.example.org>"
READERS = ("ana@example.org", "bo@example.org")


@pytest.fixture
def published(drafted: tuple[Settings, str]) -> tuple[Settings, str]:
    settings, run_id = drafted
    settings = settings.model_copy(update={"mail_from": SENDER, "mail_to": READERS})
    asyncio.run(approve(settings, run_id))
    publish(settings, run_id)
    return settings, run_id


def send(settings: Settings, run_id: str, **options: object) -> object:
    with Store.open(settings.database) as store:
        return send_edition(store, run_id, settings=settings, **options)  # type: ignore[arg-type]


def test_each_reader_gets_a_multipart_message_with_preview_and_unsubscribe(
    published: tuple[Settings, str],
) -> None:
    settings, run_id = published
    with SmtpServer() as server:
        send(settings.model_copy(update={"smtp_url": server.url()}), run_id)
    assert sorted(r.rcpt_tos[0] for r in server.received) == sorted(READERS)
    assert all(len(r.rcpt_tos) == 1 and r.mail_from == "desk@report.example.org" for r in server.received)
    message = next(r.message for r in server.received if r.rcpt_tos == ["ana@example.org"])
    assert message["To"] == "ana@example.org"
    assert message["From"] == SENDER
    assert message["Subject"] == "The Inference Report, November 26, 2026"
    assert message["List-Unsubscribe"] == "<mailto:desk@report.example.org?subject=unsubscribe>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    plain, markup = text.get_content(), html.get_content()
    assert "Quartz Systems raised $40 million" in plain
    assert "<https://news.example/quartz-raises>" in plain  # links spelled out
    assert "\\" not in plain and "](" not in plain  # no Markdown escapes or links left
    assert "Unsubscribe: mailto:desk@report.example.org?subject=unsubscribe" in plain
    assert 'href="mailto:desk@report.example.org?subject=unsubscribe"' in markup
    assert f'href="{SITE_URL}2026-11-26/"' in markup
    assert 'width="600"' in markup and "<script" not in markup.lower()
    assert "display:none" in markup.split("<table", 1)[0]  # the preview line comes before the layout

    with Store.open(settings.database) as store:
        records = {r.recipient: r for r in store.sends(run_id)}
    assert {r.status for r in records.values()} == {"sent"}
    # A Message-ID longer than a header line is folded on the wire ("Message-ID:\r\n <...>"), and the
    # parser keeps the fold's space: its length varies with the process id, so compare it unfolded.
    received_id = str(message["Message-ID"]).strip()
    assert records["ana@example.org"].message_id == received_id
    assert received_id.endswith("@report.example.org>")


def test_the_same_revision_is_not_sent_twice_unless_asked(published: tuple[Settings, str]) -> None:
    settings, run_id = published
    with SmtpServer() as server:
        settings = settings.model_copy(update={"smtp_url": server.url()})
        send(settings, run_id)
        again = send(settings, run_id)
        assert len(server.received) == 2
        assert [r.recipient for r in again.skipped] == list(READERS)  # type: ignore[attr-defined]
        assert again.sent == []  # type: ignore[attr-defined]
        resent = send(settings, run_id, recipients=["ana@example.org"], resend=True)
        assert [r.recipient for r in resent.sent] == ["ana@example.org"]  # type: ignore[attr-defined]
    assert len(server.received) == 3
    with Store.open(settings.database) as store:
        ids = [r.message_id for r in store.sends(run_id) if r.recipient == "ana@example.org"]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_a_refused_reader_is_recorded_and_the_others_still_get_it(published: tuple[Settings, str]) -> None:
    settings, run_id = published
    with SmtpServer(refuse={"bo@example.org"}) as server:
        settings = settings.model_copy(update={"smtp_url": server.url()})
        with pytest.raises(SendError, match="1 of 2 messages not sent") as refused:
            send(settings, run_id)
        assert "bo@example.org" in str(refused.value) and "550" in str(refused.value)
        assert [r.rcpt_tos for r in server.received] == [["ana@example.org"]]
    with Store.open(settings.database) as store:
        status = {r.recipient: (r.status, r.error) for r in store.sends(run_id)}
    assert status["ana@example.org"] == ("sent", None)
    assert status["bo@example.org"][0] == "failed" and "mailbox unavailable" in (
        status["bo@example.org"][1] or ""
    )

    # The same command later sends only what did not go out.
    with SmtpServer() as server:
        report = send(settings.model_copy(update={"smtp_url": server.url()}), run_id)
    assert [r.rcpt_tos for r in server.received] == [["bo@example.org"]]
    assert [r.recipient for r in report.skipped] == ["ana@example.org"]  # type: ignore[attr-defined]


def test_a_dead_server_is_a_clear_error_and_nothing_is_lost(published: tuple[Settings, str]) -> None:
    settings, run_id = published
    dead = settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{free_port()}"})
    with pytest.raises(SendError, match=r"nothing was sent: cannot reach the SMTP server 127\.0\.0\.1"):
        send(dead, run_id)
    with Store.open(settings.database) as store:
        assert {r.status for r in store.sends(run_id)} == {"failed"}
        assert store.publication(run_id) is not None  # the publication stands
    with SmtpServer() as server:
        send(settings.model_copy(update={"smtp_url": server.url()}), run_id)
    assert len(server.received) == 2


def test_starttls_when_offered_then_login(published: tuple[Settings, str]) -> None:
    settings, run_id = published
    ca = trustme.CA()
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    with SmtpServer(tls=ca, logins={"desk": "s3cret"}) as server:
        settings = settings.model_copy(update={"smtp_url": server.url("desk:s3cret")})
        send(settings, run_id, tls=client_tls)
    assert len(server.received) == 2
    assert all(r.tls and r.login == "desk" for r in server.received)


def test_smtps_is_tls_from_the_first_byte(published: tuple[Settings, str]) -> None:
    settings, run_id = published
    ca = trustme.CA()
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    with SmtpServer(tls=ca, implicit_tls=True) as server:
        assert server.url().startswith("smtps://")
        send(settings.model_copy(update={"smtp_url": server.url()}), run_id, tls=client_tls)
        # An untrusted certificate is refused, and recorded as such.
        with pytest.raises(SendError, match="CERTIFICATE_VERIFY_FAILED"):
            send(settings.model_copy(update={"smtp_url": server.url()}), run_id, resend=True)
    assert len(server.received) == 2 and all(r.tls for r in server.received)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # the point of the test
def test_a_password_is_not_sent_in_clear_to_another_host() -> None:
    target = parse_smtp_url("smtp://desk:p%40ss@mail.example.org")
    assert (target.host, target.port, target.implicit_tls) == ("mail.example.org", 587, False)
    assert (target.username, target.password) == ("desk", "p@ss")
    assert "p@ss" not in repr(target)
    assert parse_smtp_url("smtps://mail.example.org").port == 465
    with pytest.raises(ConfigError, match="smtp://host:587"):
        parse_smtp_url("http://mail.example.org")
    # A server that offers no STARTTLS is never sent the password: 127.0.0.2 reaches this machine but is
    # not one of the names a local relay is exempted by (a plain login to 127.0.0.1 is allowed).
    in_clear = "offers no STARTTLS: the password is not sent in clear"
    with (
        SmtpServer(host="127.0.0.2", logins={"desk": "p@ss"}) as server,
        pytest.raises(smtplib.SMTPException, match=in_clear),
    ):
        _connect(parse_smtp_url(server.url("desk:p%40ss")), ssl.create_default_context())
    assert server.auth_attempts == []
    with SmtpServer(logins={"desk": "p@ss"}) as local:
        _connect(parse_smtp_url(local.url("desk:p%40ss")), ssl.create_default_context()).quit()
    assert local.auth_attempts == ["desk"]


def test_missing_settings_are_refused_before_anything_is_recorded(published: tuple[Settings, str]) -> None:
    settings, run_id = published
    with pytest.raises(ConfigError, match="INFERENCE_REPORT_SMTP_URL"):
        send(settings, run_id)
    with pytest.raises(ConfigError, match="INFERENCE_REPORT_MAIL_FROM"):
        send(settings.model_copy(update={"smtp_url": "smtp://127.0.0.1:25", "mail_from": None}), run_id)
    with pytest.raises(ConfigError, match="INFERENCE_REPORT_MAIL_TO"):
        send(settings.model_copy(update={"smtp_url": "smtp://127.0.0.1:25", "mail_to": ()}), run_id)
    with Store.open(settings.database) as store:
        assert store.sends(run_id) == []


def test_an_unpublished_run_is_not_sent(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    settings = settings.model_copy(
        update={"mail_from": SENDER, "mail_to": READERS, "smtp_url": "smtp://127.0.0.1:25"}
    )
    with pytest.raises(ReviewError, match="not published: publish it first"):
        send(settings, run_id)


def test_plain_text_spells_out_links_and_keeps_citation_markers() -> None:
    markdown = (
        "# The Inference Report\n\nQuartz raised $40 million \\*exclusive\\*.[\\[1\\]](https://news.example/q)\n\n"
        "- [Claude for small business](https://www.anthropic.com/news/x) · anthropic\\-news\n"
    )
    assert plain_text(markdown) == (
        "# The Inference Report\n\nQuartz raised $40 million *exclusive*.[1]\n\n"
        "- Claude for small business <https://www.anthropic.com/news/x> · anthropic-news\n"
    )


def test_publish_send_from_the_command_line(published: tuple[Settings, str]) -> None:
    settings, run_id = published
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "INFERENCE_REPORT_"))}
    with SmtpServer() as server:
        environ |= {
            "INFERENCE_REPORT_HOME": str(settings.home),
            "INFERENCE_REPORT_SMTP_URL": server.url(),
            "INFERENCE_REPORT_MAIL_FROM": SENDER,
            "INFERENCE_REPORT_MAIL_TO": "ana@example.org,bo@example.org",
            "COLUMNS": "200",
        }

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "agent", "publish", run_id, *args],
                cwd=ROOT,
                env=environ,
                capture_output=True,
                text=True,
                timeout=120,
            )

        first = run("--send", "--to", "cy@example.org")
        assert first.returncode == 0, first.stderr
        assert "sent: cy@example.org <" in first.stdout
        assert "sent to 1 reader\n" in first.stdout  # not "1 readers"
        again = run("--send", "--to", "cy@example.org")
        assert again.returncode == 0, again.stderr
        assert "skipped: cy@example.org: already sent" in again.stdout and "nothing sent" in again.stdout
        refused = run("--to", "cy@example.org")
        assert refused.returncode != 0 and "--to and --resend go with --send" in refused.stderr
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]
        environ["INFERENCE_REPORT_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
        unreachable = run("--send", "--to", "dee@example.org")
        assert "cannot reach the SMTP server" in unreachable.stderr
        # A runtime failure, not a usage error; the README says so too.
        assert unreachable.returncode == 1
        readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
        assert "an unreachable server is reported (exit 1)" in readme
    assert [r.rcpt_tos for r in server.received] == [["cy@example.org"]]
    assert Path(settings.home / "published" / "2026-11-26" / "email.html").exists()


def test_auto_publish_sends_when_configured(drafted: tuple[Settings, str]) -> None:
    from agent.decisions import decide
    from agent.review import DecisionRequest

    settings, _ = drafted
    with SmtpServer() as server:
        settings = settings.model_copy(
            update={
                "auto_publish": True,
                "auto_send": True,
                "smtp_url": server.url(),
                "mail_from": SENDER,
                "mail_to": READERS,
            }
        )
        # A run publishes on approval when it was drafted to: it keeps the auto-publish it started with.
        run_id = start_review_draft(settings.home, unsupported=True, settings=settings, force=True)
        request = DecisionRequest(decision="approve", reviewer="ana", override_reason="checked")
        outcome = asyncio.run(decide(settings, run_id, request))
    assert outcome.status == "published" and outcome.published is not None
    assert sorted(outcome.published["sent"]) == sorted(READERS)
    assert len(server.received) == 2
