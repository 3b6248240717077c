"""Bearer tokens with scopes for the write routes: ``require_scope("admin")``, ``require_scope("ingest")``.

Tokens come from the settings (environment), never from a request:

- ``POLICYQA_ADMIN_TOKEN``: scopes ``admin`` and ``ingest``;
- ``POLICYQA_INGEST_TOKEN``: scope ``ingest`` only (an uploader that cannot reload or administer);
- ``POLICYQA_TOKENS``: more tokens, comma-separated ``token:scope[+scope]`` pairs, e.g.
  ``"k1:ingest,k2:admin+ingest"`` (several tokens per scope let a token be rotated).

Outcomes: no ``Authorization: Bearer`` credential → 401 with ``WWW-Authenticate: Bearer``; a token
that is not configured, or that lacks the scope → 403; no token configured for the scope at all →
403 ``scope_disabled`` (``admin_disabled`` for admin): the route is off. A token sent in the URL
(``?token=``) is refused with 403 and never compared. Every configured token is compared with
``hmac.compare_digest`` (no early exit), and no token is ever echoed or logged.

The OpenAPI schema declares the scheme (``bearerAuth``: HTTP bearer) on every route that uses it.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.errors import Forbidden, Unauthorized
from service.settings import Settings

SCOPES = ("admin", "ingest")
bearer = HTTPBearer(auto_error=False, scheme_name="bearerAuth",
                    description="Authorization: Bearer <token>. POLICYQA_ADMIN_TOKEN has scopes "
                                "admin and ingest; POLICYQA_INGEST_TOKEN (or a POLICYQA_TOKENS "
                                "entry token:ingest) has ingest only.")


def configured_tokens(settings: Settings) -> list[tuple[str, frozenset[str]]]:
    """(token, scopes) for every token the settings configure."""
    tokens: list[tuple[str, frozenset[str]]] = []
    if settings.admin_token:
        tokens.append((settings.admin_token, frozenset(SCOPES)))
    if settings.ingest_token:
        tokens.append((settings.ingest_token, frozenset({"ingest"})))
    for entry in (settings.tokens or "").split(","):
        token, _, scopes = entry.strip().rpartition(":")
        granted = frozenset(s for s in scopes.split("+") if s in SCOPES)
        if token and granted:
            tokens.append((token, granted))
    return tokens


def scopes_of(settings: Settings, given: str) -> frozenset[str] | None:
    """The scopes ``given`` grants, or ``None`` when it matches no configured token. Compares
    against every token in constant time per token."""
    found: frozenset[str] | None = None
    for token, scopes in configured_tokens(settings):
        if hmac.compare_digest(given.encode("utf-8", "surrogatepass"), token.encode()):
            found = scopes if found is None else found | scopes
    return found


def require_scope(scope: str) -> Callable[..., frozenset[str]]:
    """A FastAPI dependency that admits a request carrying a bearer token with ``scope``;
    it returns the token's scopes. Use: ``dependencies=[Depends(require_scope("ingest"))]`` or
    a parameter ``scopes: Annotated[frozenset[str], Depends(require_scope("ingest"))]``."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}: one of {SCOPES}")

    def check(request: Request, credentials: Annotated[
            HTTPAuthorizationCredentials | None, Depends(bearer)]) -> frozenset[str]:
        settings: Settings = request.app.state.settings
        if not any(scope in scopes for _, scopes in configured_tokens(settings)):
            code = "admin_disabled" if scope == "admin" else "scope_disabled"
            variable = "POLICYQA_ADMIN_TOKEN" if scope == "admin" else \
                "POLICYQA_INGEST_TOKEN or POLICYQA_ADMIN_TOKEN"
            raise Forbidden(f"{scope} routes are disabled: set {variable} to enable them", code=code)
        if any(request.query_params.get(k) for k in ("token", "access_token", "api_key")):
            raise Forbidden("send the token in the Authorization header, never in the URL",
                            code="token_in_url")
        if credentials is None or not credentials.credentials:
            raise Unauthorized(f"this route needs a bearer token with the {scope!r} scope "
                               "(Authorization: Bearer <token>)", code="missing_token")
        granted = scopes_of(settings, credentials.credentials)
        if granted is None:
            raise Forbidden("wrong token", code="bad_token")
        if scope not in granted:
            raise Forbidden(f"this token lacks the {scope!r} scope", code="insufficient_scope")
        return granted

    check.__name__ = f"require_{scope}_scope"
    return check


__all__ = ["SCOPES", "configured_tokens", "require_scope", "scopes_of"]
