"""The page's profile form in headless Chromium against the real app (uvicorn on 127.0.0.1) over
the eligibility notices (tests/eligibility_helpers.py): describe the enterprise, submit, read the
results table with a mark per condition, the support and the document's status."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import ARTIFACTS, wait_for
from tests.eligibility_helpers import BINJIANG, LINZHOU, QINGYUAN
from tests.servers import served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(eligibility_settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from service.app import create_app

    with served(create_app(eligibility_settings)) as base:
        yield base


def _fill(driver, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, field)
    box.clear()
    if value:
        box.send_keys(value)


def _submit(driver) -> list[object]:  # type: ignore[no-untyped-def]
    """Submit the form; the rows once the new answer is shown."""
    from selenium.webdriver.common.by import By

    status = driver.find_element(By.ID, "eligibility-status")
    driver.execute_script("arguments[0].textContent = '';", status)
    driver.find_element(By.ID, "profile-submit").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "profile-submit").is_enabled()
             and d.find_element(By.ID, "eligibility-status").text.startswith(("共", "出错")))
    return driver.find_elements(By.CSS_SELECTOR, "#eligibility-table tbody tr")


def _row(rows: list[object], clause_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in rows if r.get_attribute("data-clause-id") == clause_id)  # type: ignore[attr-defined]


def _marks(row) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return [(li.get_attribute("data-status"), li.find_element(By.CSS_SELECTOR, ".mark").text)
            for li in row.find_elements(By.CSS_SELECTOR, "li.condition")]


def test_profile_form_end_to_end(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(base_url + "/")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#doc-list details"))
    assert not driver.find_element(By.ID, "eligibility-table").is_displayed()

    # the enterprise in words, and the interest paid typed (万元 on the page)
    _fill(driver, "profile-text", "我们公司注册在临州市，去年营收8000万，近两年研发费用占营收6%，员工120人")
    _fill(driver, "profile-interest", "40")
    rows = _submit(driver)
    try:
        status = driver.find_element(By.ID, "eligibility-status").text
        assert "共 6 项支持措施" in status and "符合 2" in status and "不符合 2" in status, status
        assert [r.get_attribute("class") for r in rows] == [
            "eligible", "eligible", "meets_stated", "unknown", "not_eligible", "not_eligible"]
        rd = _row(rows, f"{LINZHOU}:二.(一)")
        assert rd.find_element(By.CSS_SELECTOR, ".verdict").text == "符合"
        assert _marks(rd) == [("met", "✓")] * 4
        assert "按研发费用的10%奖励、单个企业最高100万元" in rd.text
        assert rd.find_element(By.CSS_SELECTOR, ".doc-status").text == "现行有效"
        interest = _row(rows, f"{LINZHOU}:二.(二)")
        figure = interest.find_element(By.CSS_SELECTOR, ".figure").text
        assert figure.startswith("您的40万元实际支付利息最多可贴息20万元"), figure  # terms not repeated
        award = _row(rows, f"{LINZHOU}:二.(三)")
        assert ("unknown", "?") in _marks(award)
        draft = _row(rows, f"{QINGYUAN}:二")
        assert ("not_met", "✗") in _marks(draft) and "（您：临州市）" in draft.text
        assert draft.find_element(By.CSS_SELECTOR, ".doc-status").text == "征求意见稿"
        assert _row(rows, f"{BINJIANG}:一").find_element(
            By.CSS_SELECTOR, ".doc-status").text == "已失效"

        # a typed figure overrides the text: 1000万 misses the chapter's 2000万
        _fill(driver, "profile-revenue", "1000")
        rows = _submit(driver)
        rd = _row(rows, f"{LINZHOU}:二.(一)")
        assert rd.get_attribute("class") == "not_eligible"
        assert ("not_met", "✗") in _marks(rd) and "（您：1000万元）" in rd.text

        # only documents in force
        driver.find_element(By.ID, "profile-in-force").click()
        rows = _submit(driver)
        assert {r.get_attribute("data-clause-id").split(":")[0] for r in rows} == {LINZHOU}

        # a measure opens its clause beside the table
        rows[0].find_element(By.CSS_SELECTOR, "button.measure").click()
        clause = wait_for(driver, lambda d: d.find_element(By.ID, "clause-text"))
        wait_for(driver, lambda d: "给予" in d.find_element(By.ID, "clause-text").text)
        assert "临州市" in driver.find_element(By.CSS_SELECTOR, "#clause-body .clause-title").text
        assert clause.text
        severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not severe, severe
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "eligibility-page.png"))
        raise
