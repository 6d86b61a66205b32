"""The review page (``inference-report serve``): drafts with claims coloured by verdict, the evidence
behind each claim one click away, the decision forms and the correction of an approved edition, behind
the reviewer token.

    app = create_app(settings, token=token)   # a Starlette app; serve it with uvicorn
"""

from agent.web._app import create_app

__all__ = ["create_app"]
