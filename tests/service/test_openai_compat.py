"""/v1/models and /v1/chat/completions through the official openai client, over the real app."""

from __future__ import annotations

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
    with pytest.raises(openai.NotFoundError) as unknown:
        oai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "你好"}])
    assert unknown.value.body["code"] == "model_not_found"  # type: ignore[index]
    response = client.post("/v1/chat/completions", json={
        "model": "policyqa", "messages": [{"role": "assistant", "content": "你好"}]})
    assert response.status_code == 422 and "last message" in response.json()["error"]["message"]
    response = client.post("/v1/chat/completions", json={"model": "policyqa", "messages": []})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"
