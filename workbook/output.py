"""Write the finished output in one move, so a failed build leaves the last good one."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

logger = logging.getLogger(__name__)


def _sibling(output: Path, kind: str) -> Path:
    """Return a working folder beside output/, named for this process."""
    return output.parent / f".{output.name}-{kind}-{os.getpid()}"


def recover_output(output: Path) -> None:
    """Put back the last good output if a build was killed between its two renames."""
    if output.exists():
        for stale in output.parent.glob(f".{output.name}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        return
    previous = sorted(output.parent.glob(f".{output.name}-old-*"))
    if previous:
        previous[-1].rename(output)
        logger.warning("restored %s from an interrupted build", output)


def write_output(files: dict[str, bytes], output: Path) -> None:
    """Write every file into a new folder, then swap it in place of output/."""
    recover_output(output)
    staging = _sibling(output, "new")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for name, data in sorted(files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = _sibling(output, "old")
    if output.exists():
        output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)
