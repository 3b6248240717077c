"""The real app over the real seed index and the real default embedder."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from corpus.clean import to_match

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "dev.jsonl"


def ask(client, question: str, **extra):  # type: ignore[no-untyped-def]
    response = client.post("/v1/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(("question", "intent", "clause"), [
    ("滨州培养产业领军人才和技能工匠，牵头的是哪些部门？", "responsible_office", "二.(五).2"),
    ("申报创新型产业集群建设试点需要具备哪些基本条件？", "eligibility", "附件.§1.一"),
    ("到2027年滨州集群内高新技术企业要达到多少家？", "target_number", "二.(一).3"),
    ("滨州对集群企业上市和银行信贷对接有什么支持？", "support_measure", "二.(五).3"),
    ("滨政办字〔2024〕18号是哪个文件？", "document_lookup", None),
])
def test_one_question_per_intent(client, question: str, intent: str, clause: str | None) -> None:  # type: ignore[no-untyped-def]
    body = ask(client, question)
    assert body["intent"] == intent and body["answerable"]
    assert re.search(r"\[1\]", body["answer"])
    if clause:
        assert clause in [c["clause_id"].split(":", 1)[1] for c in body["citations"]]
    for citation in body["citations"]:
        assert citation["title"] and citation["text"] and citation["heading_path"]


def test_office_answer_starts_with_the_offices(client) -> None:  # type: ignore[no-untyped-def]
    body = ask(client, "滨州集群搞清洁生产审核、绿色工厂建设，责任部门是谁？")
    assert body["answer"].startswith("责任单位：市工业和信息化局、市发展改革委、市生态环境局")
    assert body["offices"] == ["市工业和信息化局", "市发展改革委", "市生态环境局"]


def test_traditional_question_gets_a_traditional_answer(client) -> None:  # type: ignore[no-untyped-def]
    body = ask(client, "濱州集群搞清潔生產審核、綠色工廠建設，責任部門是誰？")
    assert "責任單位" in body["answer"] and "工業和信息化局" in body["answer"]
    assert body["citations"][0]["text"].startswith("3.推動集群綠色化轉型")


_SEED_UNANSWERABLES = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()
                      if '"answerable": false' in line]


@pytest.mark.parametrize("row", [
    pytest.param(r, id=r["id"], marks=[pytest.mark.xfail(
        strict=True, reason="near miss: the lambdarank ranker puts another programme's 申报 "
                            "clause (its own deadline, 2011年8月31日) beside the one that names "
                            "泰山产业领军人才; a check that a stated date belongs to the asked "
                            "subject was tried and refused 7 correct answers on dev2 for 3 near "
                            "misses (issue 19)")] if r["id"] == "u03" else [])
    for r in _SEED_UNANSWERABLES if r["id"] in {f"u0{i}" for i in range(1, 6)}])
def test_the_seed_unanswerables_are_refused(client, row) -> None:  # type: ignore[no-untyped-def]
    # The five of ../shared/eval/dev.jsonl; the refusal rate over all dev unanswerables (the
    # near misses added since included) is gated by the eval baseline instead.
    body = ask(client, row["question"])
    assert body["answerable"] is False, (row["question"], body["answer"])


def test_a_contact_no_document_states_is_not_taken_from_another(client) -> None:  # type: ignore[no-untyped-def]
    body = ask(client, "滨州集群培育工作的联系电话是多少？")
    assert body["answerable"] is False and "未规定具体联系方式" in body["answer"]


def test_near_miss_names_the_missing_detail(client) -> None:  # type: ignore[no-untyped-def]
    body = ask(client, "泰山产业领军人才的申报截止日期是哪天？")
    assert body["answerable"] is False
    assert "泰山产业领军人才" in body["answer"] and "未规定具体日期" in body["answer"]
    assert len(body["citations"]) == 1


def test_an_answer_quotes_each_sentence_that_carries_the_question(client) -> None:  # type: ignore[no-untyped-def]
    # The clause's first sentence shares more words with the question; the figures asked for
    # are in its second one, and both are quoted.
    body = ask(client, "开发区一园一主业方案要求主导产业占比提高到多少，目标年份是哪年？")
    assert body["answerable"] is True
    assert "60%" in body["answer"] and "2025年" in body["answer"]


def test_document_numbers_answer_what_a_document_is_or_that_it_is_missing(client) -> None:  # type: ignore[no-untyped-def]
    body = ask(client, "滨政办字〔2024〕18号文件是哪个单位发的？")
    assert body["answerable"] is True
    assert "滨州市人民政府办公室" in body["answer"] and "滨政办字〔2024〕18号" in body["answer"]
    assert {c["doc_id"] for c in body["citations"]} == {"000_02d0f658efa8fe2c"}
    missing = ask(client, "鲁工信发〔2024〕3号文件对专精特新企业有什么支持？")
    assert missing["answerable"] is False and "鲁工信发〔2024〕3号" in missing["answer"]
    assert missing["citations"] == []


def test_a_comparison_cites_each_named_document(client) -> None:  # type: ignore[no-untyped-def]
    body = ask(client, "滨州和山东对“一企一技术”研发中心分别定了什么目标？")
    docs = {c["doc_id"] for c in body["citations"]}
    assert {"000_02d0f658efa8fe2c", "002_d9f1236460861f5a"} <= docs


def test_numbers_and_offices_in_answers_come_from_cited_clauses(client) -> None:  # type: ignore[no-untyped-def]
    # Every figure in an answer is in a cited clause, in its document's header as the citation
    # carries it (文号, dates), or echoed from the question (「没有文号为…的文件」).
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    rows.append({"id": "header", "question": "滨政办字〔2024〕18号文件是哪个单位发的？"})
    for row in rows:
        body = ask(client, row["question"])
        cited = "".join(to_match(c["text"]) for c in body["citations"])
        sources = cited + "".join(to_match(f"{c['doc_number'] or ''}{c['date'] or ''}")
                                  for c in body["citations"]) + to_match(row["question"])
        text = re.sub(r"\[\d+\]", "", to_match(body["answer"]))
        for number in re.findall(r"\d+(?:\.\d+)?", text):
            assert number in sources, (row["id"], number)
        for office in body["offices"]:
            assert office in cited


def test_three_turn_chat_resolves_follow_ups(client) -> None:  # type: ignore[no-untyped-def]
    messages = [{"role": "user", "content": "滨州怎么推动集群企业上5G、建工业互联网平台？"}]
    first = client.post("/v1/chat", json={"messages": messages}).json()
    assert "二.(二).2" in first["citations"][0]["clause_id"]
    messages += [{"role": "assistant", "content": first["answer"]},
                 {"role": "user", "content": "那这项工作谁负责？"}]
    second = client.post("/v1/chat", json={"messages": messages}).json()
    assert second["intent"] == "responsible_office"
    assert "5G" in second["query_used"] and "市信息通信发展办公室" in second["answer"]
    messages += [{"role": "assistant", "content": second["answer"]},
                 {"role": "user", "content": "到2027年这方面的目标是多少？"}]
    third = client.post("/v1/chat", json={"messages": messages}).json()
    assert third["answerable"] and "2027" in third["answer"]


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"question": ""}, 422, "invalid_request"),
    ({"question": "   \n"}, 422, "invalid_request"),
    ({"question": "问" * 2001}, 422, "invalid_request"),
    ({"question": "ok", "top_k": 0}, 422, "invalid_request"),
    ({"question": "ok", "unknown": 1}, 422, "invalid_request"),
])
def test_bad_questions_get_json_errors(client, payload, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/ask", json=payload)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert "Traceback" not in response.text and "/work" not in response.text


def test_question_limit_is_named(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/ask", json={"question": "问" * 2001})
    assert "2000" in response.json()["error"]["message"]


def test_malformed_json_and_large_bodies(client) -> None:  # type: ignore[no-untyped-def]
    bad = client.post("/v1/ask", content=b'{"question": ', headers={"content-type": "application/json"})
    assert bad.status_code in (400, 422) and "error" in bad.json()
    big = b'{"question": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    sized = client.post("/v1/ask", content=big, headers={"content-type": "application/json"})
    assert sized.status_code == 413 and sized.json()["error"]["code"] == "payload_too_large"

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"a" * 65536

    chunked = client.post("/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413 and chunked.json()["error"]["code"] == "payload_too_large"


def test_documents_clauses_and_404(client) -> None:  # type: ignore[no-untyped-def]
    documents = client.get("/v1/documents").json()
    assert len(documents) == 4
    doc = client.get(f"/v1/documents/{documents[0]['doc_id']}").json()
    assert doc["doc_number"] == "濱政辦字〔2024〕18號" and doc["clause_list"]
    clause_id = doc["clause_list"][3]["clause_id"]
    clause = client.get(f"/v1/clauses/{clause_id}").json()
    assert clause["previous_id"] == doc["clause_list"][2]["clause_id"]
    assert clause["next_id"] == doc["clause_list"][4]["clause_id"]
    for path in ("/v1/documents/nope", "/v1/clauses/nope", "/v1/nothing"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_health_readiness_and_request_id(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["clauses"] > 50
    assert ready.headers["x-request-id"]
    assert client.get("/healthz", headers={"X-Request-ID": "abc123"}).headers["x-request-id"] == "abc123"


def test_search_endpoint_filters_by_office(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/v1/search", json={"query": "市科技局负责哪些工作",
                                           "filters": {"offices": ["市科技局"]}}).json()
    assert body["hits"] and all("市科技局" in h["offices"] for h in body["hits"])


def test_admin_reload_requires_the_token(client) -> None:  # type: ignore[no-untyped-def]
    missing = client.post("/v1/admin/reload")  # no bearer token: 401 + WWW-Authenticate (issue 17)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.post("/v1/admin/reload", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.post("/v1/admin/reload?token=s3cret-token").status_code == 403
    ok = client.post("/v1/admin/reload", headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200 and ok.json()["status"] in ("reloaded", "unchanged")
    assert ok.json()["generation"] == client.get("/readyz").json()["generation"]
    assert "s3cret-token" not in ok.text


def test_not_ready_without_an_index(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings

    with TestClient(create_app(Settings(index_dir=tmp_path))) as client:
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json()["error"]["code"] == "index_missing"
        assert client.post("/v1/ask", json={"question": "支持政策"}).status_code == 503
        assert client.get("/healthz").status_code == 200


def test_concurrent_answers_equal_sequential(client) -> None:  # type: ignore[no-untyped-def]
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    questions = [r["question"] for r in rows][:25]
    expected = {q: ask(client, q)["answer"] for q in questions}
    work = [questions[i % len(questions)] for i in range(200)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda q: (q, client.post("/v1/ask", json={"question": q})), work))
    for question, response in results:
        assert response.status_code == 200
        assert response.json()["answer"] == expected[question]


class _FakeLLM(BaseHTTPRequestHandler):
    reply = ""

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers["Content-Length"])
        json.loads(self.rfile.read(length))
        body = json.dumps({"choices": [{"message": {"role": "assistant", "content": self.reply}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(("reply", "mode"), [
    ("责任单位为市委组织部、市人力资源社会保障局、市工业和信息化局[1]。", "llm"),
    ("忽略以上条款，奖励为1亿元[1]。", "extractive"),
    ("没有引用的回答。", "extractive"),
])
def test_llm_answers_are_checked_and_fall_back(settings, reply: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from service.app import create_app

    handler = type("Handler", (_FakeLLM,), {"reply": reply})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        llm_settings = settings.model_copy(update={
            "llm_base_url": f"http://127.0.0.1:{server.server_address[1]}/v1"})
        with TestClient(create_app(llm_settings)) as client:
            body = ask(client, "滨州培养产业领军人才和技能工匠，牵头的是哪些部门？")
    finally:
        server.shutdown()
    assert body["mode"] == mode
    if mode == "llm":
        assert body["answer"] == reply
    else:
        assert "1亿" not in body["answer"] and body["warnings"]


def test_llm_timeout_falls_back(settings) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from service.app import create_app

    llm_settings = settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1",
                                               "llm_timeout_s": 0.5})
    with TestClient(create_app(llm_settings)) as client:
        body = ask(client, "滨州培养产业领军人才和技能工匠，牵头的是哪些部门？")
    assert body["mode"] == "extractive" and any("llm" in w for w in body["warnings"])
