"""The site is written to a folder beside its destination and swapped in whole when the build succeeds.

A failed build leaves the previous site untouched. An incremental build starts from a copy of the
previous site made of hard links (cheap even for 10,000 pages); a file is unlinked before it is
rewritten, so the live site never changes under a build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path


class StagedSite:
    """A site being built; ``publish`` swaps it in, leaving the context without it throws it away."""

    def __init__(self, destination: Path, start_from_previous: bool = False):
        self.destination = Path(destination).resolve()
        self.destination.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.destination.name}.building-", dir=self.destination.parent))
        self.root.chmod(0o755)
        self.published = False
        if start_from_previous and self.destination.is_dir():
            shutil.copytree(self.destination, self.root, copy_function=_link_or_copy, dirs_exist_ok=True)

    def __enter__(self) -> StagedSite:
        return self

    def __exit__(self, *exc) -> None:
        if not self.published:
            shutil.rmtree(self.root, ignore_errors=True)

    def path(self, site_path: str) -> Path:
        relative = site_path.lstrip("/")
        if relative.endswith("/") or not relative:
            relative += "index.html"
        return self.root / relative

    def write(self, site_path: str, content: str | bytes) -> None:
        """Write one file; a page's URL ending in / is written as its index.html."""
        target = self.path(site_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()  # may be a hard link to the live site's file
        data = content.encode() if isinstance(content, str) else content
        target.write_bytes(data)

    def read(self, site_path: str) -> bytes | None:
        target = self.path(site_path)
        return target.read_bytes() if target.exists() else None

    def remove(self, site_path: str) -> None:
        target = self.path(site_path)
        if target.exists():
            target.unlink()
        # Drop folders the removal left empty, up to the site's root.
        folder = target.parent
        while folder != self.root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

    def files(self, under: str) -> list[str]:
        """Site paths of the files below a folder of the site."""
        base = self.root / under.strip("/")
        if not base.is_dir():
            return []
        return sorted("/" + str(p.relative_to(self.root)) for p in base.rglob("*") if p.is_file())

    def publish(self) -> None:
        """Swap the built site in for the previous one: two renames, never a half-written folder."""
        old = None
        if self.destination.exists():
            old = self.destination.with_name(f".{self.destination.name}.old-{uuid.uuid4().hex[:8]}")
            os.rename(self.destination, old)
        os.rename(self.root, self.destination)
        self.published = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
