"""The review app over HTTP (Starlette's TestClient: no sockets): access, CSRF, escaping, evidence, rules."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from agent.settings import Settings
from agent.store import Store
from agent.web import create_app
from tests.fakes.review_drafts import HOSTILE_TITLE

TOKEN = "review-token-for-tests"
BASE = "http://127.0.0.1"


@pytest.fixture
def app_run(drafted: tuple[Settings, str]) -> tuple[Settings, str, TestClient]:
    settings, run_id = drafted
    return settings, run_id, TestClient(create_app(settings, token=TOKEN), base_url=BASE)


def login(client: TestClient) -> None:
    response = client.post("/login", data={"token": TOKEN, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303


def form_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrf|revision_hash)" value="([^"]*)"', html))


def claim_path(run_id: str, claim_id: str) -> str:
    return f"/runs/{run_id}/claims/{quote(claim_id, safe='')}"


def test_every_page_needs_the_token(app_run: tuple[Settings, str, TestClient]) -> None:
    _, run_id, client = app_run
    item = quote("https://news.example/quartz-raises", safe="")
    pages = ["/", f"/runs/{run_id}", claim_path(run_id, "lead:0:0"), f"/runs/{run_id}/archive/{item}"]
    for path in pages:
        browser = client.get(path, headers={"accept": "text/html"}, follow_redirects=False)
        assert browser.status_code == 303 and browser.headers["location"].startswith("/login?next=")
        assert client.get(path, headers={"accept": "*/*"}).status_code == 401
        assert client.get(path, headers={"authorization": "Bearer wrong"}).status_code == 401
        assert client.get(path, headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
    for path in (f"/runs/{run_id}/decision", f"/runs/{run_id}/publish", "/logout"):
        assert client.post(path, data={"decision": "approve"}).status_code == 401


def test_login_sets_a_signed_httponly_samesite_strict_cookie(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    _, run_id, client = app_run
    wrong = client.post("/login", data={"token": "nope", "next": "/"})
    assert wrong.status_code == 401 and "not right" in wrong.text
    response = client.post("/login", data={"token": TOKEN, "next": f"/runs/{run_id}"}, follow_redirects=False)
    assert response.headers["location"] == f"/runs/{run_id}"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN not in cookie
    assert client.get(f"/runs/{run_id}").status_code == 200
    away = client.post(
        "/login", data={"token": TOKEN, "next": "https://evil.example/"}, follow_redirects=False
    )
    assert away.headers["location"] == "/"


def test_forms_need_the_sessions_csrf_token(app_run: tuple[Settings, str, TestClient]) -> None:
    settings, run_id, client = app_run
    login(client)
    values = form_values(client.get(f"/runs/{run_id}").text)
    data = {"decision": "reject", "reviewer": "ana", "revision_hash": values["revision_hash"]}
    assert client.post(f"/runs/{run_id}/decision", data=data).status_code == 403
    assert client.post(f"/runs/{run_id}/decision", data={**data, "csrf": "forged"}).status_code == 403
    with Store.open(settings.database_path) as store:
        assert store.reviews(run_id) == []
    ok = client.post(
        f"/runs/{run_id}/decision", data={**data, "csrf": values["csrf"]}, follow_redirects=False
    )
    assert ok.status_code == 303


def test_what_came_from_a_source_is_shown_as_text(app_run: tuple[Settings, str, TestClient]) -> None:
    _, run_id, client = app_run
    login(client)
    page = client.get(f"/runs/{run_id}")
    assert "<script>window.__pwned" not in page.text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    evidence = client.get(claim_path(run_id, "lead:0:0"))
    assert "<script>" not in evidence.text and "&lt;script&gt;" in evidence.text
    assert HOSTILE_TITLE.split("<")[0].strip() in evidence.text


def test_a_claims_evidence_marks_the_cited_passage_in_the_source_text(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    _, run_id, client = app_run
    login(client)
    evidence = client.get(claim_path(run_id, "lead:0:0")).text
    assert "unsupported" in evidence and "the number 40 is not in the cited passage" in evidence
    marked = re.search(r"<mark>(.*?)</mark>", evidence, re.S)
    assert marked is not None and marked.group(1).startswith("Quartz Systems raised $40 million")
    assert "Quartz employs 85 people" in evidence  # the text around the passage
    assert 'href="https://news.example/quartz-raises"' in evidence
    assert f'href="/runs/{run_id}/archive/' in evidence
    assert client.get(claim_path(run_id, "lead:9:9")).status_code == 404


def test_the_archived_copy_is_inert_text(app_run: tuple[Settings, str, TestClient]) -> None:
    _, run_id, client = app_run
    login(client)
    item_id = quote("https://news.example/quartz-raises", safe="")
    archived = client.get(f"/runs/{run_id}/archive/{item_id}")
    assert archived.status_code == 200
    assert archived.headers["content-type"].startswith("text/plain")
    assert archived.headers["content-security-policy"].startswith("sandbox")
    assert archived.headers["x-content-type-options"] == "nosniff"
    assert "Archived copy of https://news.example/feed.xml" in archived.text
    assert "<rss" in archived.text  # the body as fetched, as text
    assert (
        client.get(f"/runs/{run_id}/archive/{quote('https://nowhere.example/', safe='')}").status_code == 404
    )
    assert client.get(f"/runs/..%2F..%2Fetc/archive/{item_id}").status_code == 404


def test_decisions_follow_the_same_rules_as_the_terminal(app_run: tuple[Settings, str, TestClient]) -> None:
    settings, run_id, client = app_run
    login(client)
    values = form_values(client.get(f"/runs/{run_id}").text)
    approve = {"decision": "approve", "reviewer": "ana", **values}
    refused = client.post(f"/runs/{run_id}/decision", data=approve)
    assert refused.status_code == 409
    assert "unsupported, uncited or flagged" in refused.text
    stale = client.post(
        f"/runs/{run_id}/decision", data={**approve, "override": "ok", "revision_hash": "sha256:" + "0" * 64}
    )
    assert stale.status_code == 409 and "changed since you looked" in stale.text
    done = client.post(
        f"/runs/{run_id}/decision", data={**approve, "override": "verified by phone"}, follow_redirects=False
    )
    assert done.status_code == 303
    page = client.get(done.headers["location"])
    assert "approve recorded" in page.text and "verified by phone" in page.text
    with Store.open(settings.database_path) as store:
        [review] = store.reviews(run_id)
    assert (review.reviewer, review.override_reason) == ("ana", "verified by phone")
    again = client.post(f"/runs/{run_id}/decision", data={**approve, "override": "x", "csrf": values["csrf"]})
    assert again.status_code == 409 and "not awaiting review" in again.text
    published = client.post(f"/runs/{run_id}/publish", data={"csrf": values["csrf"]}, follow_redirects=False)
    assert published.status_code == 303
    assert (settings.home / "published" / run_id / "edition.html").exists()


def test_the_index_lists_drafts_awaiting_review(app_run: tuple[Settings, str, TestClient]) -> None:
    _, run_id, client = app_run
    page = client.get("/", headers={"authorization": f"Bearer {TOKEN}"})
    assert f'href="/runs/{run_id}"' in page.text and "1 unsupported" in page.text


def test_the_app_needs_a_token(drafted: tuple[Settings, str]) -> None:
    with pytest.raises(ValueError):
        create_app(drafted[0], token="")


def test_requesting_changes_brings_a_new_revision_back_for_review(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    _, run_id, client = app_run
    login(client)
    values = form_values(client.get(f"/runs/{run_id}").text)
    data = {"decision": "request_changes", "reviewer": "ana", **values}
    no_comment = client.post(f"/runs/{run_id}/decision", data=data)
    assert no_comment.status_code == 409 and "saying what to change" in no_comment.text
    sent = client.post(f"/runs/{run_id}/decision", data={**data, "comment": "Drop the funding line"})
    assert sent.status_code == 200  # followed the redirect to the new revision
    assert "revision 2" in sent.text and "awaiting review" in sent.text
    assert "Drop the funding line" in sent.text  # in the decision history
    # The old form's revision is stale now.
    old = client.post(f"/runs/{run_id}/decision", data={**data, "decision": "reject"})
    assert old.status_code == 409 and "changed since you looked" in old.text


def test_the_claims_that_block_approval_are_listed_by_the_decision_form(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    _, run_id, client = app_run
    login(client)
    page = client.get(f"/runs/{run_id}").text
    attention = page.split('id="attention"')[1].split("</ol>")[0]
    # The unsupported claim is one click from its evidence; the supported one is not listed.
    assert f'href="{claim_path(run_id, "lead:0:0")}"' in attention
    assert "unsupported, flagged" in attention and "Quartz Systems raised $40 million" in attention
    assert "Meridian Labs" not in attention
    assert "1 claim is unsupported, uncited or flagged" in page


def test_the_decision_history_reads_as_past_decisions(app_run: tuple[Settings, str, TestClient]) -> None:
    _, run_id, client = app_run
    login(client)
    values = form_values(client.get(f"/runs/{run_id}").text)
    data = {"decision": "request_changes", "reviewer": "ana", "comment": "Drop the funding line", **values}
    page = client.post(f"/runs/{run_id}/decision", data=data).text
    history = page.split('id="history"')[1].split("</section>")[0]
    assert "changes requested (revision 1)" in history and "request changes" not in history
