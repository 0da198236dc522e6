"""A real browser on the real server: headless Chromium (Debian's chromium + chromedriver, driven by
Selenium) opens the home page of a fresh site with the bundled sample, clicks a tag label, opens an
article, checks the «Ещё новости» column and switches the interface to the other language — on a desktop
window and a 390 px phone.

Screenshots go to a temporary folder, over the sample stored without the NLP stages (fast); to
refresh the committed ones, with every stage run as on a real first start, run
``NEWSDESK_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/test_browser.py``.
"""

from __future__ import annotations

import base64
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsdesk.config import Settings
from newsdesk.pipeline import Pipeline
from newsdesk.web.app import create_app
from newsdesk.web.sample import load_sample

pytestmark = pytest.mark.browser
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-color-profile=srgb", "--lang=ru"]
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
TALLEST = {"desktop": 1600, "phone": 1300}  # CSS pixels kept in a screenshot


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server (uvicorn on a free loopback port) over a temporary SQLite file with the sample."""
    uvicorn = pytest.importorskip("uvicorn")
    db = tmp_path_factory.mktemp("site") / "site.db"
    app = create_app(Settings(database_url=str(db), load_sample=True))
    if not os.environ.get("NEWSDESK_SCREENSHOTS"):
        load_sample(app.state.archive, Pipeline(stages=[]))  # startup then finds the archive full
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start in 20 s"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        pytest.skip(f"needs Debian's chromium and chromium-driver ({CHROMIUM}, {DRIVER})")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))
    driver.set_page_load_timeout(15)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("NEWSDESK_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def screenshot(driver: object, metrics: dict[str, Any], path: Path, most: int) -> None:
    """A screenshot of the page's top ``most`` CSS pixels at the given device metrics."""
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(driver, WebDriver)
    height = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]["height"]
    clip = {"x": 0, "y": 0, "width": metrics["width"], "height": min(int(height), most), "scale": 1}
    png = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": clip,
                                                            "captureBeyondViewport": True})
    path.write_bytes(base64.b64decode(png["data"]))


@pytest.mark.parametrize("name, metrics", [("desktop", DESKTOP), ("phone", PHONE)])
def test_reader_journey(site: str, browser: object, shots: Path, name: str, metrics: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver

    driver = browser
    assert isinstance(driver, WebDriver)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    driver.delete_all_cookies()  # no interface language chosen yet
    driver.get(site + "/")
    assert driver.find_element(By.CSS_SELECTOR, ".brand").text == "newsdesk"
    assert "Главные темы" in driver.find_element(By.CSS_SELECTOR, ".strip").text
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= metrics["width"], f"the page scrolls sideways at {metrics['width']} px"
    screenshot(driver, metrics, shots / f"home-{name}.png", TALLEST[name])

    label = driver.find_element(By.CSS_SELECTOR, ".feed .card a.label[href^='/tag/']")
    tag_name = label.text
    label.click()
    assert "/tag/" in driver.current_url
    assert driver.find_element(By.TAG_NAME, "h1").text.casefold() == tag_name.casefold()

    driver.find_element(By.CSS_SELECTOR, ".feed .card-title a[href^='/article/']").click()
    assert "/article/" in driver.current_url
    here = driver.current_url.removeprefix(site)
    more = driver.find_element(By.CSS_SELECTOR, "aside.more")
    assert more.find_element(By.TAG_NAME, "h2").text.casefold() == MORE[page_lang(driver)]
    links = [a.get_attribute("href") for a in more.find_elements(By.CSS_SELECTOR, ".card-title a")]
    assert len(links) >= 5 and site + here not in links
    titles = [h.text for h in more.find_elements(By.CSS_SELECTOR, ".card-title")]
    assert len(set(titles)) == len(titles)
    assert driver.find_elements(By.CSS_SELECTOR, ".story .body p")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= metrics["width"], f"the article scrolls sideways at {metrics['width']} px"
    screenshot(driver, metrics, shots / f"article-{name}.png", TALLEST[name])
    switch_language(driver, site + here)


MORE = {"ru": "ещё новости", "kk": "тағы жаңалықтар"}


def page_lang(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


def switch_language(driver: Any, url: str) -> None:
    """The header's «Қазақша / Русский» link (no JavaScript) brings the reader back to the same article, in
    the other language; the choice holds on the next page."""
    from selenium.webdriver.common.by import By

    other = "kk" if page_lang(driver) == "ru" else "ru"
    driver.find_element(By.CSS_SELECTOR, f".ui-langs a[lang='{other}']").click()
    assert driver.current_url == url and page_lang(driver) == other
    assert driver.find_element(By.CSS_SELECTOR, "aside.more h2").text.casefold() == MORE[other]
    driver.find_element(By.CSS_SELECTOR, ".brand").click()
    assert page_lang(driver) == other

