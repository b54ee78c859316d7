"""The way from a booklet to its scoring page: the site's address checked, and a QR code drawn as vectors.

The site's address is `url:` in content/_shared/site.yaml, where output/ is published. A workbook's scoring
page is then at `<url><slug>/score/` (the directory form of `<slug>/score/index.html`, shorter to scan and to
type). The booklets print it twice, on the inside cover and on the summary sheet: a QR code drawn by segno as
inline SVG (WeasyPrint draws it as vectors, tagged as a Figure whose alternative text is the SVG's title), and
beside it the address written short ("workbooks.example.org/homecare/score") for typing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup, escape

SCHEMES = ("https", "http")
NO_URL = "site.yaml sets no url: the booklets carry no QR code to their scoring pages (set url: to add one)"
EXPECTED_URL = (
    "expected the absolute http:// or https:// address where output/ is published, "
    "with no ?query or #fragment, like https://workbooks.example.org/"
)
# The characters an address may hold as written (RFC 3986): anything else is to be %-escaped, or punycode for a host.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*\Z")
ERROR_CORRECTION = "m"  # about 15% of the code may be smudged or torn and it still reads
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
MODULE_MM = 0.7  # printed size of one module: phones read 0.5 mm and up from a page held in the hand
SMALLEST_MM = 30  # the code, quiet zone included, is never printed smaller than this (about 23 mm of modules)


def check_site_url(value: str) -> tuple[str, str]:
    """Return the site's address ending in '/' and ''; or '' and what is wrong with it, to say after the value."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (reading the port checks it: one that is not a number from 0 to 65535 raises)
    except ValueError:
        return "", "is not a web address"
    if parts.scheme.lower() not in SCHEMES or not value.lower().startswith(f"{parts.scheme.lower()}://"):
        return "", "is not an http:// or https:// address"
    if not _URL_CHARACTERS.match(value):
        return "", "has a space or a character an address cannot hold as written (%-escape it; punycode for a host)"
    if not parts.hostname or "@" in parts.netloc:
        return "", "names no host, or a user name or password with it"
    if "?" in value or "#" in value:
        return "", "has a ?query or a #fragment"
    url = f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path}"
    return (url if url.endswith("/") else f"{url}/"), ""


@dataclass(frozen=True)
class ScoringLink:
    """A workbook's scoring page as a booklet prints it: its address in full, written short, and as a QR code."""

    url: str  # in full, what the QR code holds: https://workbooks.example.org/homecare/score/
    short: str  # to type: workbooks.example.org/homecare/score
    svg: Markup  # the QR code, inline SVG, black on white, with its quiet zone and its address as alternative text
    size_mm: float  # its printed width and height, quiet zone included


def scoring_link(site_url: str, slug: str) -> ScoringLink | None:
    """Return the link to a workbook's scoring page, or None when the site sets no address."""
    if not site_url:
        return None
    url = f"{site_url}{slug}/score/"
    short = url.split("://", 1)[1].rstrip("/")
    svg, size = _qr_svg(url)
    return ScoringLink(url=url, short=short, svg=svg, size_mm=size)


def _qr_svg(url: str) -> tuple[Markup, float]:
    """Draw a QR code of an address as inline SVG sized for print; the same address gives the same bytes."""
    import segno

    code = segno.make(url, error=ERROR_CORRECTION, micro=False, boost_error=False)
    modules = code.symbol_size(border=QUIET_ZONE)[0]
    size = max(SMALLEST_MM, round(modules * MODULE_MM, 2))
    alt = f"QR code for the scoring page: {url}"
    drawn = code.svg_inline(
        border=QUIET_ZONE, dark="#000", light="#fff", title=alt, omitsize=True, svgclass="qr", lineclass=None
    )
    attributes = f'role="img" aria-label="{escape(alt)}" width="{size}mm" height="{size}mm" '
    return Markup(drawn.replace("<svg ", f"<svg {attributes}", 1)), size
