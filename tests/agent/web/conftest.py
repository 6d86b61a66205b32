from tests.fakes.review_drafts import drafted, drafted_template

__all__ = ["drafted", "drafted_template"]
