"""What the pages look like: Chinese glyphs really rendered (fonts present, no tofu boxes) and the
dark mode of Material's palette toggle, remembered across pages."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.browser

HAN_SAMPLE = "太空政策"
UNASSIGNED = "\u0378"  # never assigned in Unicode: whatever a browser draws for it is a "tofu" box

DRAW = """([text, font]) => {
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d');
  ctx.font = font; ctx.fillStyle = '#000'; ctx.textBaseline = 'top';
  ctx.fillText(text, 4, 4);
  let hash = 0, inked = 0;
  const data = ctx.getImageData(0, 0, 64, 64).data;
  for (let i = 3; i < data.length; i += 4) { hash = (hash * 31 + data[i]) >>> 0; if (data[i]) inked++; }
  return {width: ctx.measureText(text).width, pixels: `${inked} inked, hash ${hash}`};
}"""


def zh_font_families() -> set[str]:
    """Families fontconfig says can show Chinese."""
    if not shutil.which("fc-list"):
        return set()
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def test_chinese_glyphs_render(reader, document_pages):
    families = zh_font_families()
    assert families, "no font for Chinese is installed (apt-get install fonts-noto-cjk)"
    page = reader.open(document_pages[0])
    font = page.evaluate("() => { const s = getComputedStyle(document.querySelector('.md-typeset'));"
                         " return '32px ' + s.fontFamily; }")
    drawn = {ch: page.evaluate(DRAW, [ch, font]) for ch in [*HAN_SAMPLE[:2], UNASSIGNED]}
    for ch in HAN_SAMPLE[:2]:
        assert drawn[ch]["width"] > 10, f"{ch!r} has no width in {font}"
        assert drawn[ch]["pixels"] != drawn[UNASSIGNED]["pixels"], f"{ch!r} is drawn as a missing-glyph box"
    assert drawn[HAN_SAMPLE[0]]["pixels"] != drawn[HAN_SAMPLE[1]]["pixels"], "different Han characters look alike"
    # The fonts Chromium really used for the Chinese heading include one that covers Chinese.
    heading = page.locator(".md-content__inner h1").first
    assert re.search(r"[\u4e00-\u9fff]", heading.inner_text())
    cdp = reader.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".md-content__inner h1"})["nodeId"]
    used = {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    assert used & families, f"the heading is drawn with {used}, none of which covers Chinese ({sorted(families)[:5]}…)"
    assert not reader.errors, reader.errors


def luminance(css_color: str) -> float:
    r, g, b = (int(x) for x in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def colours(page) -> tuple[float, float]:
    body = page.evaluate("() => { const s = getComputedStyle(document.body);"
                         " return [s.backgroundColor, s.color]; }")
    return luminance(body[0]), luminance(body[1])


def test_dark_mode_toggle(reader, document_pages):
    page = reader.open("")
    background, text = colours(page)
    assert background > 0.8 and text < 0.5, "the light scheme is not light"
    for _ in range(3):  # the toggle cycles: follow the system -> light -> dark
        if page.evaluate("() => document.body.dataset.mdColorScheme") == "slate":
            break
        page.locator("form[data-md-component=palette] label:not([hidden])").click()
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == "slate", "no dark scheme reached"
    page.wait_for_timeout(300)  # Material's colour transition
    background, text = colours(page)
    assert background < 0.25 and text > 0.6, f"the dark scheme is not dark (background {background:.2f}, text {text:.2f})"
    # Remembered on the next page, which still shows its Chinese text.
    page = reader.open(document_pages[0])
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == "slate", "dark mode is forgotten on the next page"
    page.wait_for_timeout(300)
    background, text = colours(page)
    assert background < 0.25 and text > 0.6
    reader.screenshot("dark-mode")
    assert not reader.errors, reader.errors
