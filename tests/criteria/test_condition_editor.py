"""A rule's condition edited in plain forms (no JavaScript): one node a post, any depth,
checked by the engine, saved in the draft, refused with what is wrong and what was typed."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from screening import condition_tree as tree
from screening.models import CriteriaVersion
from screening.versions import criteria_draft_create, criteria_draft_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(admin_user):
    return criteria_draft_create(actor=admin_user)


def fresh(version) -> dict:
    return CriteriaVersion.objects.get(pk=version.pk).document


def when_of(version, rule_id: str, kind: str = "rules"):
    return next(i for i in fresh(version)[kind] if i["id"] == rule_id)["when"]


def url(version, rule_id=None, kind="rules"):
    if rule_id is None:
        return reverse(f"criteria:{kind[:-1]}-new", args=[version.pk])
    return reverse(f"criteria:{kind[:-1]}", args=[version.pk, rule_id])


def node_post(client, version, rule_id, action, node="", kind="rules", **extra):
    """A node's own small form (up, down, remove, all/any, add-start) as the page sends it."""
    data = {"action": action, "node": node,
            "rev": tree.revision(when_of(version, rule_id, kind)), **extra}
    return client.post(url(version, rule_id, kind), data)


def post_test(client, version, rule_id, action, node, fact, op, value=None, values=(),
              what="test", kind="rules", shown=None):
    """The test form (fact, operator, value) sent once its fact's tests are shown."""
    data = {"action": action, "test-node": node, "test-what": what, "test-fact": fact,
            "test-shown_fact": fact if shown is None else shown, "test-op": op,
            "test-rev": tree.revision(when_of(version, rule_id, kind))}
    if value is not None:
        data["test-value"] = value
    if values:
        data["test-values"] = list(values)
    return client.post(url(version, rule_id, kind), data)


def create(client, version, rule_id, fact, op, value, level="inpatient", reason="Because."):
    return client.post(url(version), {
        "action": "create", "id": rule_id, "level": level, "reason": reason,
        "test-fact": fact, "test-shown_fact": fact, "test-op": op, "test-value": value,
        "test-what": "test"})


def shipped(version, rule_id):
    return next(r for r in version.document["rules"] if r["id"] == rule_id)


# --- building in forms --------------------------------------------------------------------


def test_an_admin_builds_ip_no_safe_base_from_nothing_in_forms(admin_client_, draft):
    c = admin_client_
    response = create(c, draft, "NO-SAFE-BASE-AGAIN", "severity", "gte", "moderate")
    assert response.status_code == 302
    assert response["Location"] == url(draft, "NO-SAFE-BASE-AGAIN") + "#condition"
    assert when_of(draft, "NO-SAFE-BASE-AGAIN") == {"fact": "severity", "op": "gte",
                                                    "value": "moderate"}
    assert post_test(c, draft, "NO-SAFE-BASE-AGAIN", "add", "", "support", "eq", "none",
                     what="any").status_code == 302
    assert post_test(c, draft, "NO-SAFE-BASE-AGAIN", "add", "1", "housing", "eq",
                     "homeless").status_code == 302
    response = post_test(c, draft, "NO-SAFE-BASE-AGAIN", "add", "1", "home_safe", "eq", "false")
    assert response.status_code == 302 and response["Location"].endswith("#part-1.2")
    built = next(r for r in fresh(draft)["rules"] if r["id"] == "NO-SAFE-BASE-AGAIN")
    assert built["when"] == shipped(draft, "IP-NO-SAFE-BASE")["when"]
    assert built["level"] == "inpatient"
    page = c.get(url(draft, "NO-SAFE-BASE-AGAIN")).content.decode()
    assert ("the highest severity is at least moderate and (support is none or housing is "
            "homeless or home is safe: no)") in page
    # Every change was one audited save of the draft.
    assert AuditEvent.objects.filter(object_type="criteria_version", object_id=str(draft.pk),
                                     action="change").count() == 4


def test_a_fact_chosen_first_shows_its_operators_and_values_without_saving(admin_client_,
                                                                           draft):
    """The no-JavaScript path: the group's add form names the fact, the page answers with
    that fact's tests (the scale's values, its direction in words), nothing saved yet."""
    before = fresh(draft)
    response = node_post(admin_client_, draft, "IP-NO-SAFE-BASE", "add-start", node="1",
                         what="test", fact="support")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adding a test to group 2" in html
    assert "Support goes from least to most worrying: strong, adequate, limited, none" in html
    assert '<option value="gte">is at least as worrying as</option>' in html
    for value in ("strong", "adequate", "limited", "none"):
        assert f'<option value="{value}">{value}</option>' in html
    assert 'name="test-value"' in html and 'type="text" name="test-value"' not in html
    assert fresh(draft) == before
    response = post_test(admin_client_, draft, "IP-NO-SAFE-BASE", "add", "1", "support", "gte",
                         "limited")
    assert response.status_code == 302
    page = admin_client_.get(url(draft, "IP-NO-SAFE-BASE")).content.decode()
    assert "support is at least as worrying as limited (limited or none)" in page


def test_a_changed_fact_in_the_test_form_shows_the_new_facts_tests_keeping_the_rest(
        admin_client_, draft):
    before = fresh(draft)
    response = post_test(admin_client_, draft, "IP-NO-SAFE-BASE", "add", "1", "home_safe",
                         "gte", "limited", shown="support")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="eq">is</option>' in html and "is at least as worrying" not in html
    assert '<option value="true">yes</option>' in html
    assert fresh(draft) == before
    # The explicit button does the same without the fact changing.
    data = {"action": "add", "test-node": "1", "test-what": "test", "test-fact": "age",
            "test-shown_fact": "age", "test-step": "fact",
            "test-rev": tree.revision(when_of(draft, "IP-NO-SAFE-BASE"))}
    response = admin_client_.post(url(draft, "IP-NO-SAFE-BASE"), data)
    assert response.status_code == 200 and 'type="number" name="test-value"' in \
        response.content.decode()
    assert fresh(draft) == before


def test_a_new_rule_keeps_what_was_typed_while_its_first_fact_is_chosen(admin_client_, draft):
    response = admin_client_.post(url(draft), {
        "action": "create", "id": "IOP-YOUNG", "level": "iop", "reason": "Young people.",
        "test-fact": "age", "test-shown_fact": "severity", "test-op": "gte"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="IOP-YOUNG"' in html and "Young people." in html
    assert 'type="number" name="test-value"' in html and 'min="12"' in html
    assert "IOP-YOUNG" not in [r["id"] for r in fresh(draft)["rules"]]


def test_a_group_three_deep_is_added_moved_switched_changed_and_removed(admin_client_, draft):
    c, rule_id = admin_client_, "IP-NO-SAFE-BASE"
    # all[ severity, any[ support, housing, home, all[ age<18, any[ firearm ] ] ] ]
    assert post_test(c, draft, rule_id, "add", "1", "age", "lt", "18",
                     what="all").status_code == 302
    assert post_test(c, draft, rule_id, "add", "1.3", "firearm_access", "eq", "true",
                     what="any").status_code == 302
    assert post_test(c, draft, rule_id, "add", "1.3.1", "overdose_past_year", "eq",
                     "true").status_code == 302
    deep = when_of(draft, rule_id)
    assert deep["all"][1]["any"][3] == {"all": [
        {"fact": "age", "op": "lt", "value": 18},
        {"any": [{"fact": "firearm_access", "op": "eq", "value": True},
                 {"fact": "overdose_past_year", "op": "eq", "value": True}]}]}
    # Move the depth-3 test up, switch its group to all, change it, then remove the group.
    response = node_post(c, draft, rule_id, "up", node="1.3.1.1")
    assert response.status_code == 302 and response["Location"].endswith("#part-1.3.1.0")
    assert when_of(draft, rule_id)["all"][1]["any"][3]["all"][1]["any"][0]["fact"] == (
        "overdose_past_year")
    assert node_post(c, draft, rule_id, "combine", node="1.3.1",
                     combinator="all").status_code == 302
    assert "all" in when_of(draft, rule_id)["all"][1]["any"][3]["all"][1]
    page = c.get(url(draft, rule_id), {"edit": "1.3.1.1"})
    assert page.status_code == 200
    assert 'name="test-fact"' in page.content.decode()
    assert post_test(c, draft, rule_id, "edit", "1.3.1.1", "score.phq9", "gte",
                     "20").status_code == 302
    assert when_of(draft, rule_id)["all"][1]["any"][3]["all"][1]["all"][1] == {
        "fact": "score.phq9", "op": "gte", "value": 20}
    assert node_post(c, draft, rule_id, "down", node="1.2").status_code == 302
    assert when_of(draft, rule_id)["all"][1]["any"][2]["all"][0]["fact"] == "age"
    assert node_post(c, draft, rule_id, "remove", node="1.2").status_code == 302
    assert when_of(draft, rule_id) == shipped(draft, rule_id)["when"]


def test_the_whole_condition_reads_in_words_with_nested_brackets(admin_client_, draft):
    post_test(admin_client_, draft, "IP-SEVERE-FRAGILE", "add", "1", "age", "lt", "18",
              what="all")
    post_test(admin_client_, draft, "IP-SEVERE-FRAGILE", "add", "1.2", "bmi", "lt", "17.5")
    html = admin_client_.get(url(draft, "IP-SEVERE-FRAGILE")).content.decode()
    assert ("the highest severity is severe and (support is at least as worrying as limited "
            "(limited or none) or housing is at least as worrying as unstable (unstable or "
            "homeless) or (age is below 18 and BMI is below 17.5))") in html
    assert when_of(draft, "IP-SEVERE-FRAGILE")["all"][1]["any"][2]["all"][1]["value"] == 17.5


def test_a_test_opened_for_change_shows_what_it_says_and_its_saved_values(admin_client_,
                                                                        draft):
    html = admin_client_.get(url(draft, "IP-NO-SAFE-BASE"), {"edit": "1.2"}).content.decode()
    assert "Test: <strong>home is safe: no</strong>" in html
    assert '<option value="false" selected>no</option>' in html
    assert '<option value="home_safe" selected>' in html
    html = admin_client_.get(url(draft, "IP-SEVERE-FRAGILE"), {"edit": "1.0"}).content.decode()
    assert '<option value="gte" selected>is at least as worrying as</option>' in html
    assert '<option value="limited" selected>limited</option>' in html


def test_is_one_of_is_ticked_from_the_facts_values(admin_client_, draft):
    response = post_test(admin_client_, draft, "IOP-SYMPTOMS", "add", "", "housing", "in",
                         values=["unstable", "homeless"])
    assert response.status_code == 302
    assert when_of(draft, "IOP-SYMPTOMS") == {"all": [
        {"fact": "severity", "op": "gte", "value": "moderate"},
        {"fact": "housing", "op": "in", "value": ["unstable", "homeless"]}]}


def test_a_flag_tests_the_rules_of_its_own_draft_and_the_level(admin_client_, draft):
    html = node_post(admin_client_, draft, "urgent", "add-start", kind="flags", what="test",
                     fact="rules").content.decode()
    assert '<option value="IP-NO-SAFE-BASE">IP-NO-SAFE-BASE</option>' in html
    response = post_test(admin_client_, draft, "urgent", "add", "", "rules", "contains",
                         "IP-NO-SAFE-BASE", kind="flags")
    assert response.status_code == 302
    assert when_of(draft, "urgent", "flags")["any"][-1] == {
        "fact": "rules", "op": "contains", "value": "IP-NO-SAFE-BASE"}
    # A rule cannot test what is known only once the rules have run.
    html = node_post(admin_client_, draft, "IP-SUICIDE", "add-start", what="test",
                     fact="level").content.decode()
    assert "Choose a fact from the list" in html


# --- refused, with what is wrong and what was typed -----------------------------------------


@pytest.mark.parametrize(("fact", "op", "value", "message"), [
    ("home_safe", "gte", "true", "Select a valid choice. gte is not one of the available"),
    ("support", "eq", "extreme", "Select a valid choice. extreme is not one of the available"),
    ("age", "lt", "5", "greater than or equal to 12"),
    ("age", "lt", "eighteen", "Enter a whole number"),
    ("severity", "gte", "", "Give the value to compare with"),
    ("housing", "in", None, "Tick at least one value"),
    ("bmi", "lt", "1e400", "less than or equal to 100"),
    ("bmi", "lt", "NaN", "Enter a number"),
])
def test_a_bad_test_is_refused_beside_its_field_keeping_what_was_typed(
        admin_client_, draft, fact, op, value, message):
    before = fresh(draft)
    response = post_test(admin_client_, draft, "IP-NO-SAFE-BASE", "add", "1", fact, op, value)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'name="test-fact"' in html and f'<option value="{fact}" selected>' in html
    if value:
        assert f'value="{value}"' in html or f'<option value="{value}" selected>' in html \
            or "not one of the available" in html
    assert fresh(draft) == before


@pytest.mark.parametrize(("action", "node", "message"), [
    ("remove", "", "top group cannot be removed"),
    ("up", "0", "already first"),
    ("down", "1", "already last"),
    ("remove", "1.7", "no longer there"),
    ("remove", "x.1", "not on this page"),
    ("combine", "0", "Tests are added to a group"),
    ("explode", "0", "not one this page has"),
])
def test_a_change_that_cannot_be_made_is_refused_in_words(admin_client_, draft, action, node,
                                                          message):
    before = fresh(draft)
    response = node_post(admin_client_, draft, "IP-NO-SAFE-BASE", action, node=node,
                         combinator="any")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert fresh(draft) == before


def test_the_last_test_of_a_group_is_not_removed_alone(admin_client_, draft):
    post_test(admin_client_, draft, "IP-SUICIDE", "add", "", "age", "lt", "18", what="any")
    response = node_post(admin_client_, draft, "IP-SUICIDE", "remove", node="1.0")
    assert response.status_code == 400
    assert "only condition in its group: remove the whole group" in response.content.decode()
    response = node_post(admin_client_, draft, "IP-SUICIDE", "remove", node="1")
    assert response.status_code == 302
    assert when_of(draft, "IP-SUICIDE") == {"fact": "suicide_risk", "op": "eq",
                                            "value": "high"}
    response = node_post(admin_client_, draft, "IP-SUICIDE", "remove", node="0")
    assert "only condition left" in response.content.decode()


def test_a_refused_button_is_answered_beside_the_part_it_was_pressed_on(admin_client_,
                                                                       draft):
    html = node_post(admin_client_, draft, "IP-NO-SAFE-BASE", "up",
                     node="1.0").content.decode()
    beside = html.index('id="part-1.0"')
    assert html.index("already first in its group") > beside
    assert 'id="refused"' not in html  # not at the top of the page, far from the button
    html = node_post(admin_client_, draft, "IP-NO-SAFE-BASE", "up",
                     node="7.7").content.decode()
    assert 'id="refused"' in html and "no longer there" in html


def test_a_form_from_an_out_of_date_page_changes_nothing(admin_client_, draft, admin_user):
    stale = tree.revision(when_of(draft, "IP-NO-SAFE-BASE"))
    document = fresh(draft)
    rule = next(r for r in document["rules"] if r["id"] == "IP-NO-SAFE-BASE")
    rule["when"]["all"][1]["any"].reverse()  # a colleague reordered it meanwhile
    criteria_draft_update(version=draft, document=document, actor=admin_user)
    response = admin_client_.post(url(draft, "IP-NO-SAFE-BASE"),
                                  {"action": "remove", "node": "1.0", "rev": stale})
    assert response.status_code == 400
    assert "changed since the page was shown" in response.content.decode()
    assert fresh(draft) == document


def test_hostile_posts_are_refused_never_a_500(admin_client_, draft):
    rule_url = url(draft, "IP-NO-SAFE-BASE")
    rev = tree.revision(when_of(draft, "IP-NO-SAFE-BASE"))
    before = fresh(draft)
    for data in [{}, {"action": "add"}, {"action": "add", "rev": rev},
                 {"action": "add", "test-rev": rev, "test-node": "1", "test-fact": "nope"},
                 {"action": "add", "test-rev": rev, "test-node": "<script>", "test-fact": "age"},
                 {"action": "edit", "test-rev": rev, "test-node": "1", "test-fact": "age",
                  "test-shown_fact": "age", "test-op": "eq", "test-value": "3"},
                 {"action": "add-start", "rev": rev, "node": "0", "fact": "age"},
                 {"action": "add-start", "rev": rev, "node": "", "fact": ["a", "b"]},
                 {"action": "combine", "rev": rev, "node": "", "combinator": "not"},
                 {"action": "up", "rev": rev, "node": "1." * 150},
                 {"action": "item", "id": "", "level": "nowhere"}]:
        response = admin_client_.post(rule_url, data)
        assert response.status_code == 400, (data, response.status_code)
    stale_link = admin_client_.get(rule_url, {"edit": "9.9"})
    assert stale_link.status_code == 400 and "no longer there" in stale_link.content.decode()
    assert fresh(draft) == before


def test_a_published_version_is_never_changed_by_a_tree_post(admin_client_, draft):
    published = CriteriaVersion.objects.get(status=CriteriaVersion.Status.PUBLISHED)
    response = admin_client_.post(url(published, "IP-NO-SAFE-BASE"), {
        "action": "remove", "node": "1.0",
        "rev": tree.revision(shipped(published, "IP-NO-SAFE-BASE")["when"])})
    assert response.status_code == 302
    assert CriteriaVersion.objects.get(pk=published.pk).document == published.document
