"""Pages shown to a signed-in person are never kept by the browser."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory

from iop.middleware import NoStoreForSignedInMiddleware
from tests.conftest import signed_in


@pytest.mark.parametrize(("who", "url"), [("patient", "/intake/"), ("clinician", "/review/"),
                                          ("admin_user", "/admin/")])
def test_pages_shown_to_a_signed_in_person_are_not_stored(db, request, who, url):
    user = request.getfixturevalue(who)
    response = signed_in(user).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_anonymous_pages_are_left_alone(db):
    assert not Client().get("/healthz").has_header("Cache-Control")


def test_a_response_that_sets_its_own_cache_control_keeps_it(patient):
    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=60"
        return response

    request = RequestFactory().get("/")
    request.user = patient
    assert NoStoreForSignedInMiddleware(view)(request)["Cache-Control"] == "public, max-age=60"
    request.user = AnonymousUser()
    assert not NoStoreForSignedInMiddleware(lambda r: HttpResponse())(request).has_header(
        "Cache-Control")
