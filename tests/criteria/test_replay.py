"""Replaying a draft over past intakes: progress, the shift table, the intakes that move."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import Intake
from screening.models import CriteriaVersion, ReplayRun
from screening.replay import replay_execute, replay_shift_table, replay_start
from screening.tasks import replay_run
from screening.versions import criteria_draft_create, criteria_draft_update
from tests.criteria.helpers import phq9_with_sum, with_phq9_moderate_from
from tests.factories import HIGH_SUICIDE_RISK, MODERATE_DEPRESSION, answers, submitted_intake


def bulk_intakes(patient, count: int, **overrides) -> list[int]:
    """Submitted intakes with no stored recommendation: replay screens them with the baseline."""
    now = timezone.now()
    made = Intake.objects.bulk_create([
        Intake(patient=patient, status=Intake.Status.SUBMITTED, answers=answers(**overrides),
               signature_name="x", consented_at=now, submitted_at=now)
        for _ in range(count)])
    return [intake.pk for intake in made]


@pytest.fixture
def stored(patient):
    """About 300 past intakes. The movers have PHQ-9 10 or 11 and nothing else: IOP today,
    outpatient once PHQ-9 'moderate' starts at 12."""
    movers = bulk_intakes(patient, 60, phq9=phq9_with_sum(10))
    movers += bulk_intakes(patient, 60, phq9=phq9_with_sum(11))
    movers += [submitted_intake(patient, phq9=phq9_with_sum(10)).pk for _ in range(10)]
    stay_iop = bulk_intakes(patient, 90, **MODERATE_DEPRESSION)  # PHQ-9 14, some difficulty
    stay_out = bulk_intakes(patient, 70)
    stay_out += [submitted_intake(patient).pk for _ in range(10)]
    stay_in = [submitted_intake(patient, **HIGH_SUICIDE_RISK).pk for _ in range(8)]
    # Not submitted: never replayed.
    Intake.objects.create(patient=patient, status=Intake.Status.DRAFT,
                          answers=answers(phq9=phq9_with_sum(10)))
    return {"movers": movers, "iop": stay_iop, "outpatient": stay_out, "inpatient": stay_in}


@pytest.fixture
def draft(admin_user, db):
    draft = criteria_draft_create(actor=admin_user)
    criteria_draft_update(version=draft, document=with_phq9_moderate_from(draft.document, 12),
                          actor=admin_user)
    return draft


def test_it_replays_a_cutoff_change_over_a_few_hundred_intakes(stored, draft, admin_user):
    run = replay_start(version=draft, actor=admin_user)
    run = replay_execute(replay_id=run.pk, chunk_size=37)

    assert run.status == ReplayRun.Status.DONE
    assert run.total == run.processed == 308
    assert run.errors == 0
    assert run.shift == {
        "iop": {"outpatient": 130, "iop": 90},
        "outpatient": {"outpatient": 80},
        "inpatient": {"inpatient": 8},
    }
    assert run.moved_total == 130
    assert sorted(m["intake_id"] for m in run.moved) == sorted(stored["movers"])
    assert {(m["from"], m["to"]) for m in run.moved} == {("iop", "outpatient")}
    table = replay_shift_table(run)
    assert table["total"] == 308
    assert [row["counts"] for row in table["rows"]] == [[80, 0, 0], [130, 90, 0], [0, 0, 8]]


def test_it_streams_intakes_in_chunks_reading_only_what_it_needs(stored, draft, admin_user):
    run = replay_start(version=draft, actor=admin_user)
    with CaptureQueriesContext(connection) as queries:
        replay_execute(replay_id=run.pk, chunk_size=50)
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")
             and 'FROM "intake_intake"' in q["sql"] and "COUNT" not in q["sql"]]
    assert len(reads) == 308 // 50 + 2  # seven chunks and the empty read that ends it
    assert all("LIMIT 50" in sql for sql in reads)
    assert not any("signature_name" in sql or "patient_id" in sql for sql in reads)
    # The stored levels: one read a chunk, the range of the chunk's ids (a join made each
    # chunk slower; a list of the ids cost more to bind than the read).
    levels = [q["sql"] for q in queries if q["sql"].startswith("SELECT")
              and 'FROM "screening_recommendation"' in q["sql"]]
    assert len(levels) == 308 // 50 + 1
    assert all('"intake_id" >' in sql and '"intake_id" <=' in sql and "JOIN" not in sql
               and " IN (" not in sql for sql in levels)
    # The answers come as their JSON text (read by orjson), not through the JSONField.
    assert all("::text" in sql for sql in reads)


def test_it_caps_the_list_of_moved_intakes_but_counts_them_all(stored, draft, admin_user,
                                                               monkeypatch):
    monkeypatch.setattr(ReplayRun, "MOVED_CAP", 25)
    run = replay_execute(replay_id=replay_start(version=draft, actor=admin_user).pk)
    assert len(run.moved) == 25 and run.moved_total == 130


def test_it_is_idempotent_once_finished(stored, draft, admin_user):
    run = replay_execute(replay_id=replay_start(version=draft, actor=admin_user).pk)
    finished_at = run.finished_at
    again = replay_execute(replay_id=run.pk)
    assert again.finished_at == finished_at and again.moved_total == 130


def test_it_moves_nobody_when_replaying_the_published_criteria(stored, admin_user):
    same = criteria_draft_create(actor=admin_user)
    run = replay_execute(replay_id=replay_start(version=same, actor=admin_user).pk)
    assert run.moved_total == 0 and run.processed == 308


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_it_runs_through_celery_and_shows_the_shift_table(stored, draft, admin_client_,
                                                          django_capture_on_commit_callbacks):
    from iop.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client_.post(reverse("criteria:replay-new", args=[draft.pk]))
    finally:
        app.conf.task_always_eager = False
    run = ReplayRun.objects.get()
    assert response["Location"] == reverse("criteria:replay", args=[draft.pk, run.pk])
    assert run.status == ReplayRun.Status.DONE and run.moved_total == 130

    html = admin_client_.get(response["Location"]).content.decode()
    assert "130 of 308 intakes would change level" in html
    assert 'http-equiv="refresh"' not in html
    for intake_id in stored["movers"][:5]:
        assert reverse("review:intake", args=[intake_id]) in html

    progress = admin_client_.get(reverse("criteria:replay-progress",
                                         args=[draft.pk, run.pk])).json()
    assert progress == {"status": "done", "status_label": "Finished", "processed": 308,
                        "total": 308, "percent": 100, "finished": True}


def test_it_shows_progress_and_refreshes_itself_while_running(draft, admin_client_, admin_user):
    run = ReplayRun.objects.create(version=draft, status=ReplayRun.Status.RUNNING, total=200,
                                   processed=50, started_by=admin_user)
    html = admin_client_.get(reverse("criteria:replay", args=[draft.pk, run.pk])).content.decode()
    assert '<meta http-equiv="refresh"' in html
    assert "w-pct-25" in html and 'aria-valuenow="25"' in html
    assert "50</span> of <span data-total>200" in html
    assert "js/criteria.js" in html


def test_it_leaves_a_run_pending_when_the_broker_is_down_and_can_ask_again(
        draft, admin_client_, django_capture_on_commit_callbacks, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("no broker")

    monkeypatch.setattr(replay_run, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_.post(reverse("criteria:replay-new", args=[draft.pk]))
    run = ReplayRun.objects.get()
    assert run.status == ReplayRun.Status.PENDING
    url = reverse("criteria:replay", args=[draft.pk, run.pk])
    assert "Ask the worker again" in admin_client_.get(url).content.decode()
    response = admin_client_.post(url, follow=True)
    assert "cannot be reached" in response.content.decode()


def test_it_does_nothing_once_the_draft_was_discarded(draft, admin_user):
    run = ReplayRun.objects.create(version=draft, started_by=admin_user)
    CriteriaVersion.objects.filter(pk=draft.pk).delete()
    assert replay_execute(replay_id=run.pk) is None


# --- a replay whose worker died (issue 13) ---------------------------------------------


def _results(run: ReplayRun) -> tuple:
    return (run.status, run.processed, run.total, run.errors, run.shift, run.moved_total,
            sorted(m["intake_id"] for m in run.moved))


def test_a_run_stopped_half_way_resumes_after_its_last_chunk(stored, draft, admin_user,
                                                             monkeypatch):
    import screening.replay as replay

    reference = replay_execute(replay_id=replay_start(version=draft, actor=admin_user).pk)
    run = replay_start(version=draft, actor=admin_user)
    real, calls = replay._stored_levels, []

    def fails_on_the_third_chunk(after_id, last_id):  # the database goes away mid-run
        calls.append(last_id)
        if len(calls) == 3:
            raise ConnectionError("database gone")
        return real(after_id, last_id)

    monkeypatch.setattr(replay, "_stored_levels", fails_on_the_third_chunk)
    with pytest.raises(ConnectionError):
        replay_execute(replay_id=run.pk, chunk_size=50)
    run.refresh_from_db()
    assert run.status == ReplayRun.Status.FAILED and run.processed == 100
    monkeypatch.setattr(replay, "_stored_levels", real)

    with CaptureQueriesContext(connection) as queries:
        run = replay_execute(replay_id=run.pk, chunk_size=50)
    assert _results(run) == _results(reference)  # nobody counted twice, nobody missed
    chunks = [q for q in queries if 'FROM "screening_recommendation"' in q["sql"]]
    assert len(chunks) == (308 - 100) // 50 + 1  # only the chunks not done before


def test_the_sweep_finds_runs_with_no_progress(draft, admin_user):
    now = timezone.now()
    stalled = ReplayRun.objects.create(version=draft, status=ReplayRun.Status.RUNNING,
                                       progress_at=now - timezone.timedelta(minutes=11))
    ReplayRun.objects.create(version=draft, status=ReplayRun.Status.RUNNING, progress_at=now)
    ReplayRun.objects.create(version=draft, status=ReplayRun.Status.DONE,
                             progress_at=now - timezone.timedelta(days=1))
    from screening.replay import replays_stalled

    assert replays_stalled() == [stalled.pk]


def test_a_stuck_run_is_restarted_from_its_page(stored, draft, admin_client_, admin_user,
                                               django_capture_on_commit_callbacks):
    from iop.celery import app

    run = replay_start(version=draft, actor=admin_user)
    ReplayRun.objects.filter(pk=run.pk).update(
        status=ReplayRun.Status.RUNNING, processed=0,
        progress_at=timezone.now() - timezone.timedelta(minutes=30))
    url = reverse("criteria:replay", args=[draft.pk, run.pk])
    assert "Restart from where it stopped" in admin_client_.get(url).content.decode()
    app.conf.task_always_eager = True
    try:
        response = admin_client_.post(url, {"action": "restart"})
    finally:
        app.conf.task_always_eager = False
    assert response["Location"] == url
    run.refresh_from_db()
    assert run.status == ReplayRun.Status.DONE and run.moved_total == 130
    # A run that is moving is not offered a restart.
    fresh = ReplayRun.objects.create(version=draft, status=ReplayRun.Status.RUNNING,
                                     progress_at=timezone.now())
    page = admin_client_.get(reverse("criteria:replay", args=[draft.pk, fresh.pk]))
    assert "Restart from where it stopped" not in page.content.decode()
    admin_client_.post(reverse("criteria:replay", args=[draft.pk, fresh.pk]),
                       {"action": "restart"})
    fresh.refresh_from_db()
    assert fresh.status == ReplayRun.Status.RUNNING


def test_polling_the_progress_does_not_keep_an_idle_session_alive(draft, admin_client_):
    import time

    from accounts.middleware import SESSION_KEY

    run = ReplayRun.objects.create(version=draft, status=ReplayRun.Status.RUNNING, total=10)
    progress = reverse("criteria:replay-progress", args=[draft.pk, run.pk])
    admin_client_.get(reverse("criteria:list"))
    session = admin_client_.session
    session[SESSION_KEY] = seen = int(time.time()) - 14 * 60
    session.save()
    assert admin_client_.get(progress).status_code == 200
    assert admin_client_.session[SESSION_KEY] == seen  # the poll is not the person
    page = reverse("criteria:replay", args=[draft.pk, run.pk])
    assert 'content="5; url=?refresh=auto"' in admin_client_.get(page + "?refresh=auto"
                                                                ).content.decode()
    assert admin_client_.session[SESSION_KEY] == seen  # nor the page's own reload
    admin_client_.get(page)
    assert admin_client_.session[SESSION_KEY] > seen  # opening it is
    session = admin_client_.session
    session[SESSION_KEY] = seen
    session.save()
    session = admin_client_.session
    session[SESSION_KEY] = int(time.time()) - 15 * 60 - 1
    session.save()
    response = admin_client_.get(progress)
    assert response.status_code == 302 and response["Location"] == "/login/"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_replay_whose_worker_is_killed_resumes_and_counts_everyone_once(patient, admin_user):
    import os
    import signal
    import time

    from iop.celery import app
    from screening.tasks import requeue_stalled_replays
    from tests.workers import celery_worker

    bulk_intakes(patient, 2500)
    bulk_intakes(patient, 500, phq9=phq9_with_sum(10))
    draft = criteria_draft_create(actor=admin_user)
    criteria_draft_update(version=draft, document=with_phq9_moderate_from(draft.document, 12),
                          actor=admin_user)
    run = ReplayRun.objects.create(version=draft, started_by=admin_user,
                                   baseline=CriteriaVersion.objects.get(status="published"))
    queue = f"test-replay-{os.getpid()}"
    env = {"REPLAY_CHUNK_SIZE": "10"}
    routes = app.conf.task_routes
    app.conf.update(task_routes={"screening.tasks.*": {"queue": queue}})
    try:
        with celery_worker(queue, env) as result:
            replay_run.delay(run.pk)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                run.refresh_from_db()
                if run.processed >= 300:
                    break
                time.sleep(0.02)
            os.kill(result.process.pid, signal.SIGKILL)  # the fault: the worker dies mid-run
            result.process.wait(timeout=10)
        run.refresh_from_db()
        assert run.status == ReplayRun.Status.RUNNING and 0 < run.processed < 3000, run.processed
        killed_at = run.processed

        # Nothing moves; after REPLAY_STALL_MINUTES the sweep hands it to a new worker.
        ReplayRun.objects.filter(pk=run.pk).update(
            progress_at=timezone.now() - timezone.timedelta(minutes=11))
        with celery_worker(queue, env):
            assert requeue_stalled_replays() == 1
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                run.refresh_from_db()
                if run.status == ReplayRun.Status.DONE:
                    break
                time.sleep(0.1)
    finally:
        app.conf.update(task_routes=routes)
    assert run.status == ReplayRun.Status.DONE, (run.status, run.processed, run.message)
    assert run.started_at is not None and killed_at < run.processed
    reference = replay_execute(replay_id=ReplayRun.objects.create(
        version=draft, baseline=run.baseline).pk)
    assert _results(run) == _results(reference)
    assert run.processed == 3000 and run.moved_total == 500


@pytest.mark.django_db(transaction=True)
def test_read_ahead_on_its_own_connection_counts_as_reading_in_line_and_closes_it(
        patient, admin_user, monkeypatch):
    """Outside a transaction the next chunk is read by a thread on its own connection while
    this one is screened: the same counts as reading each chunk in line, the thread gone
    and its connection closed at the end, and a failure of the read fails the run."""
    import threading

    from django.db import connections

    import screening.replay as replay

    bulk_intakes(patient, 130, phq9=phq9_with_sum(10))
    bulk_intakes(patient, 70)
    draft = criteria_draft_create(actor=admin_user)
    criteria_draft_update(version=draft, document=with_phq9_moderate_from(draft.document, 12),
                          actor=admin_user)
    published = CriteriaVersion.objects.get(status="published")

    def new_run() -> int:  # not replay_start: nothing is handed to a broker here
        return ReplayRun.objects.create(version=draft, started_by=admin_user,
                                        baseline=published).pk

    with monkeypatch.context() as patched:
        patched.setattr(replay, "_read_ahead", replay._InLine)
        in_line = replay_execute(replay_id=new_run(), chunk_size=30)

    real, readers = replay._stored_levels, []

    def recorded(after_id, last_id):
        readers.append((threading.current_thread(), connections["default"]))
        return real(after_id, last_id)

    monkeypatch.setattr(replay, "_stored_levels", recorded)
    read_ahead = replay_execute(replay_id=new_run(), chunk_size=30)
    assert _results(read_ahead) == _results(in_line) and read_ahead.processed == 200
    assert len(readers) == 7 and {thread.name for thread, _ in readers} == {"replay-reader"}
    assert not any(thread.is_alive() for thread, _ in readers)
    assert all(reader.connection is None for _, reader in readers)  # closed

    def fails_on_the_third_chunk(after_id, last_id):
        if len(readers) == 9:
            raise ConnectionError("database gone")
        return recorded(after_id, last_id)

    monkeypatch.setattr(replay, "_stored_levels", fails_on_the_third_chunk)
    run = ReplayRun.objects.get(pk=new_run())
    with pytest.raises(ConnectionError):
        replay_execute(replay_id=run.pk, chunk_size=30)
    run.refresh_from_db()
    assert run.status == ReplayRun.Status.FAILED and run.processed == 60
    assert not any(thread.is_alive() for thread, _ in readers)
