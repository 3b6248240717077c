"""The one Settings class (environment prefix ``POLICYQA_``), built at the entry points only."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYQA_", extra="ignore")

    index_dir: Path = PROJECT_ROOT / "var" / "index"
    # faiss: generations under index_dir. milvus: a collection in milvus_uri (a Milvus Lite
    # file for one machine, http://host:19530 for a server or cluster).
    backend: Literal["faiss", "milvus"] = "faiss"
    milvus_uri: str = str(PROJECT_ROOT / "var" / "milvus.db")
    corpus_dirs: list[Path] = Field(default_factory=lambda: [PROJECT_ROOT / "corpus" / "raw"])
    embedder: str = "e5-small"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    top_k: int = Field(default=5, ge=1, le=50)
    # Below this calibrated confidence (0..1) the best clause is not on the question's topic.
    min_confidence: float = Field(default=0.35, ge=0.0, le=1.0)
    # /v1/ask, /v1/search and a chat's retrieval query; the request schema's own cap is 2000
    max_question_chars: int = Field(default=2000, ge=1, le=2000)
    max_body_bytes: int = 1024 * 1024
    # POST /v1/documents (multipart upload, all its files together) has its own, larger limit
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    max_concurrency: int = Field(default=64, ge=1)
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout_s: float = 20.0
    admin_token: str | None = None  # scopes admin + ingest (service.auth)
    ingest_token: str | None = None  # scope ingest only
    tokens: str | None = None  # more tokens: "token:scope[+scope],…"
    # Chat caps (issue 17): a message over max_message_chars is refused (422 naming the limit);
    # a history over max_history_chars is read from its newest turns only, with the warning
    # "history_truncated" (conversations grow; refusing them would break chat clients).
    max_message_chars: int = Field(default=8000, ge=1)
    max_history_chars: int = Field(default=32000, ge=1)
    cors_origins: list[str] = Field(default_factory=list)
    # Operations (issue 18): log lines as text or JSON (the request id on each), GET /metrics.
    log_format: Literal["text", "json"] = "text"
    log_level: str = "info"
    metrics_enabled: bool = True
    # OpenAI compatibility: the model name this service answers as; by default any requested
    # model name is served by it (clients that send their default, e.g. gpt-4o, work), strict
    # mode answers 404 model_not_found for any other name.
    openai_model: str = "policyqa"
    openai_strict_model: bool = False
