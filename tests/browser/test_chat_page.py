"""The web chat page in a real headless Chromium (Debian's chromium + chromedriver), against the
real app served by uvicorn on 127.0.0.1. Missing Chromium is a failure, not a skip: `make test`
installs it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import served

pytestmark = pytest.mark.browser

ARTIFACTS = Path(os.environ.get("POLICYQA_ARTIFACTS", Path(__file__).resolve().parents[2] / "var" / "artifacts"))
CHROMIUM = os.environ.get("POLICYQA_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("POLICYQA_CHROMEDRIVER", "/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def base_url(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from service.app import create_app

    with served(create_app(settings)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER), (
        "Chromium is required for the browser tests: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--window-size=1280,900", "--lang=zh-CN"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _wait(driver, condition, timeout: float = 30):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _ask(driver, question: str) -> object:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    before = len(driver.find_elements(By.CSS_SELECTOR, "#log .turn.bot"))
    box = driver.find_element(By.ID, "question")
    box.clear()
    box.send_keys(question)
    driver.find_element(By.CSS_SELECTOR, "#ask button[type=submit]").click()
    turns = _wait(driver, lambda d: [t for t in d.find_elements(By.CSS_SELECTOR, "#log .turn.bot")
                                     if "检索中" not in t.text][before:] or False)
    return turns[-1]


def _severe_console_errors(driver) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_ask_cite_follow_up_and_not_found(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(base_url + "/")
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#doc-list details"))

    # A question typed in traditional characters; the answer carries clickable citations.
    answer = _ask(driver, "濱州到2027年集群內高新技術企業要達到多少家？")
    assert "850" in answer.text
    marker = answer.find_element(By.CSS_SELECTOR, "button.cite")
    marker.click()
    clause = _wait(driver, lambda d: d.find_element(By.ID, "clause-text"))
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
    first = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#doc-list details"))[0]
    first.find_element(By.TAG_NAME, "summary").click()
    buttons = _wait(driver, lambda d: first.find_elements(By.CSS_SELECTOR, ".clauses button"))
    buttons[1].click()
    _wait(driver, lambda d: d.find_element(By.ID, "clause-text").text.strip())


def test_narrow_screen_example_question(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver = browser
    driver.set_window_size(375, 800)
    try:
        driver.get(base_url + "/")
        driver.find_element(By.CSS_SELECTOR, "#examples button").click()
        turn = _wait(driver, lambda d: [t for t in d.find_elements(By.CSS_SELECTOR, "#log .turn.bot")
                                        if "检索中" not in t.text] or False)[-1]
        assert turn.text.strip()
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 380, f"the page scrolls sideways on a phone ({width}px)"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "chat-page-narrow.png"))
        assert _severe_console_errors(driver) == []
    finally:
        driver.set_window_size(1280, 900)
