"""The web chat page in a real headless Chromium (Debian's chromium + chromedriver), against the
real app served by uvicorn on 127.0.0.1. Missing Chromium is a failure, not a skip: `make test`
installs it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import ARTIFACTS, wait_for
from tests.servers import served

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def base_url(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from service.app import create_app

    with served(create_app(settings)) as base:
        yield base




def _ask(driver, question: str) -> object:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    before = len(driver.find_elements(By.CSS_SELECTOR, "#log .turn.bot"))
    box = driver.find_element(By.ID, "question")
    box.clear()
    box.send_keys(question)
    driver.find_element(By.CSS_SELECTOR, "#ask button[type=submit]").click()
    turns = wait_for(driver, lambda d: [t for t in d.find_elements(By.CSS_SELECTOR, "#log .turn.bot")
                                     if "检索中" not in t.text][before:] or False)
    return turns[-1]


def _severe_console_errors(driver) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_ask_cite_follow_up_and_not_found(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(base_url + "/")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#doc-list details"))

    # A question typed in traditional characters; the answer carries clickable citations.
    answer = _ask(driver, "濱州到2027年集群內高新技術企業要達到多少家？")
    assert "850" in answer.text
    marker = answer.find_element(By.CSS_SELECTOR, "button.cite")
    marker.click()
    clause = wait_for(driver, lambda d: d.find_element(By.ID, "clause-text"))
    assert clause.text.strip() and driver.find_element(By.CSS_SELECTOR, "#clause-body .heading").text
    assert clause.find_elements(By.TAG_NAME, "mark"), "the question's terms are highlighted"

    # A follow-up resolved against the previous question.
    follow = _ask(driver, "那这项工作由哪些单位负责？")
    assert "市" in follow.text and follow.find_elements(By.CSS_SELECTOR, "button.cite")

    # A question the documents do not answer: the not-found state, with related clauses.
    missing = _ask(driver, "深圳对新能源汽车购置有什么补贴？")
    assert "notfound" in missing.get_attribute("class")
    assert not missing.find_elements(By.CSS_SELECTOR, "button.cite")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "chat-page.png"))
    assert _severe_console_errors(driver) == []


def test_document_list_opens_clauses(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(base_url + "/")
    first = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#doc-list details"))[0]
    first.find_element(By.TAG_NAME, "summary").click()
    buttons = wait_for(driver, lambda d: first.find_elements(By.CSS_SELECTOR, ".clauses button"))
    buttons[1].click()
    wait_for(driver, lambda d: d.find_element(By.ID, "clause-text").text.strip())


def test_narrow_screen_example_question(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver = browser
    driver.set_window_size(375, 800)
    try:
        driver.get(base_url + "/")
        driver.find_element(By.CSS_SELECTOR, "#examples button").click()
        turn = wait_for(driver, lambda d: [t for t in d.find_elements(By.CSS_SELECTOR, "#log .turn.bot")
                                        if "检索中" not in t.text] or False)[-1]
        assert turn.text.strip()
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 380, f"the page scrolls sideways on a phone ({width}px)"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "chat-page-narrow.png"))
        assert _severe_console_errors(driver) == []
    finally:
        driver.set_window_size(1280, 900)
