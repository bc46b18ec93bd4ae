"""The base page: landmarks, a skip link, lang, static Bootstrap, a health endpoint."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_it_serves_the_home_page_with_landmarks(anon_client, db):
    html = anon_client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<header" in html and "<main" in html and "<footer" in html
    assert "/static/vendor/bootstrap-5.3.9/bootstrap.min.css" in html
    assert "988" in html


def test_it_loads_nothing_from_another_site(anon_client, db):
    response = anon_client.get("/")
    html = response.content.decode()
    assert "https://" not in html and "//cdn" not in html
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_it_reports_health_after_checking_the_database(anon_client, clinician):
    with CaptureQueriesContext(connection) as queries:
        response = anon_client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert any("SELECT 1" in q["sql"] for q in queries)


def test_it_shows_the_navigation_that_fits_the_role(patient_client, clinician_client,
                                                    admin_client_):
    patient_nav = patient_client.get("/intake/").content.decode()
    assert "My intake" in patient_nav and "Review queue" not in patient_nav
    clinician_nav = clinician_client.get("/review/").content.decode()
    assert "Review queue" in clinician_nav and "Screening criteria" not in clinician_nav
    admin_nav = admin_client_.get("/criteria/").content.decode()
    assert "Screening criteria" in admin_nav and "Review queue" not in admin_nav
