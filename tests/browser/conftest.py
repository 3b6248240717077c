"""Shared by the browser tests: one headless Chromium per module (Debian's chromium +
chromedriver; missing Chromium is a failure, not a skip: `make test` installs it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(os.environ.get("POLICYQA_ARTIFACTS", Path(__file__).resolve().parents[2] / "var" / "artifacts"))
CHROMIUM = os.environ.get("POLICYQA_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("POLICYQA_CHROMEDRIVER", "/usr/bin/chromedriver")


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


def wait_for(driver, condition, timeout: float = 30):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)
