from __future__ import annotations

import pytest

from agent.settings import Settings, load_settings
from tools.fetching.policy import DEFAULT_USER_AGENT, FetchPolicy, HostPoliteness, policy_from_settings


def test_defaults_are_polite_and_the_robots_token_is_the_product_name() -> None:
    policy = FetchPolicy()
    assert policy.user_agent == DEFAULT_USER_AGENT
    assert policy.robots_token == "InferenceReport"
    assert policy.per_host_concurrency <= 2 and policy.per_host_delay >= 1.0


@pytest.mark.parametrize(
    "bad",
    [
        {"global_concurrency": 0},
        {"per_host_concurrency": 0},
        {"retry_attempts": 0},
        {"read_timeout": 0},
        {"per_host_delay": -1},
        {"max_redirects": -1},
        {"user_agent": " "},
    ],
)
def test_nonsense_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="FetchPolicy"):
        FetchPolicy(**bad)  # type: ignore[arg-type]


def test_the_user_agent_comes_from_the_settings_contact() -> None:
    policy = policy_from_settings(Settings(contact="mailto:desk@example.org"))
    assert policy.user_agent == "InferenceReport/0.1 (+mailto:desk@example.org)"
    assert FetchPolicy().user_agent == Settings().user_agent  # the default contact matches


def test_politeness_comes_from_the_settings_and_the_defaults_stay_polite() -> None:
    default = policy_from_settings(Settings())
    assert (default.per_host_concurrency, default.per_host_delay, default.global_concurrency) == (2, 1.0, 16)
    settings = load_settings(
        {"INFERENCE_REPORT_FETCH_PER_HOST_DELAY": "0", "INFERENCE_REPORT_FETCH_PER_HOST_CONCURRENCY": "5"}
    )
    policy = policy_from_settings(settings, per_host={"slow.example": HostPoliteness(per_host_delay=4.0)})
    assert (policy.per_host_delay, policy.per_host_concurrency) == (0.0, 5)
    assert (policy.delay_for("slow.example"), policy.concurrency_for("slow.example")) == (4.0, 5)
    assert (policy.delay_for("other.example"), policy.concurrency_for("other.example")) == (0.0, 5)
