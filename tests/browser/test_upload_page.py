"""Uploading documents through the web page, in headless Chromium, against the real app on a small
index of this module's own (uploads change it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, wait_for
from tests.servers import served
from tests.uploads_helpers import INGEST_TOKEN, docx_bytes, settings_for, small_index

pytestmark = pytest.mark.browser

PARKING_TXT = """关于推进居民小区充电桩进小区的实施意见
一、建设目标。到2026年底，全市新建居民小区充电桩3000个。
二、补贴标准。对安装公共充电桩的物业企业，每个充电桩补贴1500元。
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from service.app import create_app

    corpus, index = small_index(tmp_path_factory.mktemp("upload-page"))
    with served(create_app(settings_for(corpus, index))) as base:
        yield base


def _wait(driver, condition, timeout: float = 120):  # type: ignore[no-untyped-def]
    return wait_for(driver, condition, timeout)  # uploads embed on 2 cores: allow longer


def _upload(driver, paths: list[Path], token: str) -> list[object]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    picker = driver.find_element(By.ID, "upload-files")
    picker.clear()
    picker.send_keys("\n".join(str(p) for p in paths))
    box = driver.find_element(By.ID, "upload-token")
    box.clear()
    box.send_keys(token)
    driver.find_element(By.ID, "upload-submit").click()
    _wait(driver, lambda d: d.find_element(By.ID, "upload-submit").is_enabled()
          and d.find_elements(By.CSS_SELECTOR, "#upload-result li"))
    return driver.find_elements(By.CSS_SELECTOR, "#upload-result li")


def test_upload_through_the_page(browser, base_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(base_url + "/")
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#doc-list details"))
    before = len(driver.find_elements(By.CSS_SELECTOR, "#doc-list details"))
    driver.find_element(By.CSS_SELECTOR, "#upload summary").click()

    txt = tmp_path / "charging.txt"
    txt.write_text(PARKING_TXT, encoding="utf-8")
    docx = tmp_path / "after-school.docx"
    docx.write_bytes(docx_bytes())

    # a wrong token: the error is shown, nothing added
    rows = _upload(driver, [txt], "not-the-token")
    assert "403" in rows[0].text and "error" in rows[0].get_attribute("class")

    rows = _upload(driver, [txt, docx], INGEST_TOKEN)
    texts = [r.text for r in rows]
    assert all("ingested" in r.get_attribute("class") for r in rows), texts
    assert any("关于推进居民小区充电桩进小区的实施意见" in t and "charging" in t for t in texts)
    assert any("课后托管" in t for t in texts)
    assert "索引已更新" in driver.find_element(By.ID, "upload-status").text
    # the document list is refreshed with the new documents
    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#doc-list details")) == before + 2)
    assert "充电桩" in driver.find_element(By.ID, "doc-list").text

    # an unsupported file: 415 with the reason, per file
    bad = tmp_path / "old.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0")
    rows = _upload(driver, [bad], INGEST_TOKEN)
    assert "415" in rows[0].text and ".docx" in rows[0].text
    assert any("refused" in r.get_attribute("class") for r in rows)

    # the new document answers questions on the page
    box = driver.find_element(By.ID, "question")
    box.send_keys("小区安装公共充电桩每个补贴多少钱？")
    driver.find_element(By.CSS_SELECTOR, "#ask button[type=submit]").click()
    turn = _wait(driver, lambda d: [t for t in d.find_elements(By.CSS_SELECTOR, "#log .turn.bot")
                                    if "检索中" not in t.text] or False)[-1]
    assert "1500" in turn.text

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "upload-page.png"))
    severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    # the 403 and 415 responses above are logged by Chromium as failed resources; nothing else
    assert all("/v1/documents" in m and (" 403 " in m or " 415 " in m) for m in severe), severe
