"""Files that hold personal data (backups): readable by their owner only, from the first byte."""

import os
from pathlib import Path

OWNER_ONLY = 0o600


def create_private(path: Path) -> int:
    """A new file at `path`, mode 0600, opened for writing; FileExistsError if one is there.

    O_CREAT|O_EXCL with the mode given to open() itself: the file never exists with wider
    permissions, not even between its creation and a chmod, and whatever the umask (a umask can
    only narrow the mode; the fchmod below only makes sure it is not narrower than 0600).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    os.fchmod(fd, OWNER_ONLY)
    return fd


def remove_quietly(path: Path) -> None:
    """A half-written backup is worse than none: it looks like one."""
    path.unlink(missing_ok=True)


def human_size(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"
