"""No wasted pages: each booklet page is used, each detailed action plan is one page, no table row left alone.

Measured on WeasyPrint's layout of each web booklet (tests/pages.py); `python3 -m tests.pages` prints the same.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import real_project, real_workbook
from tests.pages import UNDER_USED, layout, lone_rows, pages, pages_of
from workbook.forms import BookletForm

SLUGS = sorted(wb.slug for wb in real_project().workbooks)
SITE = "https://workbooks.example.org/"  # a published site's address: its QR codes take room in the booklet
MOST_UNDER_USED = 0.03  # the share of a booklet's pages (covers and notes aside) that may be under-used
PT_PER_PX = 0.75


@pytest.mark.parametrize("url", ["", SITE], ids=["no-url", "url"])
@pytest.mark.parametrize("slug", SLUGS)
def test_few_pages_are_under_used(slug: str, url: str) -> None:
    """At most 3% of a booklet's pages, covers and notes aside, use less than 35% of their text block."""
    measured = [page for page in pages(layout(slug, url)) if page.measured]
    under = [page for page in measured if page.under_used]
    listed = ", ".join(f"page {page.number} ({page.heading}) {page.fill:.0%}" for page in under)
    assert len(under) <= MOST_UNDER_USED * len(measured), f"{len(under)} of {len(measured)} under-used: {listed}"


@pytest.mark.parametrize("slug", SLUGS)
def test_each_detailed_action_plan_is_one_full_page(slug: str) -> None:
    """Every detailed action plan stands on one page, its prompts' writing space reaching the foot of it."""
    document = layout(slug)
    plans = pages_of(document, "plan-page")
    assert len(plans) == len(BookletForm(real_workbook(slug)).plans)
    assert [len(numbers) for numbers in plans] == [1] * len(plans), f"action plans over pages {plans}"
    measured = pages(document)
    assert all(measured[numbers[0] - 1].fill > 0.95 for numbers in plans), "an action plan leaves its page's foot empty"


@pytest.mark.parametrize("slug", SLUGS)
def test_no_table_row_stands_alone_on_a_page(slug: str) -> None:
    """No page holds a single row of a table that has more: it goes over with a neighbour."""
    assert lone_rows(layout(slug)) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_the_measure_sees_the_booklet_the_build_writes(real_output: Path, slug: str) -> None:
    """The layout measured has the built booklet's pages, and no word printed on a page stands below its measure."""
    pdf = real_output / "pdf" / f"{slug}.pdf"
    measured = pages(layout(slug))
    assert len(measured) == len(PdfReader(pdf).pages)
    document = layout(slug)
    for page, words in zip(measured, word_bottoms(pdf), strict=True):
        if not page.measured:
            continue
        box = document.pages[page.number - 1]._page_box
        top, height = box.content_box_y() * PT_PER_PX, box.height * PT_PER_PX
        text = [bottom for bottom in words if top < bottom <= top + height]  # not the running head or page number
        assert max(text, default=top) <= top + page.fill * height + 1, f"page {page.number}: text below its measure"


def word_bottoms(pdf: Path) -> list[list[float]]:
    """The bottom of every word on each page of a PDF, in points from the page's top (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[float(y) for y in re.findall(r'<word [^>]*yMax="([\d.]+)"', page)] for page in html.split("<page ")[1:]]


def test_the_measure_tells_a_short_page_a_cover_and_a_lone_row() -> None:
    """On a made-up booklet: a page a third full, a cover set aside, a table's last row alone on its page."""
    import weasyprint

    html = """<style>@page { size: A4; margin: 20mm } @page cover { margin: 0 } body { margin: 0 }
      .cover { page: cover; height: 297mm } .third { height: 85.6mm; border-bottom: 1pt solid }
      tr { height: 60mm; break-inside: avoid } td { border: 1pt solid }</style>
      <section class="cover"></section><div class="third"></div>
      <p style="break-before: page; margin: 0; font: 36pt/1 serif">A line of text</p>
      <table style="break-before: page"><tbody>ROWS</tbody></table>""".replace("ROWS", "<tr><td>row</td></tr>" * 5)
    document = weasyprint.HTML(string=html).render()
    cover, third, line, table, rest = pages(document)
    assert (cover.kind, cover.measured) == ("cover", False)
    assert third.under_used and third.fill == pytest.approx(85.6 / 257, abs=0.01) and third.fill < UNDER_USED
    assert line.fill == pytest.approx(12.7 / 257, abs=0.005)
    assert not table.under_used and rest.under_used
    assert [(row.page, row.rows) for row in lone_rows(document)] == [(5, 5)]
