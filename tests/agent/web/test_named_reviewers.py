"""Named reviewers on the review page: the audit trail records who signed in, never a typed name; an
editor reads but does not decide; a removed reviewer's session stops working."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from agent.reviewers import add_reviewer
from agent.settings import Settings
from agent.store import Store
from agent.web import create_app

SHARED = "shared-desk-token-for-tests"
BASE = "http://127.0.0.1"


def _login(client: TestClient, token: str) -> int:
    page = client.get("/login")
    found = re.search(r'name="login_csrf" value="([^"]+)"', page.text)
    assert found is not None
    data = {"token": token, "next": "/", "login_csrf": found.group(1)}
    return client.post("/login", data=data, follow_redirects=False).status_code


def _values(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrf|revision_hash)" value="([^"]*)"', html))


def test_the_signed_in_reviewer_is_recorded_never_the_typed_name(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        ana = add_reviewer(store, "Ana Lima", "reviewer")
        assert store.reviewer("Ana Lima") is not None and ana not in str(store.reviewers())
    client = TestClient(create_app(settings, token=SHARED), base_url=BASE)
    # The login page tells a named reviewer that their own token goes here, not only the desk's.
    assert "<code>inference-report reviewers add</code>" in client.get("/login").text
    assert _login(client, "not-a-token-anyone-has") == 401
    assert _login(client, ana) == 303
    page = client.get(f"/runs/{run_id}")
    assert "Recorded as <strong>Ana Lima</strong>" in page.text and 'name="reviewer"' not in page.text
    form = {"decision": "reject", "reviewer": "The CEO (verified)", "comment": "no", **_values(page.text)}
    assert client.post(f"/runs/{run_id}/decision", data=form, follow_redirects=False).status_code == 303
    with Store.open(settings.database) as store:
        assert [r.reviewer for r in store.reviews(run_id)] == ["Ana Lima"]


def test_an_editor_reads_but_may_not_decide_and_a_removed_reviewer_is_signed_out(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        ed = add_reviewer(store, "Ed", "editor")
        bo = add_reviewer(store, "Bo", "reviewer")
    editor = TestClient(create_app(settings, token=SHARED), base_url=BASE)
    assert _login(editor, ed) == 303
    page = editor.get(f"/runs/{run_id}")
    assert page.status_code == 200
    assert 'id="editor-note"' in page.text and 'id="decision-form"' not in page.text
    with Store.open(settings.database) as store:
        latest = store.latest_draft(run_id)
    assert latest is not None
    form = {"decision": "reject", "csrf": _values(page.text)["csrf"], "revision_hash": latest.revision_hash}
    refused = editor.post(f"/runs/{run_id}/decision", data=form, follow_redirects=False)
    assert refused.status_code == 403 and "editor" in refused.text
    assert editor.post(f"/runs/{run_id}/publish", data=form).status_code == 403
    # By bearer token too: Bo decides, the editor's bearer is refused.
    api = TestClient(create_app(settings, token=SHARED), base_url=BASE)
    headers = {"authorization": f"Bearer {ed}"}
    assert api.post(f"/runs/{run_id}/decision", data=form, headers=headers).status_code == 403
    with Store.open(settings.database) as store:
        assert store.reviews(run_id) == []
        assert store.remove_reviewer("Ed")
    assert editor.get(f"/runs/{run_id}", follow_redirects=False).status_code == 401
    done = api.post(
        f"/runs/{run_id}/decision",
        data={"decision": "reject", "revision_hash": form["revision_hash"]},
        headers={"authorization": f"Bearer {bo}"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with Store.open(settings.database) as store:
        assert [r.reviewer for r in store.reviews(run_id)] == ["Bo"]
