"""Write the finished output in one move, into a folder the build may own, deleting only what it made.

The rules, in the order they are applied:

- The folder named for the output is followed through symbolic links; the checks apply to the
  folder it leads to.
- It must not be, hold or sit inside the project's sources (content/, layouts/, assets/) or its
  cache (.cache/), nor be or hold the project folder itself, marked or not.
- It must be a folder (or not exist yet): a file, a FIFO, a socket or a device is refused.
- It must not exist, be empty, or carry the marker file this build writes in every output it
  makes; anything else is someone else's folder and is refused, untouched.
- Writing takes a lock beside the output, so that two builds of one output (a preview and a
  build by hand) write one after the other.
- Working folders beside the output carry the build's name and, inside, the marker; only those
  are ever removed or restored.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import os
import re
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

logger = logging.getLogger(__name__)

MARKER = ".progress-workbooks-output"
SIGNATURE = b"progress-workbooks output"
MARKER_TEXT = SIGNATURE + (
    b": made by build.py of the Progress for Providers workbooks; the next build replaces everything in this folder.\n"
)
TAG = "progress-workbooks"  # in the name of every working folder and lock file the build makes beside an output
LOCK_SIGNATURE = b"progress-workbooks lock"
LOCK_TIMEOUT = 600.0  # seconds a build waits for another build of the same output before giving up
POLL = 0.05


class Project(Protocol):
    """The folders of a project that an output must keep away from (pipeline.Paths is one)."""

    @property
    def root(self) -> Path:
        """The project folder."""

    @property
    def content(self) -> Path:
        """The content the build reads."""

    @property
    def layouts(self) -> Path:
        """The layouts the build reads."""

    @property
    def assets(self) -> Path:
        """The assets the build reads."""


class OutputRefused(Exception):
    """The output folder is not one the build may write; one sentence says which and what to do."""


class OutputError(OSError):
    """Writing the output failed: what failed on which path, and why (the system's reason)."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(error.errno, error.strerror or str(error), str(path))
        self.path = path

    def __str__(self) -> str:
        return f"could not write {self.path} ({self.strerror})"


def check_output(output: Path, project: Project) -> Path:
    """Return the folder `output` leads to, if a build may write it; else raise OutputRefused, touching nothing."""
    target = _follow(output)
    where = _named(output, target)
    _refuse_the_project(target, where, project)
    if _is_working_name(target.name):
        raise OutputRefused(
            f"refusing to build into {where}: its name is kept for the build's own working files; choose another name"
        )
    try:
        info = target.lstat()
    except (FileNotFoundError, NotADirectoryError):
        _refuse_unmakeable(target, where)
        return target
    if not stat.S_ISDIR(info.st_mode):
        raise OutputRefused(
            f"refusing to build into {where}: it is {_kind(info.st_mode)}, not a folder; "
            "choose a folder for the output (one is made if it does not exist)"
        )
    entries = os.listdir(target)
    if entries and not is_ours(target):
        if {"index.html", "assets"} <= set(entries):
            raise OutputRefused(
                f"refusing to build into {where}: it looks like an output made before outputs carried a "
                f"{MARKER} file, so it cannot be told from your own files; delete it yourself "
                "(or choose another folder) and build again"
            )
        raise OutputRefused(
            f"refusing to build into {where}: it holds files that this build did not make (it has no {MARKER} "
            "file); choose a new or empty folder, or delete it yourself if nothing in it is needed"
        )
    return target


def write_output(
    files: dict[str, bytes],
    output: Path,
    project: Project,
    keep: tuple[str, ...] = (),
    wait: float | None = None,
) -> list[str]:
    """Make the output hold exactly these files, swapped in whole; return the paths that changed.

    Files of the current output under a `keep` prefix that this build did not make are kept
    (a build without booklets keeps the booklets the site links to). Another build of the same
    output is waited for, up to `wait` seconds (LOCK_TIMEOUT by default).
    """
    target = check_output(output, project)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(target.parent, error) from error
    with locked(target, output, wait):
        recover_output(target)
        check_output(target, project)  # again, now that no other build is writing it
        current = _current_files(target)
        kept = {name for name, mode in current.items() if _keeps(name, keep, files) and stat.S_ISREG(mode)}
        files = {MARKER: MARKER_TEXT} | {name: data for name, data in files.items() if name != MARKER}
        changed = changed_files(files, target, current)
        removed = set(current) - set(files) - kept
        if not changed and not removed:
            return []
        staging = _stage(files, changed, kept, target)
        swap_in(staging, target)
    return sorted(changed + list(removed))


def _keeps(name: str, keep: tuple[str, ...], files: dict[str, bytes]) -> bool:
    """Tell whether a file of the current output is kept though this build did not make it."""
    return bool(keep) and name.startswith(keep) and name not in files


def is_ours(folder: Path) -> bool:
    """Tell whether a folder carries the marker of an output (or working folder) this build made."""
    marker = folder / MARKER
    try:
        if not stat.S_ISREG(marker.lstat().st_mode):
            return False
        with marker.open("rb") as file:
            return file.read(len(SIGNATURE)) == SIGNATURE
    except OSError:
        return False


def recover_output(output: Path) -> None:
    """Put back the last good output if a build was killed between its two renames; clear our own leftovers.

    Only folders named as this build names its working folders and carrying its marker (or
    holding nothing else) are restored or removed: anything else beside the output is left alone.
    """
    ours = [path for path in _working_folders(output) if _removable(path)]
    if not os.path.lexists(output):
        previous = [path for path in ours if path.name.startswith(f".{output.name}-{TAG}-old-") and is_ours(path)]
        if previous:
            latest = max(previous, key=lambda path: path.stat().st_mtime_ns)
            try:
                latest.rename(output)
            except OSError as error:
                raise OutputError(output, error) from error
            ours.remove(latest)
            logger.warning("restored %s from an interrupted build", output)
    for stale in ours:
        _discard(stale)


def changed_files(files: dict[str, bytes], output: Path, current: dict[str, int] | None = None) -> list[str]:
    """Return the paths whose bytes differ from what the output holds now (anything but a plain file differs)."""
    current = _current_files(output) if current is None else current
    changed = []
    for name, data in files.items():
        mode = current.get(name)
        path = output / name
        if mode is None or not stat.S_ISREG(mode) or path.lstat().st_size != len(data) or path.read_bytes() != data:
            changed.append(name)
    return changed


def existing_files(output: Path) -> set[str]:
    """Return every file (and link) now in the output, by its path inside it."""
    return set(_current_files(output))


@contextmanager
def locked(output: Path, given: Path | None = None, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of this output (a file beside it) while writing; wait for another build that holds it.

    The lock file is removed when it is released; a build that finds the lock file it holds is no
    longer the one on disk (its holder removed it) takes the new one, so two builds never both hold it.
    """
    path = output.parent / f".{output.name}-{TAG}.lock"
    where = _named(given or output, output)
    limit = LOCK_TIMEOUT if wait is None else wait
    deadline = time.monotonic() + limit
    told = False
    while True:
        descriptor = _open_lock(path, where)
        try:
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not told:
                        logger.warning("waiting for another build of %s to finish", where)
                        told = True
                    if time.monotonic() >= deadline:
                        raise OutputRefused(
                            f"gave up waiting for another build of {where} to finish after {limit:g} s; "
                            "try again once it has finished"
                        ) from None
                    time.sleep(POLL)
            held = os.fstat(descriptor)
            try:
                on_disk = os.lstat(path)
            except FileNotFoundError:
                on_disk = None
            if on_disk is not None and (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino):
                break
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)  # the holder removed it on release: take the one on disk now
    ours = False  # a file of that name that this build did not make is used as the lock, never changed or removed
    try:
        ours = os.pread(descriptor, len(LOCK_SIGNATURE), 0) in (b"", LOCK_SIGNATURE)
        if ours:
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, LOCK_SIGNATURE + f": a build of {output} by process {os.getpid()}\n".encode(), 0)
        yield
    finally:
        if ours:
            path.unlink(missing_ok=True)  # still holding it: no other build can have replaced it
        os.close(descriptor)


def swap_in(staging: Path, output: Path) -> None:
    """Put staging/ in place of output/: one atomic exchange on Linux, else two renames."""
    if os.path.lexists(output) and _exchange(staging, output):
        _discard(staging)  # it now holds the previous output
        return
    old = _working(output, "old")
    try:
        if os.path.lexists(output):
            output.rename(old)
        try:
            staging.rename(output)
        except BaseException:
            if old.exists() and not os.path.lexists(output):
                old.rename(output)
            raise
    except OSError as error:
        _discard(staging)
        raise OutputError(output, error) from error
    if old.exists():
        _discard(old)


def _stage(files: dict[str, bytes], changed: list[str], kept: set[str], output: Path) -> Path:
    """Write the new output into a working folder beside it: the marker first, changed files, links to the rest."""
    staging = _working(output, "new")
    path = staging
    rewrite = set(changed)
    try:
        staging.mkdir()
        for name in [MARKER, *sorted(set(files) - {MARKER}), *sorted(kept)]:
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if name in rewrite:
                path.write_bytes(files[name])
            else:
                _link(output / name, path, files.get(name))
    except OSError as error:
        _discard(staging)
        raise OutputError(path, error) from error
    except BaseException:
        _discard(staging)
        raise
    return staging


def _link(source: Path, path: Path, data: bytes | None) -> None:
    """Share an unchanged file with the current output; copy it where the file system cannot link."""
    try:
        os.link(source, path, follow_symlinks=False)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        path.write_bytes(source.read_bytes() if data is None else data)


def _current_files(output: Path) -> dict[str, int]:
    """Every entry but a folder now in the output, by its path inside it, with its mode (links not followed)."""
    found: dict[str, int] = {}
    if not output.is_dir():
        return found

    def fail(error: OSError) -> None:
        raise error

    for folder, folders, names in os.walk(output, onerror=fail):
        base = Path(folder)
        for name in [*names, *(name for name in folders if (base / name).is_symlink())]:
            path = base / name
            found[path.relative_to(output).as_posix()] = path.lstat().st_mode
    return found


def _working(output: Path, kind: str) -> Path:
    """Name a working folder beside the output: unmistakably this build's, and this process's."""
    return output.parent / f".{output.name}-{TAG}-{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _is_working_name(name: str) -> bool:
    """Tell whether a name is one the build gives its working folders or lock files."""
    return bool(re.fullmatch(rf"\..*-{TAG}-(new|old)-\d+-[0-9a-f]{{8}}|\..*-{TAG}\.lock", name))


def _working_folders(output: Path) -> list[Path]:
    """Return the folders beside the output named as this build names its working folders for it."""
    pattern = re.compile(rf"\.{re.escape(output.name)}-{TAG}-(new|old)-\d+-[0-9a-f]{{8}}")
    try:
        names = os.listdir(output.parent)
    except FileNotFoundError:
        return []
    found = []
    for name in names:
        path = output.parent / name
        if pattern.fullmatch(name) and not path.is_symlink() and path.is_dir():
            found.append(path)
    return found


def _removable(folder: Path) -> bool:
    """Tell whether a working folder is ours to remove: it carries the marker, or holds nothing else."""
    try:
        return set(os.listdir(folder)) <= {MARKER} or is_ours(folder)
    except OSError:
        return False


def _discard(folder: Path) -> None:
    """Remove a working folder of ours: its files, then its marker, then itself, so a kill midway leaves it ours."""
    if not _removable(folder):
        logger.warning("left %s in place: it does not carry the %s marker", folder, MARKER)
        return
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name == MARKER:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
        (folder / MARKER).unlink(missing_ok=True)
        folder.rmdir()
    except OSError as error:
        logger.warning("could not remove %s (%s)", folder, error.strerror)


def _open_lock(path: Path, where: str) -> int:
    """Open (or make) the lock file, never through a link; refuse anything but a plain file in its place."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EOPNOTSUPP):
            raise OutputRefused(
                f"refusing to build into {where}: {path} is in the way of the build's lock file; "
                "remove it or choose another folder"
            ) from None
        raise OutputError(path, error) from error
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OutputRefused(
            f"refusing to build into {where}: {path} is in the way of the build's lock file; "
            "remove it or choose another folder"
        )
    return descriptor


def _follow(output: Path) -> Path:
    """Return the absolute folder a path leads to, through any symbolic links."""
    try:
        return Path(os.path.abspath(output)).resolve()
    except (RuntimeError, OSError) as error:  # Python 3.11 says RuntimeError for a loop, later versions OSError
        if isinstance(error, OSError) and error.errno != errno.ELOOP:
            raise
        raise OutputRefused(
            f"refusing to build into {output}: it is a symbolic link that leads in a circle; choose a real folder"
        ) from None


def _named(given: Path, target: Path) -> str:
    """Name the output as given, and where a link led, if it did."""
    shown = Path(os.path.abspath(given))
    return str(target) if shown == target else f"{shown} (which leads to {target})"


def _refuse_the_project(target: Path, where: str, project: Project) -> None:
    """Refuse an output that is or holds the project, or is, holds or sits inside its sources or cache."""
    root = _follow(project.root)
    suggestion = f"choose a folder of its own, such as {root / 'output'}"
    if root.is_relative_to(target) or _same_or_above([target], [root]):
        raise OutputRefused(
            f"refusing to build into {where}: it {_is_or_holds(target, [root])} the project folder {root}, and a "
            f"build replaces everything in its output; {suggestion}"
        )
    for label, role, source in (
        ("content", "reads", project.content),
        ("layouts", "reads", project.layouts),
        ("assets", "reads", project.assets),
        (".cache", "keeps its cache in", project.root / ".cache"),
    ):
        folders = {Path(os.path.abspath(source)), _follow(source)}
        if any(folder.is_relative_to(target) for folder in folders) or _same_or_above([target], folders):
            raise OutputRefused(
                f"refusing to build into {where}: it {_is_or_holds(target, folders)} the project's {label}/ folder, "
                f"which the build {role}; {suggestion}"
            )
        if any(target.is_relative_to(folder) for folder in folders) or _same_or_above(folders, [target]):
            raise OutputRefused(
                f"refusing to build into {where}: it is inside the project's {label}/ folder, which the build "
                f"{role}; {suggestion}"
            )


def _is_or_holds(target: Path, folders: Iterable[Path]) -> str:
    """Say whether the output is one of these folders ("is") or a folder above them ("holds")."""
    identity = _identity(target)
    same = target in folders or (identity is not None and identity in {_identity(folder) for folder in folders})
    return "is" if same else "holds"


def _same_or_above(upper: Iterable[Path], lower: Iterable[Path]) -> bool:
    """Tell, by device and inode (so bind mounts and letter case cannot hide it), whether a folder of `upper`
    is one of the folders of `lower` or one of their parents."""
    above = set()
    for folder in lower:
        for path in (folder, *folder.parents):
            if (identity := _identity(path)) is not None:
                above.add(identity)
    return any(_identity(folder) in above for folder in upper)


def _identity(path: Path) -> tuple[int, int] | None:
    """Return a folder's device and inode, or None if it is not there."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None


def _refuse_unmakeable(target: Path, where: str) -> None:
    """Refuse an output that cannot be made because something on its way is not a folder."""
    for parent in target.parents:
        try:
            info = parent.stat()
        except FileNotFoundError:
            continue
        except OSError:
            return  # the attempt to make it will say why
        if not stat.S_ISDIR(info.st_mode):
            raise OutputRefused(
                f"refusing to build into {where}: {parent} is {_kind(info.st_mode)}, not a folder, so the output "
                "cannot be made there; choose another folder"
            )
        return


def _kind(mode: int) -> str:
    """Say what a non-folder is."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link that leads nowhere it can follow"
    return "a file"


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
