#!/usr/bin/env python3
"""Opens the sample HTML reports in headless Chromium and checks what renders.

Usage: html_render_test.py PATH/TO/export_sample

For each page written by export_sample: the DOM Chromium builds (--dump-dom)
holds the SVG charts and the French text with its accents intact (a wrong
charset would turn "é" into "Ã©"), and no script; a screenshot is not blank
and shows the chart bar colour over a plausible area; a print to PDF (A4,
one section per page) gives several pages. Exits 77 (CTest skip) only when
chromium is not installed. Each Chromium run takes about a second here; the
whole test stays well under 20 s.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
RUN_TIMEOUT_S = 30
WINDOW = (1200, 2000)
BAR_RGB = (0x1F, 0x5F, 0xA8)  # kBarColor in svg_charts.h
HIGHLIGHT_RGB = (0xD9, 0x48, 0x0F)  # kHighlightColor

# Page file name prefix -> (min <svg> count, texts the page must show).
EXPECTED = {
    "rapport-atelier-": (4, [
        "Emploi et développement économique",
        "Représentativité des acteurs",
        "Collectivité territoriale",
        "Centre de ressources politique de la ville",
        "Service de l'État",
        "Catégories sous-représentées",
        "6 février 2018, 09:30 – 12:30",
        "Parrainage « 1 jeune, 1 mentor »",
        "Action concrète",
    ]),
    "rapport-prefecture-": (6, [
        "Rapport de la préfecture : Nord (59)",
        "Région Hauts-de-France",
        "Les ateliers côte à côte",
        "Image des quartiers — 13 février 2018",
        "Lutte contre les discriminations",
    ]),
}


def fail(message):
    print("FAIL: " + message)
    return 1


def chromium_binary():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def run_chromium(chromium, profile, args, url):
    # A fresh profile per run: no shared state, no first-run work, nothing
    # fetched (the pages are self-contained anyway).
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking", "--disable-sync",
        "--hide-scrollbars", "--force-color-profile=srgb",
        "--window-size=%d,%d" % WINDOW,
    ] + args + [url]
    start = time.monotonic()
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=RUN_TIMEOUT_S, check=False)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        raise RuntimeError("chromium exited %d: %s" % (
            result.returncode, result.stderr.decode("utf-8", "replace")[-2000:]))
    return result.stdout, elapsed


def check_dom(name, dom, min_svgs, texts):
    errors = []
    if not re.search(r'<html[^>]*\blang="fr"', dom):
        errors.append('no <html lang="fr">')
    svgs = re.findall(r"<svg\b[^>]*>", dom)
    if len(svgs) < min_svgs:
        errors.append("%d <svg> elements, expected at least %d" % (len(svgs), min_svgs))
    for svg in svgs:
        if 'role="img"' not in svg or "viewBox=" not in svg:
            errors.append("svg without role=img or viewBox: " + svg[:120])
    if dom.count("<title id=") < len(svgs):
        errors.append("some svg has no <title>")
    for text in texts:
        if text not in dom:
            errors.append("missing text: " + text)
    # UTF-8 read as Latin-1 shows up as "Ã©", "Ã¨", "â€"...
    if "Ã" in dom or "â€" in dom:
        errors.append("mojibake: the page was not decoded as UTF-8")
    if re.search(r"<script\b", dom, re.IGNORECASE):
        errors.append("the page has a <script> element")
    if re.search(r'(?:src|href)="https?:', dom):
        errors.append("the page links an external resource")
    if name.startswith("rapport-atelier-"):
        chart = re.search(r'<svg id="chart-categories".*?</svg>', dom, re.DOTALL)
        bars = len(re.findall(r'<rect class="bar', chart.group(0))) if chart else 0
        # The sample has attendees in 7 categories (none from businesses).
        if bars != 7:
            errors.append("category chart has %d bars, expected 7" % bars)
    return errors


def check_screenshot(png_path, name):
    from PIL import Image  # Debian's python3-pil

    errors = []
    image = Image.open(png_path).convert("RGB")
    if image.size != WINDOW:
        errors.append("screenshot is %dx%d" % image.size)
    # A colour histogram: far faster than walking 2.4 million pixels.
    histogram = image.getcolors(maxcolors=WINDOW[0] * WINDOW[1])
    total = WINDOW[0] * WINDOW[1]
    non_white = sum(n for n, p in histogram if min(p) < 245)
    colours = len(histogram)

    def near(p, rgb):
        return all(abs(a - b) <= 3 for a, b in zip(p, rgb))

    bar = sum(n for n, p in histogram if near(p, BAR_RGB))
    highlight = sum(n for n, p in histogram if near(p, HIGHLIGHT_RGB))
    print("  %s: %.1f%% non-white, %d colours, %d bar-colour pixels, %d highlight pixels" % (
        name, 100.0 * non_white / total, colours, bar, highlight))
    if non_white < total * 0.03 or colours < 20:
        errors.append("screenshot looks blank")
    # Several bars of ~20 px by 50..400 px each; not a page flooded with blue.
    if not 5000 <= bar <= total * 0.15:
        errors.append("%d pixels of the bar colour, expected 5000..%d" % (bar, total * 0.15))
    if name.startswith("rapport-atelier-") and highlight < 200:
        errors.append("no under-represented (highlighted) bar visible")
    return errors


def pdf_pages(pdf_path):
    with open(pdf_path, "rb") as f:
        data = f.read()
    counts = [int(c) for c in re.findall(rb"/Count (\d+)", data)]
    return max(counts) if counts else 0


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    chromium = chromium_binary()
    if chromium is None:
        print("SKIP: chromium is not installed")
        return SKIP

    with tempfile.TemporaryDirectory(prefix="qpv-html-render-") as tmp:
        pages_dir = os.path.join(tmp, "pages")
        os.mkdir(pages_dir)
        subprocess.run([argv[1], pages_dir], check=True, timeout=RUN_TIMEOUT_S,
                       stdout=subprocess.DEVNULL)
        pages = sorted(f for f in os.listdir(pages_dir) if f.endswith(".html"))
        if len(pages) != 2:
            return fail("export_sample wrote %s, expected two HTML pages" % pages)

        errors = []
        for i, page in enumerate(pages):
            path = os.path.join(pages_dir, page)
            url = "file://" + path
            prefix = next((p for p in EXPECTED if page.startswith(p)), None)
            if prefix is None:
                return fail("unexpected page " + page)
            min_svgs, texts = EXPECTED[prefix]

            dom_bytes, t_dom = run_chromium(
                chromium, os.path.join(tmp, "profile-dom-%d" % i), ["--dump-dom"], url)
            errors += ["%s: %s" % (page, e)
                       for e in check_dom(page, dom_bytes.decode("utf-8"), min_svgs, texts)]

            png = os.path.join(tmp, page + ".png")
            _, t_shot = run_chromium(
                chromium, os.path.join(tmp, "profile-shot-%d" % i), ["--screenshot=" + png], url)
            if not os.path.exists(png):
                errors.append("%s: no screenshot written" % page)
            else:
                errors += ["%s: %s" % (page, e) for e in check_screenshot(png, page)]

            pdf = os.path.join(tmp, page + ".pdf")
            _, t_pdf = run_chromium(
                chromium, os.path.join(tmp, "profile-pdf-%d" % i),
                ["--no-pdf-header-footer", "--print-to-pdf=" + pdf], url)
            pages_printed = pdf_pages(pdf) if os.path.exists(pdf) else 0
            # A page break before each section: at least one page per section.
            if pages_printed < 4:
                errors.append("%s: printed on %d A4 pages, expected one per section (>= 4)" %
                              (page, pages_printed))
            print("  %s: dump-dom %.1f s, screenshot %.1f s, pdf %.1f s (%d pages)" % (
                page, t_dom, t_shot, t_pdf, pages_printed))

        if errors:
            for e in errors:
                print("FAIL: " + e)
            return 1
    print("OK: %d pages rendered and checked" % len(pages))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
