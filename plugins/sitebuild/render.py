"""Pages from templates (Jinja2: fast enough for 10,000 profile pages, autoescaped)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
ASSETS = "/assets/"


def site_asset_url(name: str) -> str:
    """Where the built site keeps one of its own files; a preview served elsewhere passes its own ``asset_url``."""
    return f"{ASSETS}{name}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["asset_url"] = site_asset_url
    return env


def render(template: str, **context) -> str:
    return environment().get_template(f"site/{template}").render(**context)


def stable_json(data) -> str:
    """JSON with sorted keys and a final newline: the same data gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def assets() -> dict[str, bytes]:
    """The site's own files (stylesheet, icon), by their path in the site."""
    return {site_asset_url(path.name): path.read_bytes() for path in sorted(STATIC.iterdir()) if path.is_file()}
