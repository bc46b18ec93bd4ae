"""Previewing a draft over the public test cases: which cases change level, and how."""

import json

import pytest
from django.urls import reverse

from screening.replay import cases_preview, vignettes_dir, vignettes_load
from screening.versions import criteria_draft_create, criteria_draft_update
from tests.criteria.helpers import with_phq9_moderate_from


@pytest.fixture
def draft(admin_user, db):
    return criteria_draft_create(actor=admin_user)


def phq9_between(low: int, high: int) -> set[str]:
    """The public cases whose PHQ-9 sum is in [low, high)."""
    return {case["id"] for case in vignettes_load() if low <= sum(case["answers"]["phq9"]) < high}


def test_it_finds_the_public_test_cases():
    cases = vignettes_load()
    assert vignettes_dir().is_dir()
    assert len(cases) >= 20
    assert all("answers" in case and "expect" in case for case in cases)


def test_it_moves_exactly_the_cases_with_phq9_10_to_12_when_moderate_starts_at_13(
        draft, admin_user):
    criteria_draft_update(version=draft, document=with_phq9_moderate_from(draft.document, 13),
                          actor=admin_user)
    preview = cases_preview(version=draft)
    moved = {row.id: (row.published, row.draft) for row in preview.changed}
    # Worked out from the cases: PHQ-9 10-12 drops from moderate to mild, and in each of these
    # PHQ-9 was the only instrument at moderate or above.
    assert set(moved) == phq9_between(10, 13)
    assert moved == {
        "v03-moderate-depression": ("iop", "outpatient"),  # only IOP-SYMPTOMS matched
        "v12-no-support": ("inpatient", "outpatient"),  # no safe base needs >= moderate
        "v24-cannot-care": ("inpatient", "iop"),  # unable + mild is still IOP-FUNCTIONING
        "v34-psychosis-moderate": ("iop", "outpatient"),  # PHQ-9 12, nothing else
    }


def test_it_moves_no_case_when_moderate_starts_at_12_as_none_scores_10_or_11(draft,
                                                                            admin_user):
    assert phq9_between(10, 12) == set()
    criteria_draft_update(version=draft, document=with_phq9_moderate_from(draft.document, 12),
                          actor=admin_user)
    assert cases_preview(version=draft).changed == []


def test_it_changes_nothing_for_an_unedited_draft_and_matches_every_expectation(draft):
    preview = cases_preview(version=draft)
    assert preview.changed == []
    assert preview.off_expectation == []
    assert all(not row.error for row in preview.rows)


def test_it_shows_the_changed_cases_on_the_preview_page(draft, admin_user, admin_client_):
    criteria_draft_update(version=draft, document=with_phq9_moderate_from(draft.document, 13),
                          actor=admin_user)
    html = admin_client_.get(reverse("criteria:preview", args=[draft.pk])).content.decode()
    movers = phq9_between(10, 13)
    assert f"{len(movers)} of {len(vignettes_load())} change level" in html
    for case_id in movers:
        assert case_id in html


def test_it_reads_the_shared_folder_from_the_environment(tmp_path, monkeypatch):
    (tmp_path / "vignettes").mkdir()
    (tmp_path / "vignettes" / "only.json").write_text(json.dumps(
        {"id": "only", "answers": {"age": 30}, "expect": {"level": "outpatient"}}))
    (tmp_path / "vignettes" / "broken.json").write_text("{")
    monkeypatch.setenv("IOP_SHARED_DIR", str(tmp_path))
    assert [case["id"] for case in vignettes_load()] == ["only"]
