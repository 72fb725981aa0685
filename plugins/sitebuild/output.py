"""Writing the site so that a failed build never leaves half a site.

A whole build (``StagedSite``) writes a new folder beside the destination and swaps it in with two
renames. An incremental build (``StagedChanges``) renders the few changed files into a small folder
beside the site and, only once everything has succeeded, moves each into place (``os.replace``:
each file is whole at every moment) and removes the pages that are gone. Copying a 10,000-page site
for every small change would cost more than the change (creating 10,000 folders takes seconds).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path


def _file_path(site_path: str) -> str:
    """A site path's file: a page's URL ending in / is its index.html."""
    relative = site_path.lstrip("/")
    if relative.endswith("/") or not relative:
        relative += "index.html"
    return relative


def _link_or_copy(source, target) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


class _Staging:
    def __init__(self, destination: Path, prefix: str):
        self.destination = Path(destination).resolve()
        self.destination.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.destination.name}.{prefix}-", dir=self.destination.parent))
        self.root.chmod(0o755)
        self.published = False

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if not self.published:
            shutil.rmtree(self.root, ignore_errors=True)


class StagedSite(_Staging):
    """A whole new site; ``publish`` swaps it in for the previous one."""

    def __init__(self, destination: Path):
        super().__init__(destination, "building")

    def write(self, site_path: str, content: str | bytes) -> None:
        _write(self.root / _file_path(site_path), content.encode() if isinstance(content, str) else content)

    def exists(self, site_path: str) -> bool:
        return (self.root / _file_path(site_path)).exists()

    def add_file(self, site_path: str, source: Path) -> None:
        """Put a file that exists elsewhere (the media cache) into the site, as a hard link when possible."""
        target = self.root / _file_path(site_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(source, target)

    def remove(self, site_path: str) -> None:
        (self.root / _file_path(site_path)).unlink(missing_ok=True)

    def files(self, under: str) -> list[str]:
        base = self.root / under.strip("/")
        return sorted("/" + str(p.relative_to(self.root)) for p in base.rglob("*") if p.is_file())

    def publish(self) -> None:
        """Two renames: the old site out of the way, the new one in its place; then the old one goes."""
        old = None
        if self.destination.exists():
            old = self.destination.with_name(f".{self.destination.name}.old-{uuid.uuid4().hex[:8]}")
            os.rename(self.destination, old)
        os.rename(self.root, self.destination)
        self.published = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


class StagedChanges(_Staging):
    """Changes to an existing site, applied by ``publish`` once the whole build has succeeded."""

    def __init__(self, destination: Path):
        super().__init__(destination, "changes")
        self.written: set[str] = set()
        self.removed: set[str] = set()

    def write(self, site_path: str, content: str | bytes) -> None:
        relative = _file_path(site_path)
        data = content.encode() if isinstance(content, str) else content
        live = self.destination / relative
        self.removed.discard(relative)
        if live.is_file() and live.stat().st_size == len(data) and live.read_bytes() == data:
            self.written.discard(relative)
            return  # unchanged: nothing to move
        _write(self.root / relative, data)
        self.written.add(relative)

    def exists(self, site_path: str) -> bool:
        relative = _file_path(site_path)
        if relative in self.removed:
            return False
        return relative in self.written or (self.destination / relative).exists()

    def add_file(self, site_path: str, source: Path) -> None:
        relative = _file_path(site_path)
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(source, target)
        self.removed.discard(relative)
        self.written.add(relative)

    def remove(self, site_path: str) -> None:
        relative = _file_path(site_path)
        self.written.discard(relative)
        if (self.destination / relative).exists():
            self.removed.add(relative)

    def files(self, under: str) -> list[str]:
        base = self.destination / under.strip("/")
        live = (
            {str(p.relative_to(self.destination)) for p in base.rglob("*") if p.is_file()} if base.is_dir() else set()
        )
        prefix = under.strip("/") + "/"
        staged = {r for r in self.written if r.startswith(prefix)}
        return sorted("/" + r for r in (live | staged) - self.removed)

    def publish(self) -> None:
        """Move every changed file into place (the build's manifest last), then remove what is gone."""
        order = sorted(self.written, key=lambda r: (r.startswith(".sitebuild/"), r))
        for relative in order:
            target = self.destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / relative, target)
        for relative in sorted(self.removed):
            target = self.destination / relative
            target.unlink(missing_ok=True)
            folder = target.parent
            while folder != self.destination and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        self.published = True
        shutil.rmtree(self.root, ignore_errors=True)
