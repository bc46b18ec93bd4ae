"""Import of a criteria file in the page, and its download: a valid file becomes a draft;
a bad one is refused with a message naming the part, and nothing is saved."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from screening.models import CriteriaVersion

pytestmark = pytest.mark.django_db

IMPORT = reverse("criteria:import")


def _file(content: bytes | str, name: str = "criteria.json") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/json")


@pytest.fixture
def published(db):
    return CriteriaVersion.objects.get(status="published")


def test_a_downloaded_version_imports_back_as_a_draft(admin_client_, admin_user, published):
    download = admin_client_.get(reverse("criteria:export", args=[published.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    response = admin_client_.post(IMPORT, {"file": _file(download.content),
                                           "version": "from-file"})
    draft = CriteriaVersion.objects.get(version="from-file")
    assert response["Location"] == reverse("criteria:version", args=[draft.pk])
    assert draft.status == "draft"
    assert {k: v for k, v in draft.document.items() if k != "version"} == {
        k: v for k, v in published.document.items() if k != "version"}
    assert AuditEvent.objects.filter(actor=admin_user, object_type="criteria_version",
                                     object_id=str(draft.pk), action="create").exists()


@pytest.mark.parametrize("content, message", [
    ("{\"rules\": [", "The file is not valid JSON (line 1, column"),
    ("[1, 2]", "not a criteria document"),
    (b"\xff\xfe{}", "not text in UTF-8"),
])
def test_a_file_that_is_not_a_criteria_document_is_refused_in_words(admin_client_, published,
                                                                    content, message):
    before = CriteriaVersion.objects.count()
    response = admin_client_.post(IMPORT, {"file": _file(content), "version": "kept-name"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="kept-name"' in html  # what was typed stays
    assert CriteriaVersion.objects.count() == before


def test_a_bad_part_is_named_as_the_admin_finds_it(admin_client_, published):
    document = copy.deepcopy(published.document)
    rule = next(r for r in document["rules"] if r["id"] == "IP-NO-SAFE-BASE")
    rule["when"]["all"][1]["any"][0]["fact"] = "made_up"
    response = admin_client_.post(IMPORT, {"file": _file(json.dumps(document))})
    assert response.status_code == 400
    html = response.content.decode()
    assert ("The file was not imported. Rule IP-NO-SAFE-BASE, its condition, part 2 of the "
            "all group, part 1 of the any group, fact: unknown fact") in html
    assert "rules[" not in html
    assert not CriteriaVersion.objects.filter(status="draft").exists()


def test_no_file_is_asked_for_plainly(admin_client_, published):
    response = admin_client_.post(IMPORT, {})
    assert response.status_code == 400
    assert "Choose the JSON file to import." in response.content.decode()


def test_an_imported_reason_longer_than_300_characters_is_named(admin_client_, published):
    document = copy.deepcopy(published.document)
    document["rules"][0]["reason"] = "x" * 301
    response = admin_client_.post(IMPORT, {"file": _file(json.dumps(document))})
    assert response.status_code == 400
    assert (f"The reason of rule {document['rules'][0]['id']} has 301 characters: keep it to "
            "300 at most.") in response.content.decode()
