"""Issue 17, item 8: scoped bearer tokens for write routes (``admin``, ``ingest``): 401 with
``WWW-Authenticate: Bearer`` without a token, 403 for a wrong token or a missing scope, the
scheme declared in OpenAPI, and ``require_scope`` reusable by other routes (the upload API)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import httpx
import pytest
from fastapi import Depends

from index.build import build_index
from index.embed import HashEmbedder
from service.app import create_app
from service.auth import require_scope
from service.settings import Settings
from tests.servers import served

pytestmark = pytest.mark.reliability
ROOT = Path(__file__).resolve().parents[2]
ADMIN, INGEST, LISTED_INGEST, LISTED_BOTH = "adm-17-token", "ing-17-token", "k3-17", "k4-17"


@pytest.fixture(scope="module")
def hash_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tokens-index")
    build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash")
    return root


def _app(index: Path, **tokens: str):  # type: ignore[no-untyped-def]
    app = create_app(Settings(index_dir=index, **tokens))

    # what the upload endpoint of "Real documents in" will do
    @app.post("/v1/test-ingest")
    async def ingest(scopes: Annotated[frozenset[str], Depends(require_scope("ingest"))]) -> dict:  # type: ignore[type-arg]
        return {"scopes": sorted(scopes)}

    return app


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_scopes_and_statuses(hash_index: Path) -> None:
    app = _app(hash_index, admin_token=ADMIN, ingest_token=INGEST,
               tokens=f"{LISTED_INGEST}:ingest, {LISTED_BOTH}:admin+ingest")
    with served(app) as base, httpx.Client(base_url=base) as client:
        for path in ("/v1/admin/reload", "/v1/test-ingest"):
            for headers in ({}, {"Authorization": ADMIN}, {"Authorization": f"Basic {ADMIN}"}):
                missing = client.post(path, headers=headers)
                assert missing.status_code == 401, (path, headers)
                assert missing.headers["WWW-Authenticate"].startswith("Bearer")
                assert missing.json()["error"]["code"] == "missing_token"
            wrong = client.post(path, headers=_bearer("not-a-token"))
            assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "bad_token"
            in_url = client.post(f"{path}?token={ADMIN}", headers=_bearer(ADMIN))
            assert in_url.status_code == 403 and ADMIN not in in_url.text
        for token in (INGEST, LISTED_INGEST):
            lacking = client.post("/v1/admin/reload", headers=_bearer(token))
            assert lacking.status_code == 403
            assert lacking.json()["error"]["code"] == "insufficient_scope"
            assert client.post("/v1/test-ingest", headers=_bearer(token)).json() == {
                "scopes": ["ingest"]}
        for token in (ADMIN, LISTED_BOTH):
            assert client.post("/v1/admin/reload", headers=_bearer(token)).status_code == 200
            assert client.post("/v1/test-ingest", headers=_bearer(token)).json() == {
                "scopes": ["admin", "ingest"]}
        for response in (client.post("/v1/admin/reload"), client.post("/v1/test-ingest",
                                                                      headers=_bearer("x"))):
            body = response.json()
            assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
            assert all(t not in response.text for t in (ADMIN, INGEST, LISTED_INGEST, LISTED_BOTH))


def test_without_tokens_the_write_routes_are_off(hash_index: Path) -> None:
    with served(_app(hash_index)) as base:
        reload = httpx.post(base + "/v1/admin/reload", headers=_bearer("anything"))
        assert reload.status_code == 403 and reload.json()["error"]["code"] == "admin_disabled"
        ingest = httpx.post(base + "/v1/test-ingest")
        assert ingest.status_code == 403 and ingest.json()["error"]["code"] == "scope_disabled"
    with served(_app(hash_index, ingest_token=INGEST)) as base:  # ingest on, admin still off
        reload = httpx.post(base + "/v1/admin/reload", headers=_bearer(INGEST))
        assert reload.status_code == 403 and reload.json()["error"]["code"] == "admin_disabled"


def test_openapi_declares_the_bearer_scheme(hash_index: Path) -> None:
    with served(_app(hash_index, admin_token=ADMIN)) as base:
        schema = httpx.get(base + "/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    reload = schema["paths"]["/v1/admin/reload"]["post"]
    assert reload["security"] == [{"bearerAuth": []}]
    assert {"401", "403"} <= set(reload["responses"])
    assert schema["paths"]["/v1/test-ingest"]["post"]["security"] == [{"bearerAuth": []}]
    assert "security" not in schema["paths"]["/v1/ask"]["post"]
