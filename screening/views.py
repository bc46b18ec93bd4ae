"""The criteria editor (SPEC §8): versions, editing, preview, replay, publish, history.

Admins only: every view starts with `admin_required`, then `_version_for_admin` (404 for an
unknown id) or `_draft_for_admin` (a published or retired version is shown, never edited).
"""

import json

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import admin_required
from accounts.middleware import not_activity
from audit.models import AuditEvent
from audit.services import audit_record
from screening.engine import CriteriaError
from screening.engine.words import criteria_changes_in_words, part_words

from . import forms as editing
from .forms import CompareForm, DraftCreateForm, ImportForm
from .item_editing import ItemPage, refusal_words
from .models import CriteriaVersion, ReplayRun
from .replay import (
    cases_preview,
    replay_enqueue,
    replay_is_stuck,
    replay_restart,
    replay_shift_table,
    replay_start,
)
from .versions import (
    PublishRefused,
    VersionError,
    criteria_diff_unified,
    criteria_draft_create,
    criteria_draft_discard,
    criteria_draft_update,
    criteria_version_import,
    criteria_version_publish,
)


def _version_for_admin(pk: int) -> CriteriaVersion:
    return get_object_or_404(CriteriaVersion.objects.select_related(
        "created_by", "published_by", "based_on"), pk=pk)


def _draft_for_admin(request, pk: int) -> tuple[CriteriaVersion, HttpResponse | None]:
    """The draft to edit, or a redirect to its page when it is published or retired."""
    version = _version_for_admin(pk)
    if not version.is_draft:
        messages.error(request, f"{version.version} is {version.get_status_display().lower()} "
                                "and never changes. Start a new draft to change the criteria.")
        return version, redirect("criteria:version", pk=version.pk)
    return version, None


# --- versions ---------------------------------------------------------------------------


@admin_required
@require_GET
def criteria_list(request):
    versions = CriteriaVersion.objects.select_related("created_by", "published_by").order_by(
        "-created_at", "-pk")
    return render(request, "criteria/list.html", {
        "versions": versions,
        "create_form": DraftCreateForm(),
        "compare_form": CompareForm(),
    })


@admin_required
@require_POST
def draft_create(request):
    form = DraftCreateForm(request.POST)
    if form.is_valid():
        try:
            draft = criteria_draft_create(actor=request.user, request=request,
                                          version_name=form.cleaned_data["version"],
                                          note=form.cleaned_data["note"])
        except VersionError as error:
            form.add_error("version" if error.field == "version" else None, error.message)
        except CriteriaVersion.DoesNotExist:
            form.add_error(None, "There is no published version to copy.")
        else:
            messages.success(request, f"Draft {draft.version} started as a copy of "
                                      f"{draft.based_on.version}.")
            return redirect("criteria:version", pk=draft.pk)
    versions = CriteriaVersion.objects.order_by("-created_at", "-pk")
    return render(request, "criteria/list.html", {
        "versions": versions, "create_form": form, "compare_form": CompareForm(),
    }, status=400)


@admin_required
@require_http_methods(["GET", "POST"])
def version_import(request):
    """A criteria document uploaded as a JSON file becomes a new draft, once the engine has
    accepted it; what is wrong is named by its part, and nothing is saved then."""
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            draft = criteria_version_import(document=form.cleaned_data["file"],
                                            actor=request.user, request=request,
                                            version_name=form.cleaned_data["version"])
        except CriteriaError as error:
            where = part_words(error.field)
            form.add_error("file", f"The file was not imported. {where[:1].upper()}{where[1:]}: "
                                   f"{error.message}." if where else
                                   f"The file was not imported: {error.message}.")
        except VersionError as error:
            form.add_error("version", error.message)
        else:
            messages.success(request, f"Imported as draft {draft.version}. Check it, preview "
                                      f"it and publish it when ready.")
            return redirect("criteria:version", pk=draft.pk)
    return render(request, "criteria/import.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@admin_required
@require_GET
def version_detail(request, pk: int):
    version = _version_for_admin(pk)
    history = AuditEvent.objects.filter(object_type="criteria_version",
                                        object_id=str(version.pk)).select_related("actor")[:100]
    return render(request, "criteria/version.html", {
        "version": version,
        "summary": editing.summary(version.document),
        "history": history,
        "replays": version.replays.all()[:5],
        "compare_form": CompareForm(initial={"a": version.based_on_id or version.pk,
                                             "b": version.pk}),
    })


@admin_required
@require_GET
def version_export(request, pk: int):
    version = _version_for_admin(pk)
    response = HttpResponse(json.dumps(version.document, indent=2, ensure_ascii=False) + "\n",
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="criteria-{version.version}.json"'
    return response


@admin_required
@require_POST
def draft_discard(request, pk: int):
    version, refused = _draft_for_admin(request, pk)
    if refused:
        return refused
    try:
        criteria_draft_discard(version=version, actor=request.user, request=request)
    except VersionError as error:
        messages.error(request, error.message)
        return redirect("criteria:version", pk=pk)
    messages.success(request, f"Draft {version.version} discarded.")
    return redirect("criteria:list")


@admin_required
@require_GET
def version_diff(request):
    form = CompareForm(request.GET or None)
    context = {"form": form}
    if form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        context.update(a=a, b=b, changes=criteria_changes_in_words(a.document, b.document),
                       unified=criteria_diff_unified(a, b))
    return render(request, "criteria/diff.html", context)


# --- editing ----------------------------------------------------------------------------


def _save_document(request, version, document, *, section: str, form=None) -> bool:
    """Save through the service; on a CriteriaError put the message on the form. True if saved."""
    try:
        criteria_draft_update(version=version, document=document, actor=request.user,
                              section=section, request=request)
    except VersionError as error:
        messages.error(request, error.message)
        return False
    except CriteriaError as error:
        if form is not None:
            editing.attach_error(form, error)
        else:
            messages.error(request, f"Not saved: {error}")
        return False
    return True


@admin_required
@require_http_methods(["GET", "POST"])
def edit_cutoffs(request, pk: int):
    version, refused = _draft_for_admin(request, pk)
    if refused:
        return refused
    form = editing.CutoffsForm(request.POST or None, document=version.document)
    if request.method == "POST" and form.is_valid():
        document = form.apply(version.document)
        if _save_document(request, version, document, section="cutoffs", form=form):
            messages.success(request, "Cut-offs saved.")
            return redirect("criteria:version", pk=version.pk)
    return render(request, "criteria/cutoffs.html", {"version": version, "form": form},
                  status=400 if form.is_bound and form.errors else 200)


@admin_required
@require_http_methods(["GET", "POST"])
def edit_items(request, pk: int, kind: str):
    """The list of rules (or flags): reorder up/down, remove. Read-only once published."""
    if request.method == "GET":
        version = _version_for_admin(pk)
        return render(request, "criteria/items.html", {
            "version": version, "kind": kind, "items": editing.items(version.document, kind),
        })
    version, refused = _draft_for_admin(request, pk)
    if refused:
        return refused
    item_id = request.POST.get("item", "")
    action = request.POST.get("action", "")
    try:
        document = editing.list_action(version.document, kind, item_id, action)
    except editing.EditError as error:
        messages.error(request, error.message)
    else:
        if _save_document(request, version, document, section=f"{kind}:{action}"):
            messages.success(request, editing.action_message(kind, item_id, action))
    return redirect(reverse(f"criteria:{kind}", args=[version.pk]) + f"#item-{item_id}")


@admin_required
@require_http_methods(["GET", "POST"])
def edit_item(request, pk: int, kind: str, item_id: str | None = None):
    """One rule (or flag): id, level, reason, and its condition edited one part at a time
    (any depth of all / any groups). Each post changes one thing and is saved at once."""
    version, refused = _draft_for_admin(request, pk)
    if refused:
        return refused
    existing = editing.item(version.document, kind, item_id) if item_id else None
    if item_id and existing is None:
        messages.error(request, f"There is no {editing.NOUN[kind]} {item_id} in this draft.")
        return redirect(f"criteria:{kind}", pk=version.pk)
    page = ItemPage(kind, version.document, existing)
    if request.method == "GET":
        if existing is None:
            page.open_first()
        elif "edit" in request.GET:
            page.open_edit(request.GET["edit"])
    else:
        document = page.post(request.POST)
        if document is not None and _save_item(request, version, document, page):
            messages.success(request, page.message)
            if item_id and request.POST.get("action") == "item":
                return redirect(reverse(f"criteria:{kind}", args=[version.pk])
                                + f"#item-{page.new_id}")
            anchor = f"#part-{page.anchor}" if page.anchor else "#condition"
            return redirect(reverse(f"criteria:{kind[:-1]}", args=[version.pk, page.new_id])
                            + anchor)
    return render(request, "criteria/item.html", {
        "version": version, "kind": kind, "noun": editing.NOUN[kind], "page": page,
        "item_id": item_id,
    }, status=400 if page.has_errors else 200)


def _save_item(request, version, document, page: ItemPage) -> bool:
    try:
        criteria_draft_update(version=version, document=document, actor=request.user,
                              section=f"{page.kind}:{page.new_id}", request=request)
    except VersionError as error:
        page.refuse(error.message)
        return False
    except CriteriaError as error:
        page.add_error(None, refusal_words(error))
        return False
    return True


# --- preview, replay --------------------------------------------------------------------


@admin_required
@require_GET
def version_preview(request, pk: int):
    version = _version_for_admin(pk)
    try:
        preview = cases_preview(version=version)
    except CriteriaError as error:
        messages.error(request, f"These criteria do not load: {error}")
        return redirect("criteria:version", pk=version.pk)
    return render(request, "criteria/preview.html", {"version": version, "preview": preview})


@admin_required
@require_POST
def replay_create(request, pk: int):
    version = _version_for_admin(pk)
    run = replay_start(version=version, actor=request.user, request=request)
    return redirect("criteria:replay", pk=version.pk, run_pk=run.pk)


def _run_for_admin(pk: int, run_pk: int) -> ReplayRun:
    return get_object_or_404(ReplayRun.objects.select_related("version", "baseline"),
                             pk=run_pk, version_id=pk)


# Without JavaScript the page reloads itself every 5 s (?refresh=auto): not the person.
@not_activity(when=lambda request: request.GET.get("refresh") == "auto")
@admin_required
@require_http_methods(["GET", "POST"])
def replay_detail(request, pk: int, run_pk: int):
    run = _run_for_admin(pk, run_pk)
    if request.method == "POST" and request.POST.get("action") == "restart" \
            and replay_is_stuck(run):
        # A killed worker left it running (or it failed): go on from its last saved chunk.
        if replay_restart(run=run, actor=request.user, request=request):
            messages.info(request, "The replay goes on from where it stopped.")
        else:
            messages.error(request, "The background worker cannot be reached right now. "
                                    "Try again in a minute.")
        return redirect("criteria:replay", pk=pk, run_pk=run.pk)
    if request.method == "POST" and run.status == ReplayRun.Status.PENDING:
        # The broker was down when it was asked: ask again (the task is idempotent).
        if replay_enqueue(replay_id=run.pk):
            messages.info(request, "The replay was handed to the background worker again.")
        else:
            messages.error(request, "The background worker cannot be reached right now. "
                                    "Try again in a minute.")
        return redirect("criteria:replay", pk=pk, run_pk=run.pk)
    if run.moved:
        # The page lists intakes with their levels: a view of patient data, audited.
        audit_record(actor=request.user, action=AuditEvent.Action.VIEW,
                     object_type="replay_run", object_id=run.pk, request=request,
                     detail={"intakes_listed": len(run.moved)})
    return render(request, "criteria/replay.html", {
        "version": run.version, "run": run,
        "table": replay_shift_table(run) if run.finished else None,
        "stale": run.created_at < run.version.updated_at and run.version.is_draft,
        "stuck": replay_is_stuck(run),
    })


@not_activity  # polled every 1.5 s: an open page must not keep an idle session alive
@admin_required
@require_GET
def replay_progress(request, pk: int, run_pk: int):
    run = _run_for_admin(pk, run_pk)
    return JsonResponse({"status": run.status, "status_label": run.get_status_display(),
                         "processed": run.processed, "total": run.total,
                         "percent": run.percent, "finished": run.finished})


# --- publish ----------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def version_publish(request, pk: int):
    version, refused = _draft_for_admin(request, pk)
    if refused:
        return refused
    published = CriteriaVersion.objects.filter(status=CriteriaVersion.Status.PUBLISHED).first()
    problems: list[str] = []
    if request.method == "POST":
        try:
            criteria_version_publish(version=version, actor=request.user, request=request)
        except PublishRefused as error:
            problems = error.problems
        except VersionError as error:
            messages.error(request, error.message)
            return redirect("criteria:version", pk=version.pk)
        else:
            messages.success(request, f"{version.version} is now the published version"
                             + (f"; {published.version} is retired." if published else "."))
            return redirect("criteria:version", pk=version.pk)
    changes = (criteria_changes_in_words(published.document, version.document)
               if published else [])
    return render(request, "criteria/publish.html", {
        "version": version, "published": published, "problems": problems,
        "changes": changes,
        "last_replay": version.replays.filter(status=ReplayRun.Status.DONE).first(),
    }, status=409 if problems else 200)
