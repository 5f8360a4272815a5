"""Screenshot an exported HTML view in headless Chromium, with one node clicked open.

    python scripts/screenshot_html.py documents.html docs/html-view.png [--node id:doc/杭政办函-2023-81]

Uses Playwright with the system's Chromium (Debian's `chromium` package), so nothing is
downloaded. The README's screenshot of the HTML view is made this way.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright


def screenshot(page_path: Path, out: Path, node: str | None, width: int = 1400, height: int = 820) -> list[str]:
    """Open the page, click ``node`` (or the first node), save a PNG; the console errors."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("no chromium on this machine (apt-get install chromium)")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("window.policykgStable === true", timeout=30_000)  # laid out, physics off
        target = node or page.evaluate("Object.keys(window.policykgNetwork.getPositions())[0]")
        box = page.locator("#network").bounding_box()
        point = page.evaluate(
            "id => window.policykgNetwork.canvasToDOM(window.policykgNetwork.getPositions([id])[id])", target)
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_timeout(300)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--node", help="the node to click (its id), default the first")
    args = parser.parse_args()
    errors = screenshot(args.page, args.out, args.node)
    for e in errors:
        print(f"console error: {e}", file=sys.stderr)
    print(f"wrote {args.out}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
