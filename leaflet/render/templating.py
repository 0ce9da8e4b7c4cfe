"""Render a document's HTML from its Jinja2 template and render context.

Autoescaping is always on (record and catalog text can never inject markup) and
an undefined variable is an error, never an empty string.
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import jinja2

from .filters import capfirst, css_counter_content, css_string
from .theme import current_theme

__all__ = ["make_environment", "render_html"]


def make_environment(
    translations: gettext.NullTranslations | None = None,
    templates_dir: Path | None = None,
) -> jinja2.Environment:
    """Create the Jinja2 environment with translations installed for one language.

    Templates come from ``templates_dir``, else the current project's theme (its
    ``templates/`` over leaflet's own).
    """
    folders = (templates_dir,) if templates_dir is not None else current_theme().folders
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        bytecode_cache=_COMPILED,
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
    env.filters["capfirst"] = capfirst
    return env


class _CompiledTemplates(jinja2.BytecodeCache):
    """Keeps compiled templates in memory for this process.

    Each document gets a fresh environment — imported macros and label tables
    must never carry one language's translations into the next document — but
    compiling the templates again for every document cost about 20 ms. Jinja
    checks each template's source checksum, so an edited template is compiled
    again.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def render_html(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    """Render ``template`` with ``context`` and return the HTML text."""
    return env.get_template(template).render(**context)
