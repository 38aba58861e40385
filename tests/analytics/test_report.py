"""The HTML report opens and every image in it is a real, non-empty PNG."""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from analytics.fonts import cjk_font
from graph.embedded import EmbeddedStore
from innograph_cli.main import app
from tests.analytics.planted import planted_clusters

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img":
            self.images.append(found)
        for key in ("src", "href"):
            value = found.get(key) or ""
            if value.startswith(("http:", "https:", "//")):
                self.external.append(value)


def _check_png(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE) and len(data) > 2000
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        image.load()  # decodes every pixel: a truncated file fails here
        assert image.getextrema() != ((255, 255), (255, 255), (255, 255), (255, 255)), "blank image"
        return image.size


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("store")
    store = EmbeddedStore(data_dir / "graph.innograph")
    store.apply(planted_clusters(clusters=4, firms_per_cluster=10).changes)
    store.close()
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(
        app,
        ["report", "--out", str(out)],
        env={"INNOGRAPH_DATA_DIR": str(data_dir), "INNOGRAPH_STORE": "embedded", "NEO4J_URI": ""},
    )
    assert result.exit_code == 0, result.output
    assert "4 clusters" in result.output
    return out


@pytest.mark.slow
def test_every_image_resolves_to_a_valid_png(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    parser = _Images()
    parser.feed(page)
    assert len(parser.images) == 5
    assert parser.external == [], "the report must not load anything from the network"
    for img in parser.images:
        src = img["src"] or ""
        assert src.startswith("data:image/png;base64,")
        inline = base64.b64decode(src.split(",", 1)[1], validate=True)
        width, height = _check_png(inline)
        assert width > 300 and height > 200
        # The same chart is written beside the page as a PNG file.
        assert (report_dir / str(img["data-file"])).read_bytes() == inline


@pytest.mark.slow
def test_report_shows_clusters_and_the_target_table(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "科技型中小企业数量" in page and "2015年目标" in page
    assert page.count("<tr><td class=l>C") == 4
    assert sorted(p.name for p in (report_dir / "img").iterdir()) == [
        "cluster_network.png",
        "cluster_size.png",
        "cluster_strength.png",
        "growth_stages.png",
        "plan_targets.png",
    ]


def test_a_cjk_font_is_installed_for_chart_labels() -> None:
    # `make system-deps` installs fonts-wqy-microhei; without it labels would fall back to codes.
    assert cjk_font() is not None


def test_missing_cjk_font_is_logged_and_labels_fall_back(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from analytics import fonts

    fonts.cjk_font.cache_clear()
    monkeypatch.setattr(fonts, "CJK_FAMILIES", ("No Such Font",))
    try:
        with caplog.at_level("WARNING"):
            assert fonts.label("电子核心产业", "SEI 1.2") == "SEI 1.2"
        assert "no CJK font" in caplog.text
    finally:
        fonts.cjk_font.cache_clear()
