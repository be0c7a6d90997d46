"""The book's website in a real browser: every page renders from the site alone (issue 11).

Builds the site as ``make site`` does (Sphinx + myst-nb from the stored outputs, into a
temporary folder; with no network at all where ``unshare -n`` is allowed), serves it on
loopback, and visits every chapter and the teaching page in headless Chromium. A page fails on

- any request that leaves the site (a CDN, a font service, anything not on the loopback server),
  and any request the site answers with an error;
- raw TeX left in the text (``\\(``, ``\\[``, ``$$``) once MathJax has finished, or a page whose
  math MathJax did not typeset;
- a link to a page or file of the site that is not there, an image that did not load, a
  notebook output area with nothing visible in it, or an explorer whose cell does not show the
  picture it stores beside its widget view;
- a missing run box: download link (the notebook itself), the Binder link from
  ``nbtext.book.binder_link``, and the command to run the chapter locally.

The sidebar must list every chapter and the search page must find a chapter. A screenshot of
each page's top, and of the first explorer on the pages that have one, goes to
``test-artifacts/site/`` (git-ignored).

Needs Sphinx, myst-nb and sphinx-book-theme (``pip install -e ".[site]"``) and Debian's
Chromium at /usr/bin/chromium; skips without them.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from headless import chromium

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("myst_nb", reason="the site needs myst-nb: pip install -e '.[site]'")
pytest.importorskip("sphinx_book_theme", reason="the site needs sphinx-book-theme")

from nbtext.book import CHAPTERS, binder_link  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "site"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PAGES = [f"notebooks/{Path(name).stem}.html" for name in CHAPTERS] + ["docs/teaching.html"]

# The article's text outside code and outputs (where a dollar sign may be literal).
PROSE_TEXT_JS = """() => {
    const article = document.querySelector("article").cloneNode(true);
    article.querySelectorAll("pre, code, .cell_output, mjx-container, script, style")
        .forEach((e) => e.remove());
    return article.textContent;
}"""

# Every image in the article, and whether it loaded.
IMAGES_JS = """() => [...document.querySelectorAll("article img")].map((img) => ({
    src: img.getAttribute("src"),
    loaded: img.complete && img.naturalWidth > 0 && img.naturalHeight > 0,
}))"""

# Output areas that show nothing: no text, no loaded image, no typeset math, zero height.
EMPTY_OUTPUTS_JS = """() => [...document.querySelectorAll("article .cell_output")]
    .map((area, index) => ({index, area}))
    .filter(({area}) => {
        const text = area.textContent.trim().length > 0;
        const image = [...area.querySelectorAll("img")].some((i) => i.naturalWidth > 0);
        const tall = area.getBoundingClientRect().height > 4;
        return !(tall && (text || image));
    })
    .map(({index, area}) => `output ${index}: ${area.innerHTML.slice(0, 200)}`)"""

# The site's own pages and files the article links to (without #fragments), each once.
INTERNAL_LINKS_JS = """() => [...new Set([...document.querySelectorAll("article a[href]")]
    .map((a) => a.href.split("#")[0])
    .filter((href) => href.startsWith(location.origin + "/")))]"""

MATHJAX_DONE_JS = """async () => {
    if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) return -1;
    await MathJax.startup.promise;
    return document.querySelectorAll("mjx-container").length;
}"""


def _code_cells(stem: str) -> list[dict]:
    notebook = json.loads((REPO / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def _explorer_cells(stem: str) -> list[int]:
    """Positions, among the chapter's code cells, of the explorers: a widget view stored with
    its picture (a progress bar is a widget view too, stored with a line of text)."""
    return [
        index
        for index, cell in enumerate(_code_cells(stem))
        if any(
            WIDGET_VIEW in output.get("data", {}) and "image/png" in output["data"]
            for output in cell.get("outputs", [])
        )
    ]


def _without_network() -> list[str]:
    """A command prefix that runs a program with no network at all (a new, empty network
    namespace: ``unshare -n``), where the system allows it; else nothing."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def _build_site(out: Path) -> Path:
    """``make site``'s build, into ``out``, offline where the system can cut the network off
    (then a build that needed to download anything would fail); returns the HTML folder."""
    html = out / "site"
    result = subprocess.run(
        [*_without_network(), sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W",
         "--keep-going", "-c", "docs", "-d", str(out / "doctrees"), ".", str(html)],
        cwd=REPO, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, f"site build failed:\n{result.stderr[-3000:]}"
    return html


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site, served on a free loopback port; yields its base URL."""
    html = _build_site(tmp_path_factory.mktemp("site-build"))
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser_page(site: str) -> Iterator:
    """A Chromium page that records every request leaving the site and every failed one."""
    with chromium("the site test") as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.problems = []  # type: ignore[attr-defined]

            def on_request(request) -> None:
                if not request.url.startswith((site + "/", "data:", "blob:", "about:")):
                    page.problems.append(f"request left the site: {request.url}")

            def on_response(response) -> None:
                if response.status >= 400:
                    page.problems.append(f"HTTP {response.status}: {response.url}")

            def on_failed(request) -> None:
                page.problems.append(f"request failed ({request.failure}): {request.url}")

            page.on("request", on_request)
            page.on("response", on_response)
            page.on("requestfailed", on_failed)
            yield page
        finally:
            context.close()


def _visit(page, url: str) -> None:
    page.problems.clear()
    page.goto(url, wait_until="networkidle")


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_from_the_site_alone(browser_page, site: str, path: str) -> None:
    page = browser_page
    _visit(page, f"{site}/{path}")
    typeset = page.evaluate(MATHJAX_DONE_JS)
    # Lazy images load only as they scroll into view: make them load now, then wait for them.
    page.evaluate("() => document.querySelectorAll('img').forEach((i) => { i.loading = 'eager'; })")
    page.wait_for_function(
        "() => [...document.querySelectorAll('article img')].every((i) => i.complete)"
    )
    problems = list(page.problems)

    prose = page.evaluate(PROSE_TEXT_JS)
    for raw in ("\\(", "\\[", "$$"):
        if raw in prose:
            at = prose.index(raw)
            problems.append(
                f"raw TeX {raw!r} in the text: ...{prose[max(0, at - 60) : at + 60]}..."
            )
    if path.startswith("notebooks/") and path != "notebooks/00_index.html":
        if typeset <= 0:
            problems.append(f"MathJax typeset nothing (result {typeset})")
    problems += [
        f"image did not load: {i['src']}" for i in page.evaluate(IMAGES_JS) if not i["loaded"]
    ]
    problems += [f"empty output area: {area}" for area in page.evaluate(EMPTY_OUTPUTS_JS)]
    for link in page.evaluate(INTERNAL_LINKS_JS):
        try:
            with urllib.request.urlopen(link, timeout=10):
                pass
        except OSError as error:
            problems.append(f"broken link: {link} ({error})")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = Path(path).stem
    page.screenshot(path=str(ARTIFACTS / f"{stem}.png"))
    # Each explorer's cell shows its stored picture (the widget view itself needs a kernel).
    cells = page.locator("article div.cell")
    explorers = _explorer_cells(stem) if path.startswith("notebooks/") else []
    if explorers:  # myst-nb renders one div.cell per code cell, in order
        assert cells.count() == len(_code_cells(stem))
    for number, index in enumerate(explorers):
        picture = cells.nth(index).locator(".cell_output img")
        if picture.count() != 1 or not picture.evaluate("(i) => i.naturalWidth > 0"):
            problems.append(f"explorer in code cell {index} shows no picture")
        elif number == 0:
            picture.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"{stem}_explorer.png"))
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_page_offers_download_binder_and_local_run(
    browser_page, site: str, name: str
) -> None:
    page = browser_page
    _visit(page, f"{site}/notebooks/{Path(name).stem}.html")
    title = "Run the book" if name == CHAPTERS[0] else "Run this chapter"
    box = page.locator(".admonition", has_text=title)
    assert box.count() == 1
    download = box.locator("a.download")
    assert download.count() == 1
    href = download.get_attribute("href")
    assert href.endswith("/" + name), href
    notebook = page.evaluate("async (url) => (await fetch(url)).text()", href)
    stored = json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))
    assert json.loads(notebook) == stored, "the download is not the committed notebook"
    binder = box.locator("a", has_text="Binder").get_attribute("href")
    assert binder == binder_link(name)
    assert f"make lab OPEN=notebooks/{name}" in box.inner_text()


def test_navigation_lists_every_chapter_and_the_teaching_page(browser_page, site: str) -> None:
    page = browser_page
    _visit(page, f"{site}/index.html")  # the front door forwards to the index chapter
    page.wait_for_url(re.compile(r".*/notebooks/00_index\.html$"))
    links = page.locator("nav.bd-links a").evaluate_all("(links) => links.map((a) => a.href)")
    expected = [f"{site}/notebooks/{Path(name).stem}.html" for name in CHAPTERS]
    expected.append(f"{site}/docs/teaching.html")
    assert [link.split("#")[0] for link in links] == expected
    # "Next" at the bottom of a chapter goes to the following chapter.
    page.goto(f"{site}/notebooks/05_gradient_descent.html")
    page.locator("a.right-next").click()
    page.wait_for_url(re.compile(r".*/notebooks/06_backpropagation\.html$"))
    assert not page.problems


def test_search_finds_chapters(browser_page, site: str) -> None:
    page = browser_page
    _visit(page, f"{site}/search.html?q=backpropagation")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for()
    hrefs = results.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert any("06_backpropagation.html" in href for href in hrefs), hrefs
    assert not page.problems


def test_index_glossary_and_math_in_headings(browser_page, site: str) -> None:
    page = browser_page
    _visit(page, f"{site}/notebooks/00_index.html")
    glossary = page.locator("section", has=page.locator("h2", has_text="Glossary")).first
    assert glossary.locator("table tr").count() > 30
    assert "배치 정규화" in glossary.inner_text()
    _visit(page, f"{site}/notebooks/04_loss_functions.html")
    page.evaluate(MATHJAX_DONE_JS)
    heading = page.locator("h2", has_text="The cost")
    assert heading.locator("mjx-container").count() == 2  # $J(\theta)$ and $\tfrac12$
