"""Images on the built site: a 1x and a 2x file chosen from the formats the API gives, copied into the site.

The API returns each image with its Strapi formats (thumbnail 245×156, small 500, medium 750,
large 1000, made at upload). For a picture shown ``width`` CSS pixels wide the smallest file at
least that wide serves 1x screens and the smallest at least twice as wide 2x screens; the original
stands in when no format is large enough. Nothing is resized at build time.

Files are copied into the site under ``/media/…`` so that the site stands alone, and kept in a
cache folder between builds: a media URL names one file's content for good (a new upload gets a
new name), so a file is downloaded once.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Picture:
    src: str
    srcset: str
    width: int
    height: int
    alt: str


def _candidates(image: dict) -> list[dict]:
    files = [f for f in (image.get("formats") or {}).values() if f and f.get("url")]
    files.append(image)
    return sorted((f for f in files if f.get("width")), key=lambda f: (f["width"], f["url"]))


def _at_least(files: list[dict], width: int) -> dict:
    return next((f for f in files if f["width"] >= width), files[-1])


def site_path(url: str) -> str:
    """Where a media URL's file lives in the built site: its path under /media/, whatever host served it."""
    path = unquote(urlsplit(url).path)
    clean = posixpath.normpath("/" + path.lstrip("/"))
    if not clean.startswith("/media/"):
        clean = "/media" + clean
    return clean


class MediaCollector:
    """Collects the media files the pages use; ``copy_into`` puts them in the site."""

    def __init__(self, source, cache_dir: Path, workers: int = 8):
        self.source = source
        self.cache_dir = Path(cache_dir)
        self.workers = workers
        self.wanted: dict[str, str] = {}  # site path -> media URL
        self._recorders: list[set] = []

    @contextmanager
    def recording(self) -> Iterator[set]:
        """Collect the site paths of the files pictures made inside the block use."""
        used: set = set()
        self._recorders.append(used)
        try:
            yield used
        finally:
            self._recorders.remove(used)

    def picture(self, image: dict | None, width: int, alt: str | None = None) -> Picture | None:
        """The 1x/2x picture for ``image`` (an API file object) shown ``width`` CSS pixels wide."""
        if not image or not image.get("url"):
            return None
        files = _candidates(image)
        if not files:
            return None
        one, two = _at_least(files, width), _at_least(files, width * 2)
        src = self._use(one["url"])
        srcset = f"{src} 1x" if one is two else f"{src} 1x, {self._use(two['url'])} 2x"
        height = round(width * one["height"] / one["width"]) if one.get("height") else width
        text = alt if alt is not None else (image.get("alternativeText") or "")
        return Picture(src=src, srcset=srcset, width=width, height=height, alt=text)

    def _use(self, url: str) -> str:
        path = site_path(url)
        self.wanted.setdefault(path, url)
        for used in self._recorders:
            used.add(path)
        return path

    def copy_into(self, site, paths, progress=None) -> int:
        """Put the files at ``paths`` (site paths of wanted files) into ``site``; return how many were downloaded."""
        chosen = [p for p in sorted(paths) if not site.exists(p)]
        missing = [p for p in chosen if not self._cached(p).exists()]
        if missing:
            self._download(missing, progress)
        for path in chosen:
            site.add_file(path, self._cached(path))
        return len(missing)

    def _cached(self, path: str) -> Path:
        return self.cache_dir / path.lstrip("/")

    def _download(self, paths: list[str], progress) -> None:
        def fetch(path: str) -> None:
            data = self.source.get_file(self.wanted[path])
            cached = self._cached(path)
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(cached.name + ".part")
            partial.write_bytes(data)
            os.replace(partial, cached)  # a file in the cache is always whole
            if progress:
                progress(1)

        workers = self.workers if getattr(self.source, "concurrent", False) else 1
        if workers == 1:
            for path in paths:
                fetch(path)
            return
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for _ in pool.map(fetch, paths):
                pass
