from tests.fakes.review_drafts import copy_drafted, drafted, drafted_template

__all__ = ["copy_drafted", "drafted", "drafted_template"]
