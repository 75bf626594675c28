"""The dashboard in a real browser: headless Chromium (Debian's chromium and chromium-driver, through selenium)
at phone width against a real `nearshore serve` on 127.0.0.1 with its own store seeded from the snapshot. The
pages load without console errors, changing a selector redraws the chart in place, the duty form shows the
layers, the BOM upload shows the origin report and the what-if. Screenshots go to build/screenshots/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None, reason="needs Debian's chromium and chromium-driver (apt-get install ...)"
)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("serve")
    env = {
        **os.environ,
        "NEARSHORE_DATA_DIR": str(home),
        "NEARSHORE_DB": str(home / "nearshore.duckdb"),
        "NEARSHORE_API_KEYS_FILE": str(home / "api-keys.json"),
        "NEARSHORE_DATABASE_URL": f"sqlite:///{home / 'newsletter.sqlite3'}",
    }
    port = _port()
    command = [sys.executable, "-m", "nearshore", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else "server stopped"
            try:
                if httpx.get(url + "/v1/data/info", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not answer within 120 s"
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(30)
        if process.stderr is not None:
            process.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the dev extra)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=390,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=str(DRIVER)))
    driver.implicitly_wait(0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def wait(condition: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the page")


def console_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def drawn(driver: Any, chart: str) -> int:
    value = driver.execute_script(f"return document.querySelector('#{chart} .chart-view').dataset.drawn || '0'")
    return int(value)


def test_the_dashboard_draws_and_redraws_without_console_errors(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/")
    wait(lambda: all(drawn(browser, c) >= 1 for c in ("shares", "usmca", "duties")))
    assert browser.find_elements(By.CSS_SELECTOR, "#shares .chart-view svg")
    before = browser.find_element(By.ID, "usmca-alt").text
    browser.save_screenshot(str(SHOTS / "dashboard.png"))
    select = Select(browser.find_element(By.ID, "usmca-partner"))
    other = next(o for o in select.options if not o.is_selected())
    value = other.get_attribute("value")
    assert value is not None, other
    select.select_by_value(value)
    wait(lambda: drawn(browser, "usmca") >= 2)
    assert browser.find_element(By.ID, "usmca-alt").text != before
    assert f"usmca_partner={other.get_attribute('value')}" in browser.current_url  # redrawn in place, no reload
    browser.save_screenshot(str(SHOTS / "dashboard-redrawn.png"))
    assert console_errors(browser) == []


def test_the_duty_form_shows_every_layer(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/duty")
    for name, value in {"hts": "8708.99.81", "origin": "CN", "value": "10000"}.items():
        browser.find_element(By.NAME, name).send_keys(value)
    browser.execute_script("document.getElementById('date').value = '2025-06-01'")
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    layers = wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#layers tbody tr"))
    text = browser.find_element(By.ID, "layers").text
    assert len(layers) >= 3, text  # MFN, section 301 and IEEPA at least for Chinese auto parts in June 2025
    assert "301" in text
    browser.save_screenshot(str(SHOTS / "duty.png"))
    assert console_errors(browser) == []


def test_a_bom_upload_shows_the_report_and_the_what_if(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/origin")
    browser.find_element(By.NAME, "bom").send_keys(str(ROOT / "docs" / "examples" / "bom.yaml"))
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(lambda: browser.find_elements(By.ID, "report"))
    assert browser.find_elements(By.CSS_SELECTOR, "#report tbody tr")
    assert browser.find_elements(By.ID, "whatif")
    browser.save_screenshot(str(SHOTS / "origin.png"))
    assert console_errors(browser) == []
