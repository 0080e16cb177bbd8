"""The data browser: every target listed and linked to its quote, text escaped, every link resolving,
the same bytes every time; and, in a real headless Chromium, filtering and following a number to its quote."""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from mfgpolicy._io import atomic_folder
from mfgpolicy.errors import OutputError
from mfgpolicy.outputs.site import write_site
from mfgpolicy.project import Project
from tests.conftest import PROJECT, ROOT, catalog_with, require_tool

NASTY = '<script>alert("x")</script> & <b>bold</b>'
"""Text that must reach the page as text (a curator's note and a source's title carry it here)."""


@pytest.fixture(scope="module")
def catalog() -> object:
    def nasty(frames: dict[str, pl.DataFrame]) -> None:
        targets, sources = frames["targets"], frames["sources"]
        frames["targets"] = targets.with_columns(
            notes=pl.when(pl.col("target_id") == "yuyao-2018-t001").then(pl.lit(NASTY)).otherwise(pl.col("notes")))
        first, last = sources["source_id"].min(), sources["source_id"].max()
        frames["sources"] = sources.with_columns(
            title=pl.when(pl.col("source_id") == first).then(pl.lit(NASTY)).otherwise(pl.col("title")),
            url=pl.when(pl.col("source_id") == last).then(pl.lit("javascript:alert(1)")).otherwise(pl.col("url")))

    con = catalog_with(nasty)
    yield con
    con.close()


@pytest.fixture(scope="module")
def site(catalog: object, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("site") / "site", con=catalog, project=PROJECT)


class Page(HTMLParser):
    """What a test needs from a page: ids, links, and the marked text of a plan."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []
        self.plan_text: list[str] = []
        self.marked: dict[str, list[str]] = {}
        self.rows: dict[str, str] = {}
        self._stack: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if name in attributes:
                self.links.append((tag, name, attributes[name]))
        if tag == "tr" and attributes.get("id", "").startswith("row-"):
            self.rows[attributes["id"][4:]] = ""
        if tag == "a" and "num" in attributes.get("class", "").split() and self.rows:
            self.rows[next(reversed(self.rows))] = attributes["href"]
        if tag not in ("meta", "link", "input", "br"):
            self._stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if any("plan-text" in a.get("class", "") for _, a in self._stack):
            self.plan_text.append(data)
            for tag, attributes in self._stack:
                if tag == "mark":
                    for anchor in attributes.get("data-ids", "").split():
                        self.marked.setdefault(anchor, []).append(data)


def _pages(site: Path) -> dict[str, Page]:
    return {p.name: Page(p.read_text(encoding="utf-8")) for p in sorted(site.glob("*.html"))}


def test_every_target_is_listed_and_its_number_links_to_its_quote(site: Path, catalog: object) -> None:
    targets = catalog.sql("SELECT target_id, doc_id, quote FROM targets ORDER BY target_id").fetchall()
    pages = _pages(site)
    index = pages["index.html"]
    assert sorted(index.rows) == [t for t, _, _ in targets]
    for target_id, doc_id, quote in targets:
        assert index.rows[target_id] == f"plan-{doc_id}.html#{target_id}"
        plan = pages[f"plan-{doc_id}.html"]
        assert target_id in plan.ids
        assert "".join(plan.marked[target_id]) == quote, target_id


def test_each_plan_page_holds_its_whole_text(site: Path, catalog: object) -> None:
    pages = _pages(site)
    for doc_id, raw_file in catalog.sql("SELECT doc_id, raw_file FROM documents").fetchall():
        text = (PROJECT.raw / raw_file).read_text(encoding="utf-8")
        assert "".join(pages[f"plan-{doc_id}.html"].plan_text) == text, doc_id


def test_every_link_resolves_and_nothing_comes_from_the_network(site: Path) -> None:
    pages = _pages(site)
    files = {p.name for p in site.iterdir()}
    assert files == {"index.html", "evidence.html", "site.css", "site.js", *(n for n in pages if n.startswith("plan-"))}
    external = 0
    for name, page in pages.items():
        for tag, attribute, url in page.links:
            if url.startswith(("http://", "https://")):
                assert (tag, attribute) == ("a", "href"), (name, url)  # only links out, never a script or style
                external += 1
                continue
            assert ":" not in url.split("#")[0], (name, url)
            target, _, fragment = url.partition("#")
            target = target or name
            assert target in files, (name, url)
            if fragment and target.endswith(".html"):
                assert fragment in pages[target].ids, (name, url)
    assert external > 100  # every source, observation and cited target links to its source


def test_text_is_escaped_and_only_web_addresses_are_links(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    evidence = (site / "evidence.html").read_text(encoding="utf-8")
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    assert escaped in index and escaped in evidence
    assert "<b>bold" not in index + evidence and 'alert("x")' not in index + evidence
    assert "javascript:" not in "".join(url for _, _, url in Page(evidence).links)


def test_the_data_version_licence_and_citation_are_shown(site: Path, catalog: object) -> None:
    from mfgpolicy.catalog import version_of

    version = version_of(catalog)
    for page in site.glob("*.html"):
        assert version in page.read_text(encoding="utf-8"), page.name
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "CC BY 4.0" in index and "https://creativecommons.org/licenses/by/4.0/" in index
    assert f"data version {version}. See CITATION.cff." in index


def test_the_same_data_give_the_same_bytes(site: Path, catalog: object, tmp_path: Path) -> None:
    again = write_site(tmp_path / "again", con=catalog, project=PROJECT)
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in site.iterdir())
    for page in site.iterdir():
        assert (again / page.name).read_bytes() == page.read_bytes(), page.name


def test_a_new_build_replaces_the_old_one_and_nothing_else(catalog: object, tmp_path: Path) -> None:
    out = write_site(tmp_path / "site", con=catalog, project=PROJECT)
    (out / "stale.html").write_text("from an older build")
    write_site(out, con=catalog, project=PROJECT)
    assert not (out / "stale.html").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious")
    with pytest.raises(OutputError, match="refusing to replace .*mine"):
        write_site(mine, con=catalog, project=PROJECT)
    assert (mine / "thesis.tex").read_text() == "precious"


def test_the_inputs_are_never_written(project: Path, catalog: object) -> None:
    copy = Project.at(project)
    for folder in (copy.raw / "site", copy.curated, project / "data"):
        with pytest.raises(OutputError):
            write_site(folder, con=catalog, project=copy)
    assert not (copy.raw / "site").exists()


def test_a_failed_build_leaves_the_previous_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("before")
    with pytest.raises(RuntimeError), atomic_folder(out) as tmp:
        (tmp / "index.html").write_text("half")
        raise RuntimeError("disk full")
    assert [p.name for p in tmp_path.iterdir()] == ["site"] and (out / "index.html").read_text() == "before"


def test_the_command_line(tmp_path: Path) -> None:
    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mfgpolicy", *argv], cwd=ROOT, capture_output=True, text=True,
                              check=False)

    helped = run("site", "--help")
    assert helped.returncode == 0 and "--out DIR" in helped.stdout and "file system" in helped.stdout
    (tmp_path / "file").write_text("")
    refused = run("site", "--out", str(tmp_path / "file"))
    errors = [line for line in refused.stderr.splitlines() if not line.startswith("data: ")]
    assert refused.returncode == 2 and len(errors) == 1 and "is a file" in errors[0], refused.stderr


CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser() -> object:
    require_tool(None if CHROMIUM and CHROMEDRIVER
                 else "Chromium is not installed: apt-get install chromium chromium-driver (.ci/run does)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


_SHOWN = "return Array.from(document.querySelectorAll('#targets tbody tr')).filter(r => r.offsetParent !== null)" \
         ".map(r => r.id.slice(4))"


def test_in_a_browser_filter_then_follow_a_number_to_its_quote(browser: object, site: Path, catalog: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    ids = [r[0] for r in catalog.sql("SELECT target_id FROM targets ORDER BY doc_id, char_start, char_end, "
                                     "target_id").fetchall()]
    yuyao = [t for t in ids if t.startswith("yuyao-2018-")]
    [(target_id, quote)] = catalog.sql("SELECT target_id, quote FROM targets WHERE city = 'Yuyao' AND "
                                       "indicator_key = 'energy_intensity'").fetchall()
    browser.get((site / "index.html").as_uri())
    assert browser.execute_script(_SHOWN) == ids

    Select(browser.find_element(By.ID, "f-city")).select_by_value("Yuyao")
    assert browser.execute_script(_SHOWN) == yuyao
    Select(browser.find_element(By.ID, "f-indicator")).select_by_value("energy_intensity")
    assert browser.execute_script(_SHOWN) == [target_id]
    assert browser.find_element(By.ID, "f-count").text == f"Showing 1 of {len(ids)} targets."
    assert browser.execute_script("return location.hash") == "#city=Yuyao&indicator=energy_intensity"

    browser.find_element(By.CSS_SELECTOR, f"#row-{target_id} a.num").click()
    WebDriverWait(browser, 5).until(lambda b: b.current_url.endswith(f"/plan-yuyao-2018.html#{target_id}"))
    marked = "return Array.from(document.querySelectorAll('mark.current')).map(m => m.textContent).join('')"
    WebDriverWait(browser, 5).until(lambda b: b.execute_script(marked) == quote)
    in_view = ("const r = document.querySelector('mark.current').getBoundingClientRect(); "
               "return r.top >= 0 && r.bottom <= window.innerHeight")
    WebDriverWait(browser, 5).until(lambda b: b.execute_script(in_view))
    assert browser.find_element(By.CSS_SELECTOR, ".target-list li.current").get_attribute("data-id") == target_id

    browser.back()
    WebDriverWait(browser, 5).until(lambda b: b.execute_script(_SHOWN) == [target_id])
    search = browser.find_element(By.ID, "f-text")
    browser.find_element(By.ID, "f-reset").click()
    search.send_keys("jinhua-2021-t006")
    assert browser.execute_script(_SHOWN) == ["jinhua-2021-t006"]
