"""The review app over HTTP (Starlette's TestClient: no sockets): access, CSRF, escaping, evidence, rules."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from agent.settings import Settings
from agent.store import Store
from agent.web import create_app
from tests.fakes.review_drafts import HOSTILE_TITLE, REFUSED_CLAIM_ID

TOKEN = "review-token-for-tests"
BASE = "http://127.0.0.1"


@pytest.fixture
def app_run(drafted: tuple[Settings, str]) -> tuple[Settings, str, TestClient]:
    settings, run_id = drafted
    return settings, run_id, TestClient(create_app(settings, token=TOKEN), base_url=BASE)


def login_csrf(client: TestClient) -> str:
    """Show the login form (which sets the pre-login cookie) and return its hidden token."""
    page = client.get("/login")
    found = re.search(r'name="login_csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def login(client: TestClient) -> None:
    data = {"token": TOKEN, "next": "/", "login_csrf": login_csrf(client)}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303


def form_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrf|revision_hash)" value="([^"]*)"', html))


def claim_path(run_id: str, claim_id: str) -> str:
    return f"/runs/{run_id}/claims/{quote(claim_id, safe='')}"


def test_every_page_needs_the_token(app_run: tuple[Settings, str, TestClient]) -> None:
    _, run_id, client = app_run
    item = quote("https://news.example/quartz-raises", safe="")
    pages = ["/", f"/runs/{run_id}", claim_path(run_id, REFUSED_CLAIM_ID), f"/runs/{run_id}/archive/{item}"]
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
    wrong = client.post("/login", data={"token": "nope", "next": "/", "login_csrf": login_csrf(client)})
    assert wrong.status_code == 401 and "not right" in wrong.text
    data = {"token": TOKEN, "next": f"/runs/{run_id}", "login_csrf": login_csrf(client)}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.headers["location"] == f"/runs/{run_id}"
    session_cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("ir_session="))
    assert (
        "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie and TOKEN not in session_cookie
    )
    assert client.get(f"/runs/{run_id}").status_code == 200
    away = client.post(
        "/login",
        data={"token": TOKEN, "next": "https://evil.example/", "login_csrf": login_csrf(client)},
        follow_redirects=False,
    )
    assert away.headers["location"] == "/"


def test_a_login_needs_the_login_forms_own_token(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    client = TestClient(create_app(settings, token=TOKEN), base_url=BASE)
    target = {"token": TOKEN, "next": f"/runs/{run_id}"}
    # Another site posting the right token (login CSRF) has neither the pre-login cookie nor its field.
    missing = client.post("/login", data=target, follow_redirects=False)
    assert missing.status_code == 403 and "enter the token again" in missing.text
    assert "ir_session" not in client.cookies
    shown = login_csrf(client)
    pre_login = client.get("/login").headers["set-cookie"]
    assert pre_login.startswith("ir_login=") and "HttpOnly" in pre_login and "SameSite=strict" in pre_login
    # Its last character changed (a token ending in "0" once made this "wrong" token the right one).
    altered = shown[:-1] + ("1" if shown.endswith("0") else "0")
    wrong = client.post("/login", data={**target, "login_csrf": altered}, follow_redirects=False)
    assert wrong.status_code == 403 and "ir_session" not in client.cookies
    # The field alone, without the cookie it was made for, is refused too.
    stranger = TestClient(create_app(settings, token=TOKEN), base_url=BASE)
    assert stranger.post("/login", data={**target, "login_csrf": shown}).status_code == 403
    # A pre-login cookie is never a session.
    forged = TestClient(create_app(settings, token=TOKEN), base_url=BASE)
    forged.cookies.set("ir_session", client.cookies["ir_login"])
    assert forged.get(f"/runs/{run_id}", headers={"accept": "*/*"}).status_code == 401
    right = client.post("/login", data={**target, "login_csrf": shown}, follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == f"/runs/{run_id}"
    assert client.get(f"/runs/{run_id}").status_code == 200
    # The Bearer path needs no form at all.
    bearer = TestClient(create_app(settings, token=TOKEN), base_url=BASE)
    assert bearer.get(f"/runs/{run_id}", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_forms_need_the_sessions_csrf_token(app_run: tuple[Settings, str, TestClient]) -> None:
    settings, run_id, client = app_run
    login(client)
    values = form_values(client.get(f"/runs/{run_id}").text)
    data = {"decision": "reject", "reviewer": "ana", "revision_hash": values["revision_hash"]}
    assert client.post(f"/runs/{run_id}/decision", data=data).status_code == 403
    assert client.post(f"/runs/{run_id}/decision", data={**data, "csrf": "forged"}).status_code == 403
    with Store.open(settings.database) as store:
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
    evidence = client.get(claim_path(run_id, REFUSED_CLAIM_ID))
    assert "<script>" not in evidence.text and "&lt;script&gt;" in evidence.text
    assert HOSTILE_TITLE.split("<")[0].strip() in evidence.text


def test_a_claims_evidence_marks_the_cited_passage_in_the_source_text(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    _, run_id, client = app_run
    login(client)
    evidence = client.get(claim_path(run_id, REFUSED_CLAIM_ID)).text
    assert "unsupported" in evidence and "the number 40 is not in the cited passage" in evidence
    marked = re.search(r"<mark>(.*?)</mark>", evidence, re.S)
    assert marked is not None and marked.group(1).startswith("Quartz Systems raised $40 million")
    assert "Quartz employs 85 people" in evidence  # the text around the passage
    assert 'href="https://news.example/quartz-raises"' in evidence
    assert f'href="/runs/{run_id}/archive/' in evidence
    assert client.get(claim_path(run_id, "lead:9:9")).status_code == 404


def test_a_sentence_is_edited_in_place_from_its_evidence_panel(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    settings, run_id, client = app_run
    login(client)
    evidence = client.get(claim_path(run_id, REFUSED_CLAIM_ID)).text
    assert 'id="edit-form"' in evidence and 'name="text"' in evidence
    values = form_values(evidence)
    action = f"/runs/{run_id}/edit/{quote(REFUSED_CLAIM_ID, safe='')}"
    rewrite = "Example News reports that Quartz Systems raised $45 million."
    # Without the session's CSRF token the edit is refused before anything is read.
    assert client.post(action, data={"text": rewrite, "action": "edit"}).status_code == 403
    saved = client.post(action, data={**values, "text": rewrite, "action": "edit"}, follow_redirects=False)
    assert saved.status_code == 303 and "checked%20unsupported" in saved.headers["location"]
    page = client.get(saved.headers["location"]).text
    assert "Edits by hand" in page and "$45 million" in page and "revision 2" in page
    # The form carried the revision it was shown on: a second edit from that stale form is refused.
    stale = client.post(action, data={**values, "text": "Anything.", "action": "edit"})
    assert stale.status_code == 409 and "The edit was not saved" in stale.text
    # A refusal names the page's own boxes, not the terminal's flags ("--text", "--delete").
    fresh = form_values(client.get(claim_path(run_id, REFUSED_CLAIM_ID)).text)
    empty = client.post(action, data={**fresh, "text": " ", "action": "edit"})
    assert empty.status_code == 409
    assert "needs the new text (&#34;The sentence&#34;), or &#34;Delete sentence&#34;" in empty.text
    with Store.open(settings.database) as store:
        [edit] = store.claim_edits(run_id)
    assert edit.new_text == rewrite and edit.editor == "desk (shared token)"  # who signed in


def test_a_run_without_a_draft_is_a_page_that_says_why(app_run: tuple[Settings, str, TestClient]) -> None:
    settings, _, client = app_run
    login(client)
    with Store.open(settings.database) as store:
        store.create_run("failed-run", edition_date=date(2026, 11, 19), writer="extractive", status="failed")
        store.set_run_report("failed-run", {"failure": "no source returned <any> item"})
    # "All runs" links it; following the link was a plain-text 404.
    assert 'href="/runs/failed-run"' in client.get("/").text
    missing = client.get("/runs/failed-run")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "no source returned &lt;any&gt; item" in missing.text  # the reason, escaped
    assert "draft --resume failed-run" in missing.text and 'href="/"' in missing.text


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
    with Store.open(settings.database) as store:
        [review] = store.reviews(run_id)
    # The shared token signed in: the name typed into the form is never recorded.
    assert (review.reviewer, review.override_reason) == ("desk (shared token)", "verified by phone")
    again = client.post(f"/runs/{run_id}/decision", data={**approve, "override": "x", "csrf": values["csrf"]})
    assert again.status_code == 409 and "not awaiting review" in again.text
    published = client.post(f"/runs/{run_id}/publish", data={"csrf": values["csrf"]}, follow_redirects=False)
    assert published.status_code == 303
    assert (settings.home / "published" / "2026-11-26" / "email.html").exists()


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
    assert f'href="{claim_path(run_id, REFUSED_CLAIM_ID)}"' in attention
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


def approve_on_the_page(client: TestClient, run_id: str) -> dict[str, str]:
    """Approve the drafted run (its unsupported claim needs an override); return the page's form values."""
    values = form_values(client.get(f"/runs/{run_id}").text)
    data = {"decision": "approve", "reviewer": "ana", "override": "checked by phone", **values}
    assert client.post(f"/runs/{run_id}/decision", data=data, follow_redirects=False).status_code == 303
    return values


def test_a_correction_starts_from_the_approved_page_and_comes_back_for_review(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    settings, run_id, client = app_run
    login(client)
    values = approve_on_the_page(client, run_id)
    approved = client.get(f"/runs/{run_id}").text
    assert 'id="correct-form"' in approved and 'action="/runs/' + run_id + '/correction"' in approved
    form = {"csrf": values["csrf"], "reviewer": "bo", "comment": "The round was $45 million"}
    assert client.post(f"/runs/{run_id}/correction", data={**form, "csrf": ""}).status_code == 403

    started = client.post(f"/runs/{run_id}/correction", data=form, follow_redirects=False)
    assert started.status_code == 303
    page = client.get(started.headers["location"]).text
    notice = page.split('id="notice"')[1].split("</p>")[0]
    assert "correction of revision 1 requested by desk (shared token)" in notice
    assert "the writer drafted revision 2, which is awaiting review" in notice
    assert 'id="run-status">awaiting review<' in page and "revision 2" in page
    assert 'id="decision-form"' in page and 'id="correct-form"' not in page
    history = page.split('id="history"')[1].split("</section>")[0]
    assert "approved (revision 1)" in history
    assert "correction requested (revision 1): The round was $45 million" in history
    with Store.open(settings.database) as store:
        assert store.get_run(run_id).status.value == "awaiting_review"
        assert store.latest_draft(run_id).revision == 2  # type: ignore[union-attr]
        [approval, correction] = store.reviews(run_id)
    assert (approval.decision, approval.revision) == ("approve", 1)
    assert (correction.reviewer, correction.comment) == ("desk (shared token)", "The round was $45 million")


def test_a_correction_without_a_comment_is_refused_with_the_services_message(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    settings, run_id, client = app_run
    login(client)
    values = approve_on_the_page(client, run_id)
    for comment in ("", "   "):
        refused = client.post(
            f"/runs/{run_id}/correction", data={"csrf": values["csrf"], "reviewer": "bo", "comment": comment}
        )
        assert refused.status_code == 409
        error = refused.text.split('id="decision-error"')[1].split("</p>")[0]
        # Worded for the page: the terminal's flag (--comment) is the page's comment box here.
        assert f"a correction of run {run_id} needs a comment saying what to correct" in error
        assert 'id="correct-form"' in refused.text  # still approved: the form is there to try again
    with Store.open(settings.database) as store:
        assert store.get_run(run_id).status.value == "approved"
        assert [r.decision for r in store.reviews(run_id)] == ["approve"]


def test_a_run_awaiting_review_has_no_correct_form_and_refuses_a_forged_one(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    settings, run_id, client = app_run
    login(client)
    page = client.get(f"/runs/{run_id}").text
    assert 'id="correct-form"' not in page and "/correction" not in page
    forged = {"csrf": form_values(page)["csrf"], "reviewer": "bo", "comment": "Rewrite the lead"}
    refused = client.post(f"/runs/{run_id}/correction", data=forged)
    assert refused.status_code == 409
    assert "awaiting review, not approved or published" in refused.text
    with Store.open(settings.database) as store:
        assert store.get_run(run_id).status.value == "awaiting_review"
        assert store.reviews(run_id) == []
    assert client.post("/runs/no-such-run/correction", data=forged).status_code == 404
    assert (
        TestClient(create_app(settings, token=TOKEN), base_url=BASE)
        .post(f"/runs/{run_id}/correction", data=forged)
        .status_code
        == 401
    )


def test_the_correction_notice_says_what_comes_next() -> None:
    from agent.web._decisions import correction_notice

    stopped = correction_notice("r1", corrected=1, reviewer="bo", new_revision=1, status="running")
    assert stopped.startswith("correction of revision 1 requested by bo. Run r1 is running")
    assert "inference-report draft --resume r1" in stopped
    done = correction_notice("r1", corrected=1, reviewer="bo", new_revision=2, status="awaiting_review")
    assert "revision 2, which is awaiting review" in done and "revision 1 stays as it was" in done


def test_a_run_stopped_before_review_says_how_to_continue_it(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    settings, run_id, client = app_run
    login(client)
    with Store.open(settings.database) as store:
        store.set_run_status(run_id, "running")  # as a correction left it when its process died
    page = client.get(f"/runs/{run_id}").text
    steps = page.split('id="next"')[1].split("</section>")[0]
    assert f"Run {run_id} is running: it did not reach review." in steps
    assert f'<pre class="command">inference-report draft --resume {run_id}</pre>' in steps
    assert 'id="decision-form"' not in page and 'id="correct-form"' not in page


def test_a_correction_the_extractive_writer_cannot_follow_says_so_in_the_writer_notes(
    app_run: tuple[Settings, str, TestClient],
) -> None:
    _, run_id, client = app_run
    login(client)
    before = client.get(f"/runs/{run_id}").text
    assert 'id="writer-notes"' not in before  # the first draft had nothing to say
    values = approve_on_the_page(client, run_id)
    comment = "The round was <b>$45 million</b>"
    form = {"csrf": values["csrf"], "reviewer": "bo", "comment": comment}
    page = client.post(f"/runs/{run_id}/correction", data=form).text
    assert "revision 2" in page
    notes = page.split('id="writer-notes"')[1].split("</section>")[0]
    assert "<h2>Writer notes</h2>" in notes
    assert "cannot follow the comment" in notes
    assert "The round was &lt;b&gt;$45 million&lt;/b&gt;" in notes and "<b>" not in notes  # escaped
    assert "--writer claude" in notes
    # In the side panel, above the decision form the reviewer is about to use.
    panel = page.split('<aside class="panel">')[1]
    assert 'id="writer-notes"' in panel and panel.index("writer-notes") < panel.index('id="decision-form"')


def test_refusals_worded_for_the_cli_are_worded_for_the_page() -> None:
    from agent.web._wording import move_class, web_wording

    cli = (
        "2 claim(s) are unsupported, uncited or flagged (lead:0:0): "
        'approve with --override "reason", or request changes'
    )
    assert web_wording(cli).endswith('write why in "Override reason" and approve again, or request changes')
    stale = "run r changed since you looked: review it again with `inference-report review r` and then decide"
    assert web_wording(stale).endswith("reload this page to see the latest revision, then decide")
    assert "--" not in web_wording("a decision needs a reviewer name (--reviewer or the reviewer setting)")
    # Publishing over a published date, or deciding a published run: the correction, as the page offers it.
    taken = (
        "the edition of 2026-11-26 was published from run r1: correct that run "
        "(inference-report review r1 --correct --comment ...) rather than publishing run r2 over it"
    )
    assert web_wording(taken) == (
        'the edition of 2026-11-26 was published from run r1: correct that run ("Start a correction" on the '
        "page of run r1) rather than publishing run r2 over it"
    )
    done = 'nothing to decide; to change it, correct it: inference-report review r1 --correct --comment "x"'
    for refusal in (
        "an edit needs the new text (--text), or --delete to remove the sentence",
        "a new citation needs both the item (--cite ITEM_ID) and its passage (--quote TEXT)",
        "nothing was recorded. Set the key and ask again; --approve and --reject need no key",
        "a signed-off edition is corrected (decide this one with --approve, --reject or --request-changes)",
    ):
        assert "--" not in web_wording(refusal), web_wording(refusal)
    assert web_wording(done).endswith('correct it: "Start a correction" on the page of run r1')
    assert [move_class(m) for m in ("▲2", "▼1", "new", "–")] == ["move-up", "move-down", "move-new", ""]


def test_published_files_link_to_the_site() -> None:
    from agent.web._drafts import published_links

    paths = {
        "page": "/h/published/2026-11-26/index.html",
        "email": "/h/published/2026-11-26/email.html",
        "feed": "/h/published/feed.xml",
    }
    assert published_links(paths, "https://r.example/") == {
        "page": "https://r.example/2026-11-26/",
        "email": "https://r.example/2026-11-26/email.html",
        "feed": "https://r.example/feed.xml",
    }
    assert published_links(paths, None) == {}
