"""Gather the assets folder (css, js, fonts), refusing anything the site may not publish."""

from __future__ import annotations

import html as htmllib
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from .content import find_line
from .problems import AssetError, ContentError, Problem, shown_path, unreadable

IMAGE_SOURCE = re.compile(r'<img src="([^"]*)"')
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""")
FONT_SIGNATURES = {
    ".ttf": (b"\x00\x01\x00\x00", b"true", b"OTTO"),
    ".otf": (b"OTTO", b"\x00\x01\x00\x00"),
    ".woff": (b"wOFF",),
    ".woff2": (b"wOF2",),
}


def read_assets(assets: Path, root: Path) -> dict[str, bytes]:
    """Return every asset file's bytes by its site path under assets/; hidden files are left out."""
    files: dict[str, bytes] = {}
    problems = []
    for path in sorted(assets.rglob("*")):
        inside = path.relative_to(assets)
        if any(part.startswith(".") for part in inside.parts) or (path.is_dir() and not path.is_symlink()):
            continue
        why = unreadable(path, root)
        data = path.read_bytes() if why is None else b""
        shown = shown_path(path, root)
        problems += [Problem(shown, 1, f"the asset {why}")] if why else asset_problems(path, data, shown, root)
        files[f"assets/{inside.as_posix()}"] = data
    if problems:
        raise AssetError(problems)
    return files


def asset_problems(path: Path, data: bytes, shown: str, root: Path) -> list[Problem]:
    """Check what a browser or WeasyPrint would trip on: a damaged font, a stylesheet's text and addresses."""
    signatures = FONT_SIGNATURES.get(path.suffix.lower())
    if signatures and not data.startswith(signatures):
        return [
            Problem(shown, 1, f"the font is damaged (expected a {path.suffix} font, not a Git LFS pointer or text)")
        ]
    if path.suffix.lower() != ".css":
        return []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return [Problem(shown, line, f"byte 0x{data[error.start]:02x} is not UTF-8 (save the stylesheet as UTF-8)")]
    return [
        Problem(shown, text[: match.start()].count("\n") + 1, f"url({match.group(1)}) {why}")
        for match in CSS_URL.finditer(text)
        if (why := refused_url(match.group(1), path.parent, root))
    ]


def refused_url(url: str, folder: Path, root: Path) -> str | None:
    """Say why a stylesheet's url() may not be used: only data: and project files by relative path."""
    if url.startswith("data:") or url.startswith("#"):
        return None
    address = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if ":" in address or address.startswith(("/", "\\")):
        return "is refused (expected a relative address of a file inside the project)"
    target = Path(os.path.normpath(folder / address))
    if not target.is_relative_to(root.resolve()) and not target.is_relative_to(root):
        return "is refused: it points outside the project (expected a file inside it)"
    why = unreadable(target, root) if target.exists() else None  # a missing file is WeasyPrint's to report
    return None if why is None else f"is refused: it {why}"


def read_images(pages: dict[str, bytes], root: Path) -> dict[str, bytes]:
    """Return the project files the pages show as images and the site lacks (a picture kept beside content)."""
    images: dict[str, bytes] = {}
    problems = []
    for page, html in pages.items():
        if not page.endswith(".html"):
            continue
        for source in IMAGE_SOURCE.findall(html.decode("utf-8")):
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(htmllib.unescape(source))))
            if path in pages or path in images or ":" in source:
                continue
            why = unreadable(root / path, root) if not path.startswith("../") else "is outside the project"
            if why is None:
                images[path] = (root / path).read_bytes()
            else:
                where, line = find_line(root, path) or (page, 1)
                problems.append(Problem(where, line, f"image '{path}' {why} (expected a file inside the project)"))
    if problems:
        raise ContentError(sorted(set(problems), key=str))
    return images
