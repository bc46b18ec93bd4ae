"""Reads of criteria versions, and the compiled criteria the engine runs on."""

from screening.engine import Criteria, load_criteria

from .models import CriteriaVersion


def criteria_version_published() -> CriteriaVersion:
    """The one published criteria version. Raises CriteriaVersion.DoesNotExist if none is."""
    return CriteriaVersion.objects.get(status=CriteriaVersion.Status.PUBLISHED)


def criteria_compiled(version: CriteriaVersion) -> Criteria:
    """The version's document compiled for the engine (cached by the engine per document).

    Raises screening.engine.CriteriaError when the document is not valid criteria.
    """
    return load_criteria(version.document)
