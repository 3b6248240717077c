"""Adding and removing documents on a running service, over real HTTP (uvicorn in a thread), on a
small index of this module's own; plus ``policyqa add`` / ``remove`` / ``build`` keeping them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import served
from tests.uploads_helpers import (
    ADMIN_TOKEN,
    DRONE_TXT,
    GREENHOUSE_MD,
    INGEST_TOKEN,
    LIBRARY_HTML,
    docx_bytes,
    settings_for,
    small_index,
)

AUTH = {"Authorization": f"Bearer {INGEST_TOKEN}"}
STATUSES = {"in_force", "expired", "repealed", "draft", "unknown"}
MAX_UPLOAD = 3 * 1024 * 1024  # above the 1 MiB general body limit, to show the route's own


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return small_index(tmp_path_factory.mktemp("uploads"))


@pytest.fixture(scope="module")
def base(paths: tuple[Path, Path]) -> Iterator[str]:
    from service.app import create_app

    corpus, index = paths
    with served(create_app(settings_for(corpus, index, max_upload_bytes=MAX_UPLOAD))) as url:
        yield url


@pytest.fixture(scope="module")
def http(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=300) as client:
        yield client


def _doc_ids(http: httpx.Client) -> set[str]:
    response = http.get("/v1/documents")
    assert response.status_code == 200
    return {d["doc_id"] for d in response.json()}


def _assert_error(response: httpx.Response, status: int) -> dict:  # type: ignore[type-arg]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body["error"]) >= {"code", "message"}
    assert "Traceback" not in response.text and "/tmp" not in response.text
    return body


def test_upload_ingests_each_format_and_answers_from_it(http: httpx.Client,
                                                        paths: tuple[Path, Path]) -> None:
    before = _doc_ids(http)
    files = [("files", ("drone.txt", DRONE_TXT.encode(), "text/plain")),
             ("files", ("greenhouse.md", GREENHOUSE_MD.encode(), "text/markdown")),
             ("files", ("library.html", LIBRARY_HTML.encode(), "text/html")),
             ("files", ("after-school.docx", docx_bytes(), "application/octet-stream"))]
    response = http.post("/v1/documents", files=files, headers=AUTH)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ingested"] == 4 and body["skipped"] == 0 and body["built"] is True
    by_file = {f["file"]: f for f in body["files"]}
    for name, title in [("drone.txt", "关于支持低空经济无人机产业发展的若干措施"),
                        ("greenhouse.md", "关于推进智慧温室大棚建设的通知"),
                        ("library.html", "关于开展社区书屋夜间开放试点的通知"),
                        ("after-school.docx", "关于实施中小学课后托管服务质量提升行动的通知")]:
        item = by_file[name]
        assert item["outcome"] == "ingested" and item["reason"] is None
        assert item["title"] == title and item["status"] in STATUSES and item["clauses"] >= 2
    assert by_file["drone.txt"]["doc_number"] == "临政发〔2025〕7号"
    assert response.headers["x-index-generation"] == body["generation"]

    # The running service serves the new generation: listed, searchable, answerable.
    ids = _doc_ids(http)
    assert ids == before | {"drone", "greenhouse", "library", "after-school"}
    hits = http.post("/v1/search", json={"query": "无人机整机制造企业补助最高多少"}).json()["hits"]
    assert hits[0]["doc_id"] == "drone"
    answer = http.post("/v1/ask", json={"question": "社区书屋夜间开放到几点？"}).json()
    assert answer["answerable"] and answer["citations"][0]["doc_id"] == "library"
    assert "21时" in answer["answer"]
    assert http.get("/readyz").json()["generation"] == body["generation"]

    # The originals are kept beside the index, one folder per document.
    _, index = paths
    assert (index / "originals" / "drone" / "drone.txt").read_text("utf-8") == DRONE_TXT
    assert (index / "originals" / "after-school" / "after-school.docx").is_file()


def test_the_same_file_again_is_skipped_with_the_reason(http: httpx.Client) -> None:
    generation = http.get("/readyz").json()["generation"]
    response = http.post("/v1/documents", headers=AUTH,
                         files=[("files", ("drone.txt", DRONE_TXT.encode()))])
    assert response.status_code == 200, response.text
    item = response.json()["files"][0]
    assert item["outcome"] == "skipped" and "unchanged" in item["reason"]
    assert item["doc_id"] == "drone" and item["title"] and item["status"] in STATUSES
    assert response.json()["built"] is False
    # the same text under another name is a duplicate: skipped, nothing built
    again = http.post("/v1/documents", headers=AUTH,
                      files=[("files", ("drone-copy.txt", DRONE_TXT.encode()))]).json()
    assert again["files"][0]["outcome"] == "skipped"
    assert "duplicate" in again["files"][0]["reason"] and "/" not in again["files"][0]["reason"]
    assert http.get("/readyz").json()["generation"] == generation


def test_unsupported_type_is_415_and_adds_nothing(http: httpx.Client,
                                                  paths: tuple[Path, Path]) -> None:
    before = _doc_ids(http)
    generation = http.get("/readyz").json()["generation"]
    response = http.post("/v1/documents", headers=AUTH, files=[
        ("files", ("good.txt", "关于做好冬季供暖保障工作的通知\n一、供暖时间为11月15日至次年3月15日。\n".encode())),
        ("files", ("old.doc", b"\xd0\xcf\x11\xe0 legacy word"))])
    body = _assert_error(response, 415)
    assert body["error"]["code"] == "unsupported_type"
    assert "old.doc" in body["error"]["message"] and ".docx" in body["error"]["message"]
    outcomes = {f["file"]: f["outcome"] for f in body["files"]}
    assert outcomes == {"good.txt": "not_added", "old.doc": "refused"}
    assert _doc_ids(http) == before and http.get("/readyz").json()["generation"] == generation
    assert not (paths[1] / "originals" / "good").exists()


def test_broken_docx_is_422_naming_it_and_adds_nothing(http: httpx.Client,
                                                       paths: tuple[Path, Path]) -> None:
    before = _doc_ids(http)
    response = http.post("/v1/documents", headers=AUTH, files=[
        ("files", ("fine.md", "# 关于加强校园食品安全管理的通知\n\n一、每周开展一次食堂检查。\n".encode())),
        ("files", ("broken.docx", b"PK\x03\x04 this is not a zip archive"))])
    body = _assert_error(response, 422)
    assert body["error"]["code"] == "unparseable_file" and "broken.docx" in body["error"]["message"]
    assert _doc_ids(http) == before
    assert not (paths[1] / "originals" / "fine").exists()
    assert not [p for p in (paths[1] / "originals").iterdir() if p.name.startswith(".")]


def test_writes_need_a_token_with_the_ingest_scope(http: httpx.Client) -> None:
    files = [("files", ("x.txt", "关于某事的通知\n一、内容。\n".encode()))]
    missing = http.post("/v1/documents", files=files)
    assert _assert_error(missing, 401)["error"]["code"] == "missing_token"
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = http.post("/v1/documents", files=files, headers={"Authorization": "Bearer nope"})
    assert _assert_error(wrong, 403)["error"]["code"] == "bad_token"
    assert _assert_error(http.delete("/v1/documents/drone"), 401)
    assert _assert_error(http.delete("/v1/documents/drone",
                                     headers={"Authorization": "Bearer nope"}), 403)
    # an ingest-only token cannot reload; the admin token may upload (it has both scopes)
    reload = http.post("/v1/admin/reload", headers=AUTH)
    assert _assert_error(reload, 403)["error"]["code"] == "insufficient_scope"
    admin = http.post("/v1/documents", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
                      files=[("files", ("drone.txt", DRONE_TXT.encode()))])
    assert admin.status_code == 200 and admin.json()["files"][0]["outcome"] == "skipped"


def test_upload_size_limit_is_its_own(http: httpx.Client) -> None:
    # over 1 MiB (the general body limit) but under the upload limit: read, then refused by type
    big = http.post("/v1/documents", headers=AUTH,
                    files=[("files", ("scan.zip", b"\0" * (1536 * 1024)))])
    assert _assert_error(big, 415)["error"]["code"] == "unsupported_type"
    huge = http.post("/v1/documents", headers=AUTH,
                     files=[("files", ("huge.txt", b"a" * (MAX_UPLOAD + 1)))])
    body = _assert_error(huge, 413)
    assert body["error"]["code"] == "payload_too_large" and str(MAX_UPLOAD) in body["error"]["message"]
    # other routes keep the 1 MiB limit
    ask = http.post("/v1/ask", content=b"{" + b" " * (1024 * 1024 + 10) + b"}",
                    headers={"Content-Type": "application/json"})
    assert ask.status_code == 413


def test_no_files_is_422(http: httpx.Client) -> None:
    response = http.post("/v1/documents", headers=AUTH, data={"other": "x"},
                         files=[("nothing", ("a.txt", b"x"))])
    _assert_error(response, 422)


def test_delete_removes_the_document_and_its_original(http: httpx.Client,
                                                      paths: tuple[Path, Path]) -> None:
    assert "greenhouse" in _doc_ids(http)
    response = http.delete("/v1/documents/greenhouse", headers=AUTH)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["removed"] is True and body["file"] == "greenhouse.md"
    assert "greenhouse" not in _doc_ids(http)
    assert not (paths[1] / "originals" / "greenhouse").exists()
    hits = http.post("/v1/search", json={"query": "智慧温室大棚每亩补助"}).json()["hits"]
    assert all(h["doc_id"] != "greenhouse" for h in hits)
    assert http.get("/readyz").json()["generation"] == body["generation"]
    # unknown id → 404 JSON; a document of the configured corpus → 409
    assert _assert_error(http.delete("/v1/documents/greenhouse", headers=AUTH),
                         404)["error"]["code"] == "document_not_found"
    assert _assert_error(http.delete("/v1/documents/no-such-doc", headers=AUTH), 404)
    seed = _assert_error(http.delete("/v1/documents/003_3836013103f3f9d1", headers=AUTH), 409)
    assert seed["error"]["code"] == "not_removable"


def test_replacing_an_added_document(http: httpx.Client) -> None:
    changed = DRONE_TXT.replace("最高不超过800万元", "最高不超过900万元")
    response = http.post("/v1/documents", headers=AUTH,
                         files=[("files", ("drone.txt", changed.encode()))])
    assert response.status_code == 200, response.text
    item = response.json()["files"][0]
    assert item["outcome"] == "ingested" and item["replaced"] is True
    assert response.json()["embedded"] < item["clauses"] + 2  # unchanged clauses reused
    clause = http.get("/v1/clauses/drone:一").json()
    assert "900万元" in clause["text"]


def test_cli_add_remove_and_build_keep_the_served_corpus(paths: tuple[Path, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from policyqa.cli import app

    corpus, index = paths
    monkeypatch.setenv("POLICYQA_INDEX_DIR", str(index))
    monkeypatch.setenv("POLICYQA_CORPUS_DIRS", json.dumps([str(corpus)]))
    doc = tmp_path / "heating.txt"
    doc.write_text("关于做好冬季供暖保障工作的通知\n一、供暖时间为11月15日至次年3月15日。\n"
                   "二、室温不低于18摄氏度。\n", encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(app, ["add", str(doc), "--json"])
    assert added.exit_code == 0, added.output
    result = json.loads(added.stdout)
    assert result["files"][0]["outcome"] == "ingested" and result["files"][0]["doc_id"] == "heating"

    bad = tmp_path / "old.wps"
    bad.write_bytes(b"wps")
    refused = runner.invoke(app, ["add", str(bad), str(doc)])
    assert refused.exit_code == 2 and ".wps" in refused.output

    # a plain rebuild reads the corpus dirs plus the originals: added documents stay
    rebuilt = runner.invoke(app, ["build"])
    assert rebuilt.exit_code == 0, rebuilt.output
    manifest = json.loads((index / "current" / "manifest.json").read_text("utf-8"))
    assert {"heating", "drone", "library"} <= {d["doc_id"] for d in manifest["documents"]}

    removed = runner.invoke(app, ["remove", "heating"])
    assert removed.exit_code == 0, removed.output
    manifest = json.loads((index / "current" / "manifest.json").read_text("utf-8"))
    assert "heating" not in {d["doc_id"] for d in manifest["documents"]}
    missing = runner.invoke(app, ["remove", "heating"])
    assert missing.exit_code == 2


def test_a_corpus_that_lacks_live_documents_is_refused(paths: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    """A service configured with other corpus directories than the index was built from must
    not drop the missing documents silently on its next upload."""
    from service.documents import Conflict, Upload, add_documents

    corpus, index = paths
    partial = tmp_path / "partial"
    partial.mkdir()
    first = sorted(corpus.iterdir())[0]
    (partial / first.name).write_bytes(first.read_bytes())
    settings = settings_for(partial, index)
    before = sorted(p.name for p in (index / "originals").iterdir())
    generation = (index / "current").resolve().name
    with pytest.raises(Conflict) as refused:
        add_documents(settings, [Upload("school-meals.txt", "关于学生营养餐的通知\n一、每餐补助5元。\n".encode())],
                      embedder=None)  # type: ignore[arg-type]
    assert refused.value.code == "corpus_mismatch" and refused.value.status == 409
    assert sorted(p.name for p in (index / "originals").iterdir()) == before
    assert (index / "current").resolve().name == generation
