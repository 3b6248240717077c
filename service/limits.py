"""Bounded cost per chat request (``/v1/chat``, ``/v1/chat/completions``).

- Each message: at most ``max_message_chars`` (POLICYQA_MAX_MESSAGE_CHARS, 8000); over it the
  request is refused with 422 ``message_too_long`` naming the limit and the message. The last
  user turn is a question and keeps the question limit (2000).
- The whole history: at most ``max_history_chars`` (POLICYQA_MAX_HISTORY_CHARS, 32000) is read,
  newest turns first; older turns are dropped for retrieval and the answer carries the warning
  ``history_truncated``. Conversations only grow, so refusing a long one would break chat
  clients that resend everything; only the last two user turns shape retrieval anyway.
- The retrieval query (a follow-up joined to the question before it) is cut to the question
  limit, and the embedder reads at most one model window of it (service.engine).
"""

from __future__ import annotations

from service.errors import BadRequest
from service.settings import Settings

Turn = tuple[str, str]


def bound_conversation(turns: list[Turn], settings: Settings) -> tuple[list[Turn], list[str]]:
    """``turns`` (role, text) checked against the per-message cap and cut to the history cap
    from the newest end; with the warnings to report."""
    for n, (_, text) in enumerate(turns):
        if len(text) > settings.max_message_chars:
            raise BadRequest(f"messages[{n}].content has {len(text)} characters, over the limit of "
                             f"{settings.max_message_chars} characters per message",
                             code="message_too_long")
    kept: list[Turn] = []
    total = 0
    for role, text in reversed(turns):
        if kept and total + len(text) > settings.max_history_chars:
            return kept[::-1], ["history_truncated"]
        kept.append((role, text))
        total += len(text)
    return kept[::-1], []


def bound_question(question: str, settings: Settings) -> str:
    """A question within ``max_question_chars`` (POLICYQA_MAX_QUESTION_CHARS, at most the
    schema's 2000), or 422 ``question_too_long`` naming the limit."""
    if len(question) > settings.max_question_chars:
        raise BadRequest(f"the question has {len(question)} characters, over the limit of "
                         f"{settings.max_question_chars}", code="question_too_long")
    return question


def bound_query(query: str, last: str, settings: Settings) -> str:
    """A follow-up query (previous question + ``last``) cut to the question limit, keeping
    ``last`` whole and the start of the previous question (where its subject usually is)."""
    limit = settings.max_question_chars
    if len(query) <= limit:
        return query
    last = last.strip()[:limit]
    room = limit - len(last) - 1
    if room <= 0 or not query.endswith(last):
        return last
    previous = query[: len(query) - len(last)].strip()
    return f"{previous[:room]} {last}"


__all__ = ["bound_conversation", "bound_query", "bound_question"]
