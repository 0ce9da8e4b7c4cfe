"""Render a document's HTML from its Jinja2 template and render context.

Autoescaping is always on (record and catalog text can never inject markup) and
an undefined variable is an error, never an empty string.
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import jinja2

from .filters import css_counter_content, css_string

__all__ = ["TEMPLATES_DIR", "environment_for", "make_environment", "render_html"]

PROJECT_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_DIR / "templates"


def make_environment(
    translations: gettext.NullTranslations | None = None,
    templates_dir: Path = TEMPLATES_DIR,
) -> jinja2.Environment:
    """Create the Jinja2 environment with translations installed for one language."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations or gettext.NullTranslations(), newstyle=True
    )
    env.filters["css_string"] = css_string
    env.filters["css_counter"] = css_counter_content
    return env


_SHARED: dict[Path, jinja2.Environment] = {}


def environment_for(
    translations: gettext.NullTranslations, templates_dir: Path = TEMPLATES_DIR
) -> jinja2.Environment:
    """Return this process's environment with ``translations`` installed.

    One environment per process keeps every template compiled once (compiling
    them again cost about 20 ms a document); the translations of the document
    about to be rendered are installed each time. Templates changed on disk are
    still reloaded (Jinja checks their modification time).
    """
    env = _SHARED.get(templates_dir)
    if env is None:
        env = _SHARED[templates_dir] = make_environment(translations, templates_dir)
    else:
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


def render_html(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    """Render ``template`` with ``context`` and return the HTML text."""
    return env.get_template(template).render(**context)
