"""The calibration pages: blind rating, the answer shown after, results, and the wall
between calibration and real intakes."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from calibration.models import CalibrationRating, CalibrationRound
from calibration.services import CalibrationError, calibration_rate, calibration_round_open
from intake.models import Intake
from review.models import Decision
from screening.models import Recommendation
from screening.replay import vignettes_load
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

# Three public cases with known levels: outpatient, inpatient (suicide), iop.
CASE_IDS = ["v01-well", "v07-high-suicide-risk", "v03-moderate-depression"]


@pytest.fixture
def round_(admin_user):
    cases = [case for case in vignettes_load() if case["id"] in CASE_IDS]
    return calibration_round_open(actor=admin_user, name="March", cases=cases)


def _number(round_, case_id):
    return round_.case_ids.index(case_id) + 1 if case_id in round_.case_ids else 99


def _case_url(round_, case_id):
    return reverse("calibration:case", args=[round_.pk, _number(round_, case_id)])


def _rate(client, round_, case_id, level, note=""):
    return client.post(reverse("calibration:rate", args=[round_.pk, _number(round_, case_id)]),
                       {"level": level, "note": note})


def test_it_keeps_the_engines_answer_and_the_expected_level_of_each_case(round_):
    engine = {case["id"]: case["engine"]["level"] for case in round_.cases}
    expected = {case["id"]: case["expect"]["level"] for case in round_.cases}
    assert engine == expected
    assert set(engine.values()) == {"outpatient", "iop", "inpatient"}


def test_a_clinician_reads_the_answers_without_the_engines_answer(round_, clinician):
    html = signed_in(clinician).get(_case_url(round_, "v07-high-suicide-risk")).content.decode()
    assert "PHQ-9 item 1" in html and "Record my level" in html
    # Nor its id, which names the answer: not on the page, not in an address.
    for hidden in ("IP-SUICIDE", "engine-level", "expected-level", "Suicidal thoughts with intent",
                   "suicide-risk", "urgent"):
        assert hidden not in html, hidden


def test_after_rating_the_clinician_sees_the_engine_and_the_expected_level(round_, clinician):
    client = signed_in(clinician)
    response = _rate(client, round_, "v07-high-suicide-risk", "iop", "would want a call")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Record my level" not in html
    assert "IP-SUICIDE" in html and "would want a call" in html
    assert 'engine-level"><strong>Inpatient' in html
    assert 'expected-level">Inpatient' in html


def test_a_rating_is_final(round_, clinician):
    client = signed_in(clinician)
    _rate(client, round_, "v01-well", "outpatient")
    response = _rate(client, round_, "v01-well", "inpatient")
    assert response.status_code == 302
    assert "rated this case already" in client.get(response["Location"]).content.decode()
    assert list(CalibrationRating.objects.values_list("level", flat=True)) == ["outpatient"]
    with pytest.raises(CalibrationError, match="already"):
        calibration_rate(round_=round_, clinician=clinician, case_id="v01-well", level="iop")


def test_a_bad_rating_says_what_is_wrong_and_records_nothing(round_, clinician):
    client = signed_in(clinician)
    response = _rate(client, round_, "v01-well", "residential")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert _rate(client, round_, "v01-well", "iop", "x" * 2001).status_code == 400
    assert client.get(_case_url(round_, "no-such-case")).status_code == 404
    assert _rate(client, round_, "no-such-case", "iop").status_code == 404
    assert not CalibrationRating.objects.exists()


def test_admins_read_the_cases_with_the_answer_and_never_rate(round_, admin_user):
    client = signed_in(admin_user)
    html = client.get(_case_url(round_, "v07-high-suicide-risk")).content.decode()
    assert "IP-SUICIDE" in html and "Record my level" not in html
    assert _rate(client, round_, "v01-well", "iop").status_code == 403


def test_the_results_wait_until_the_clinician_has_rated_every_case(round_, clinician):
    client = signed_in(clinician)
    url = reverse("calibration:results", args=[round_.pk])
    for case_id in CASE_IDS[:2]:
        _rate(client, round_, case_id, "outpatient")
    html = client.get(url).content.decode()
    assert "Rate every case first: 1 left" in html and "Cohen" not in html
    _rate(client, round_, CASE_IDS[2], "outpatient")
    assert "Agreement with the engine" in client.get(url).content.decode()


def test_the_results_page_gives_the_figures_of_the_round(round_, clinician,
                                                          other_clinician, admin_user):
    # Engine: v01 outpatient, v07 inpatient, v03 iop. Casey agrees on all three; Drew
    # says iop for v07.
    casey, drew = signed_in(clinician), signed_in(other_clinician)
    for case in round_.cases:
        _rate(casey, round_, case["id"], case["engine"]["level"])
        level = "iop" if case["id"] == "v07-high-suicide-risk" else case["engine"]["level"]
        _rate(drew, round_, case["id"], level)
    html = signed_in(admin_user).get(reverse("calibration:results", args=[round_.pk])) \
        .content.decode()
    # Drew against the engine: levels (op, iop, iop) vs (op, ip, iop): p_o = 2/3,
    # p_e = (1*1 + 2*1 + 0*1) / 9 = 1/3, kappa = (2/3 - 1/3) / (2/3) = 0.5.
    assert "<th scope=\"row\">Drew Doctor</th><td class=\"kappa\">0.50" in html
    assert "<th scope=\"row\">Casey Clinician</th><td class=\"kappa\">1.00" in html
    assert "67 %" in html
    # Fleiss over both: counts (op, iop, ip) v01 2,0,0; v07 0,1,1; v03 0,2,0.
    # Pbar = 2/3; p = 2/6, 3/6, 1/6; Pe = 14/36; kappa = (24 - 14) / (36 - 14) = 10/22.
    assert "0.45" in html and "moderate" in html
    assert "IP-SUICIDE" in html and "Drew Doctor: IOP" in html
    # A clinician who has rated everything sees their own figures, a colleague unnamed.
    mine = drew.get(reverse("calibration:results", args=[round_.pk])).content.decode()
    assert "<th scope=\"row\">Casey Clinician</th><td" not in mine
    assert "Casey Clinician and Drew Doctor" in mine and "Drew Doctor: IOP" in mine


def test_opening_a_round_from_the_page_takes_every_public_case(admin_user):
    client = signed_in(admin_user)
    response = client.post(reverse("calibration:open"), {"name": "April, day team"})
    round_ = CalibrationRound.objects.get()
    assert response["Location"] == reverse("calibration:round", args=[round_.pk])
    assert len(round_.cases) == len(vignettes_load())
    assert round_.criteria_version.status == "published"
    event = AuditEvent.objects.get(object_type="calibration_round")
    assert event.actor == admin_user and event.intake_id is None
    assert client.post(reverse("calibration:open"), {"name": " "}).status_code == 400


def test_calibration_never_touches_intakes_recommendations_or_decisions(round_, clinician):
    client = signed_in(clinician)
    for case in round_.cases:
        _rate(client, round_, case["id"], "iop")
        client.get(_case_url(round_, case["id"]))
    client.get(reverse("calibration:results", args=[round_.pk]))
    assert not Intake.objects.exists()
    assert not Recommendation.objects.exists() and not Decision.objects.exists()
    # Synthetic public cases: reading them is not a view of a patient's data.
    assert not AuditEvent.objects.filter(intake_id__isnull=False).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_the_nav_offers_calibration_to_staff_only(clinician, admin_user, patient):
    url = reverse("calibration:rounds")
    for user in (clinician, admin_user):
        html = signed_in(user).get(url).content.decode()
        assert html.count(f'href="{url}"') == 1
    assert f'href="{url}"' not in signed_in(patient).get(reverse("intake:home")).content.decode()


def test_the_round_page_names_a_case_only_once_the_clinician_has_rated_it(round_, clinician):
    client = signed_in(clinician)
    url = reverse("calibration:round", args=[round_.pk])
    html = client.get(url).content.decode()
    assert "0 of 3" in html and "suicide-risk" not in html and "Inpatient" not in html
    _rate(client, round_, "v07-high-suicide-risk", "inpatient")
    html = client.get(url).content.decode()
    assert "1 of 3" in html and "(v07-high-suicide-risk)" in html


def test_a_case_the_engine_refuses_is_left_out_and_no_case_at_all_is_said(admin_user,
                                                                          tmp_path,
                                                                          monkeypatch):
    good = next(case for case in vignettes_load() if case["id"] == "v01-well")
    round_ = calibration_round_open(actor=admin_user, name="Two", cases=[
        good, {"id": "broken", "answers": {**good["answers"], "age": "old"}}])
    assert round_.case_ids == ["v01-well"]
    with pytest.raises(CalibrationError, match="no public test cases"):
        calibration_round_open(actor=admin_user, name="None", cases=[])

    (tmp_path / "vignettes").mkdir()
    monkeypatch.setenv("IOP_SHARED_DIR", str(tmp_path))
    response = signed_in(admin_user).post(reverse("calibration:open"), {"name": "Empty"})
    assert response.status_code == 400
    assert "There are no public test cases to rate." in response.content.decode()
    assert CalibrationRound.objects.count() == 1


def test_the_rounds_list_counts_each_clinicians_ratings(round_, clinician, other_clinician):
    _rate(signed_in(other_clinician), round_, "v01-well", "iop")
    client = signed_in(clinician)
    _rate(client, round_, "v01-well", "iop")
    _rate(client, round_, "v03-moderate-depression", "iop")
    html = client.get(reverse("calibration:rounds")).content.decode()
    assert "<td>2 of 3</td>" in html


def test_admins_read_the_notes_of_the_disagreements_a_clinician_only_their_own(
        round_, clinician, other_clinician, admin_user):
    casey, drew = signed_in(clinician), signed_in(other_clinician)
    for case in round_.cases:
        _rate(casey, round_, case["id"], "iop", "casey thinks iop")
        _rate(drew, round_, case["id"], "iop", "drew thinks iop")
    url = reverse("calibration:results", args=[round_.pk])
    everyone = signed_in(admin_user).get(url).content.decode()
    assert "casey thinks iop" in everyone and "drew thinks iop" in everyone
    mine = casey.get(url).content.decode()
    assert "casey thinks iop" in mine and "drew thinks iop" not in mine
    assert "off-expected" not in everyone  # the default criteria meet every expected level


def test_the_results_say_where_the_engine_parts_from_the_expected_level(admin_user):
    well = next(case for case in vignettes_load() if case["id"] == "v01-well")
    round_ = calibration_round_open(actor=admin_user, name="Moved", cases=[
        {**well, "expect": {**well["expect"], "level": "iop"}}])
    html = signed_in(admin_user).get(reverse("calibration:results", args=[round_.pk])) \
        .content.decode()
    assert "differs from the public expected level on 1 case:" in html
    assert "Case 1 (v01-well): engine Outpatient, expected IOP" in html


def test_the_results_pages_queries_do_not_grow_with_the_clinicians(round_, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.services import user_create_with_role

    client = signed_in(admin_user)
    url = reverse("calibration:results", args=[round_.pk])
    client.get(url)  # the session's first request writes its stamps once

    def queries_with(raters: int) -> int:
        for number in range(CalibrationRating.objects.values("clinician").distinct().count(),
                            raters):
            rater = user_create_with_role(email=f"rater{number}@example.com",
                                          full_name=f"Rater {number}", password="x" * 12,
                                          role="clinician")
            for case in round_.cases:
                calibration_rate(round_=round_, clinician=rater, case_id=case["id"],
                                 level="iop", note="why")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_with(1) == queries_with(4)


def test_a_clinician_cannot_tell_which_colleague_rated_what_from_the_order(admin_user):
    # The pairs table names colleagues (alphabetically); a disagreement row listing the
    # unnamed colleagues in that same order would name them again by position.
    from accounts.services import user_create_with_role

    people = {name: user_create_with_role(email=f"{name.lower()}@example.com",
                                          full_name=f"{name} Rater", password="x" * 12,
                                          role="clinician") for name in ("Alice", "Bob", "Carol")}
    cases = [case for case in vignettes_load() if case["id"] in CASE_IDS]

    def row_seen_by_bob(alice: str, carol: str) -> str:
        round_ = calibration_round_open(actor=admin_user, name=f"{alice}-{carol}", cases=cases)
        for name, person in people.items():
            for case in round_.cases:
                level = case["engine"]["level"]
                if case["id"] == "v07-high-suicide-risk" and name != "Bob":
                    level = alice if name == "Alice" else carol
                calibration_rate(round_=round_, clinician=person, case_id=case["id"],
                                 level=level)
        html = signed_in(people["Bob"]).get(
            reverse("calibration:results", args=[round_.pk])).content.decode()
        row = html.split("v07-high-suicide-risk")[-1].split("</tr>")[0]
        assert "Alice" not in row and "Carol" not in row and row.count("a colleague") == 2
        return row

    assert row_seen_by_bob("outpatient", "iop") == row_seen_by_bob("iop", "outpatient")
