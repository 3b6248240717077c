"""/v1/models and /v1/chat/completions through the official openai client, over the real app."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openai
import pytest


@pytest.fixture(scope="module")
def oai(client):  # type: ignore[no-untyped-def]
    return openai.OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=client,
                         max_retries=0)


def test_models_lists_policyqa(oai) -> None:  # type: ignore[no-untyped-def]
    assert [m.id for m in oai.models.list()] == ["policyqa"]


def test_completion_is_the_cited_answer_with_sources(oai) -> None:  # type: ignore[no-untyped-def]
    reply = oai.chat.completions.create(model="policyqa", messages=[
        {"role": "user", "content": "滨州到2027年集群内高新技术企业要达到多少家？"}])
    content = reply.choices[0].message.content
    assert reply.choices[0].finish_reason == "stop"
    assert "850家" in content and "[1]" in content and "来源：\n[1] " in content
    citations = reply.model_extra["citations"]
    assert [c["n"] for c in citations] == list(range(1, len(citations) + 1))
    source = next(c for c in citations if "850" in c["text"])
    assert source["clause_id"].endswith("二.(一).3") and f"[{source['n']}]" in content


def test_streaming_sends_the_same_content_in_chunks(oai, client) -> None:  # type: ignore[no-untyped-def]
    messages = [{"role": "user", "content": "推动集群智能化发展由哪些单位负责？"}]
    whole = oai.chat.completions.create(model="policyqa", messages=messages)
    chunks = list(oai.chat.completions.create(model="policyqa", messages=messages, stream=True))
    assert len(chunks) > 2
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == whole.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop" and chunks[-1].model_extra["citations"]
    with client.stream("POST", "/v1/chat/completions",
                       json={"model": "policyqa", "messages": messages, "stream": True}) as raw:
        assert raw.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in raw.iter_lines() if line]
    assert lines[-1] == "data: [DONE]" and all(line.startswith("data: ") for line in lines)


def test_history_drives_follow_up_resolution(oai) -> None:  # type: ignore[no-untyped-def]
    reply = oai.chat.completions.create(model="policyqa", messages=[
        {"role": "system", "content": "你是政策助手"},
        {"role": "user", "content": [{"type": "text", "text": "滨州推动集群智能化发展有什么目标？"}]},
        {"role": "assistant", "content": "推动1000家以上制造业企业进行智能化改造[1]。"},
        {"role": "user", "content": "那这项工作由哪些单位负责？"}])
    assert "滨州推动集群智能化发展" in reply.model_extra["query_used"]
    assert "市工业和信息化局" in reply.choices[0].message.content


def test_unanswerable_question_is_not_found(oai) -> None:  # type: ignore[no-untyped-def]
    reply = oai.chat.completions.create(model="policyqa", messages=[
        {"role": "user", "content": "深圳对新能源汽车购置有什么补贴？"}])
    assert reply.model_extra["answerable"] is False and reply.model_extra["citations"] == []


def test_bad_requests_get_json_errors(oai, client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/chat/completions", json={
        "model": "policyqa", "messages": [{"role": "assistant", "content": "你好"}]})
    assert response.status_code == 422 and "last message" in response.json()["error"]["message"]
    response = client.post("/v1/chat/completions", json={"model": "policyqa", "messages": []})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"
    for bad in ({"max_tokens": 0}, {"max_tokens": "5"}, {"stream_options": {"include_usage": "yes"}}):
        response = client.post("/v1/chat/completions", json={
            "messages": [{"role": "user", "content": "你好"}], **bad})
        assert response.status_code == 422 and set(response.json()["error"]) == {"code", "message"}
    with pytest.raises(openai.NotFoundError) as unknown:
        oai.models.retrieve("gpt-4o")
    assert unknown.value.body["code"] == "model_not_found"  # type: ignore[index]


QUESTION = "推动集群智能化发展由哪些单位负责？"


def test_any_model_name_is_served_by_policyqa(oai) -> None:  # type: ignore[no-untyped-def]
    # clients that send the model they default to (gpt-4o) are answered, and told who answered
    reply = oai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    assert reply.model == "policyqa" and "市工业和信息化局" in reply.choices[0].message.content
    assert oai.models.retrieve("policyqa").id == "policyqa"


def test_strict_mode_refuses_other_model_names(settings) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from service.app import create_app

    strict = settings.model_copy(update={"openai_strict_model": True, "openai_model": "policyqa-gov"})
    with TestClient(create_app(strict)) as client:
        strict_oai = openai.OpenAI(base_url="http://testserver/v1", api_key="unused",
                                   http_client=client, max_retries=0)
        with pytest.raises(openai.NotFoundError) as unknown:
            strict_oai.chat.completions.create(model="gpt-4o", messages=[
                {"role": "user", "content": QUESTION}])
        assert unknown.value.body["code"] == "model_not_found"  # type: ignore[index]
        assert "policyqa-gov" in unknown.value.body["message"]  # type: ignore[index]
        reply = strict_oai.chat.completions.create(model="policyqa-gov", messages=[
            {"role": "user", "content": QUESTION}])
        assert reply.model == "policyqa-gov"
        assert [m.id for m in strict_oai.models.list()] == ["policyqa-gov"]


def test_max_tokens_truncates_with_finish_reason_length(oai) -> None:  # type: ignore[no-untyped-def]
    messages = [{"role": "user", "content": QUESTION}]
    whole = oai.chat.completions.create(model="policyqa", messages=messages).choices[0].message.content
    cut = oai.chat.completions.create(model="policyqa", messages=messages, max_tokens=12)
    assert cut.choices[0].finish_reason == "length"
    assert cut.choices[0].message.content == whole[:12] and cut.usage.completion_tokens == 12
    roomy = oai.chat.completions.create(model="policyqa", messages=messages, max_tokens=len(whole))
    assert roomy.choices[0].finish_reason == "stop" and roomy.choices[0].message.content == whole
    streamed = list(oai.chat.completions.create(model="policyqa", messages=messages, stream=True,
                                                max_completion_tokens=12))
    assert "".join(c.choices[0].delta.content or "" for c in streamed) == whole[:12]
    assert streamed[-1].choices[0].finish_reason == "length"


def test_stream_sends_citations_first_then_sentence_by_sentence_with_usage(oai) -> None:  # type: ignore[no-untyped-def]
    from service.openai_compat import pieces

    messages = [{"role": "user", "content": QUESTION}]
    whole = oai.chat.completions.create(model="policyqa", messages=messages).choices[0].message.content
    chunks = list(oai.chat.completions.create(model="policyqa", messages=messages, stream=True,
                                              stream_options={"include_usage": True}))
    assert chunks[0].choices[0].delta.role == "assistant"
    # the second chunk carries the clauses, before any text
    assert chunks[1].model_extra["citations"] and not chunks[1].choices[0].delta.content
    texts = [c.choices[0].delta.content for c in chunks[2:] if c.choices and c.choices[0].delta.content]
    assert "".join(texts) == whole
    # one chunk a sentence (or source line), each sent as it comes
    assert all(pieces(t) == [t] for t in texts) and len(texts) >= 4
    assert all(t.rstrip("\n")[-1:] in ("。", "！", "？", "；", "")
               or t.startswith(("[", "来源")) for t in texts[:-1])
    usage = chunks[-1]
    assert usage.choices == [] and usage.usage.completion_tokens == len(whole)
    assert all(c.usage is None for c in chunks[:-1])


class _StreamingLLM(BaseHTTPRequestHandler):
    """An OpenAI-compatible upstream that streams only once the test lets it (``release``)."""

    release: threading.Event
    held_up: list[bool]

    def do_POST(self) -> None:  # noqa: N802
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert request["stream"] is True
        self.held_up.append(not self.release.wait(20))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in ("责任单位为市委组织部、", "市人力资源社会保障局、市工业和信息化局[1]。奖励为1",
                      "亿元[1]。"):
            chunk = {"choices": [{"index": 0, "delta": {"content": piece}}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args: object) -> None:
        pass


def test_llm_stream_sends_citations_before_the_model_answers(settings) -> None:  # type: ignore[no-untyped-def]
    import httpx

    from service.app import create_app
    from tests.servers import served

    release, held_up = threading.Event(), []
    handler = type("Handler", (_StreamingLLM,), {"release": release, "held_up": held_up})
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    llm = settings.model_copy(update={
        "llm_base_url": f"http://127.0.0.1:{upstream.server_address[1]}/v1", "llm_timeout_s": 30})
    events = []
    try:
        with served(create_app(llm)) as url, httpx.stream(
                "POST", url + "/v1/chat/completions", timeout=60, json={
                    "model": "gpt-4o", "stream": True, "messages": [
                        {"role": "user", "content": "滨州培养产业领军人才和技能工匠，牵头的是哪些部门？"}]}) as raw:
            for line in raw.iter_lines():
                if not line:
                    continue
                events.append(line)
                if line.startswith("data: {") and json.loads(line[6:]).get("citations"):
                    release.set()  # only now may the model answer
    finally:
        upstream.shutdown()
    assert held_up == [False], "the citations did not come before the model's answer"
    assert events[-1] == "data: [DONE]"
    chunks = [json.loads(e[6:]) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    # the grounded sentence streamed, the one with a figure no clause states dropped
    assert text.startswith("责任单位为市委组织部、市人力资源社会保障局、市工业和信息化局[1]。\n\n来源：\n[1] ")
    assert "1亿" not in text and chunks[-1]["choices"][0]["finish_reason"] == "stop"
