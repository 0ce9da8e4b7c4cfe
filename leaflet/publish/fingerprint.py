"""Fingerprint what a document depends on, so an unchanged document is never rendered again.

A document's fingerprint is a SHA-256 over everything that can change its bytes:
the generator (its version and its own code), the options (audience, language,
paper, draft), the record file, the templates it uses and the stylesheet, the
bundled fonts, and — for a translated document — exactly the catalog entries it
looked up the last time it was built (with the catalog's review status and
plural rule). The manifest keeps each document's fingerprint and, per drug and
audience, the entries it used; a change to one Spanish sentence therefore
rebuilds only the Spanish documents that print it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..record.glyphs import FONT_CONFIG, font_files
from ..record.reading import tree_digest
from ..render.pdf import FONTS_DIR
from ..render.theme import Theme, current_theme
from ..resources import package_folder
from ..translation.catalog_loader import LoadedCatalog
from ..translation.signoff import review_of

__all__ = [
    "Fingerprinter",
    "catalog_digest",
    "digest_of",
    "fonts_digest",
    "generator_digest",
    "template_digest",
]

#: The templates every document uses, besides its own.


def generator_digest() -> str:
    """Digest of the generator: its version and the source of the leaflet package."""
    code = tree_digest(sorted(package_folder().rglob("*.py")))
    return _sha({"version": __version__, "code": code})


def template_digest(template: str, templates_dir: Path | None = None) -> str:
    """Digest of one document's template with every template and stylesheet it may use.

    That is every file of the folder but the other documents' own templates, not a
    list of what each document includes: such a list goes stale (an included table
    and a stylesheet used only on a second layout once went unlisted, and editing
    them rebuilt nothing).
    """
    from ..render.context import DOCUMENTS  # the context imports the renderer: only when needed

    theme = Theme((templates_dir,)) if templates_dir is not None else current_theme()
    others = {spec.template for spec in DOCUMENTS.values()} - {template}
    used = {name: path for name, path in theme.files().items() if name not in others}
    used[template] = theme.find(template)
    names = sorted(used)
    # Whose file each is counts too (not where it lies: a moved project stays unchanged).
    owners = [
        f"{'leaflet' if used[n].parent == theme.folders[-1] else 'project'}:{n}" for n in names
    ]
    return _sha({"files": owners, "bytes": tree_digest([used[n] for n in names])})


def fonts_digest(fonts_dir: Path | None = None) -> str:
    """Digest of every bundled font file and the font configuration, and nothing else.

    Only what the renderer reads counts: a manifest, a lock file or a PDF that
    ends up in the folder (an output folder inside it, before leaflet refused
    one) must not change every fingerprint on every build.
    """
    folder = fonts_dir or FONTS_DIR
    files = [folder / FONT_CONFIG, *font_files(folder)]
    names = [path.relative_to(folder).as_posix() for path in files]
    return _sha({"names": names, "bytes": tree_digest(files)})


def catalog_digest(
    catalog: LoadedCatalog | None, contexts: Iterable[str], drug: str | None = None
) -> str:
    """Digest of the catalog entries ``contexts`` name, as the document would print them.

    The review state of ``drug``'s text counts too: a sign-off changes the footer.
    """
    if catalog is None:
        return "source"
    entries = []
    for context in sorted(contexts):
        entry = catalog.entries.get(context)
        entries.append(
            None
            if entry is None
            else [context, entry.msgid, entry.msgid_plural, entry.texts, entry.fuzzy]
        )
    review = review_of(catalog, drug)
    return _sha({"review": review, "plural": catalog.plural_rule, "entries": entries})


@dataclass
class Fingerprinter:
    """Computes document fingerprints for one build.

    The generator, font and template digests are read once, when it is made:
    a build sees its inputs as they were when it started.
    """

    record_digests: dict[str, str]
    generator: str = field(default_factory=generator_digest)
    fonts: str = field(default_factory=lambda: fonts_digest())
    templates: dict[str, str] = field(default_factory=dict)

    def fingerprint(
        self,
        *,
        drug: str,
        template: str,
        audience: str,
        lang: str,
        paper: str,
        presentation: str,
        catalog: LoadedCatalog | None,
        used: Iterable[str],
    ) -> str:
        """Return the fingerprint of one document's inputs."""
        if template not in self.templates:
            self.templates[template] = template_digest(template)
        return _sha(
            {
                "generator": self.generator,
                "options": [audience, lang, paper, presentation],
                "record": self.record_digests[drug],
                "templates": self.templates[template],
                "fonts": self.fonts,
                "catalog": catalog_digest(catalog, used, drug),
            }
        )


def _sha(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_of(path: Path) -> str:
    """Digest of one input file (used for records)."""
    return tree_digest([path])
