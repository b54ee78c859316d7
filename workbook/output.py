"""Write the finished output in one move, so a failed or killed build leaves the last good one."""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import sys
from pathlib import Path

logger = logging.getLogger(__name__)


def _sibling(output: Path, kind: str) -> Path:
    """Return a working folder beside output/, named for this process."""
    return output.parent / f".{output.name}-{kind}-{os.getpid()}"


def recover_output(output: Path) -> None:
    """Put back the last good output if a build was killed between its two renames; clear leftovers."""
    if not output.exists():
        previous = sorted(output.parent.glob(f".{output.name}-old-*"))
        if previous:
            previous[-1].rename(output)
            logger.warning("restored %s from an interrupted build", output)
    for stale in output.parent.glob(f".{output.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)


def changed_files(files: dict[str, bytes], output: Path) -> list[str]:
    """Return the paths whose bytes differ from what output/ holds now."""
    changed = []
    for name, data in files.items():
        path = output / name
        if not path.is_file() or path.stat().st_size != len(data) or path.read_bytes() != data:
            changed.append(name)
    return changed


def existing_files(output: Path) -> set[str]:
    """Return every file now in output/, by its path inside it."""
    return (
        {path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file()}
        if output.is_dir()
        else set()
    )


def write_output(files: dict[str, bytes], output: Path) -> list[str]:
    """Make output/ hold exactly these files, swapped in whole; return the paths that changed."""
    recover_output(output)
    changed = changed_files(files, output)
    removed = existing_files(output) - set(files)
    if not changed and not removed:
        return []
    staging = _sibling(output, "new")
    try:
        for name, data in sorted(files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if name in changed:
                path.write_bytes(data)
            else:
                os.link(output / name, path)  # unchanged: share the file, write nothing new
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, output)
    return sorted(changed + list(removed))


def swap_in(staging: Path, output: Path) -> None:
    """Put staging/ in place of output/: one atomic exchange on Linux, else two renames."""
    if output.exists() and _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous output
        return
    old = _sibling(output, "old")
    if output.exists():
        output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step with renameat2(RENAME_EXCHANGE); False where that is not available."""
    if sys.platform != "linux":
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return bool(renameat2(at_fdcwd, bytes(first), at_fdcwd, bytes(second), rename_exchange) == 0)
