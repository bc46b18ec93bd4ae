from django.urls import path

from . import views

app_name = "criteria"
urlpatterns = [
    path("", views.criteria_list, name="list"),
    path("new/", views.draft_create, name="new"),
    path("compare/", views.version_diff, name="diff"),
    path("import/", views.version_import, name="import"),
    path("<int:pk>/", views.version_detail, name="version"),
    path("<int:pk>/export/", views.version_export, name="export"),
    path("<int:pk>/discard/", views.draft_discard, name="discard"),
    path("<int:pk>/cutoffs/", views.edit_cutoffs, name="cutoffs"),
    path("<int:pk>/rules/", views.edit_items, {"kind": "rules"}, name="rules"),
    path("<int:pk>/rules/new/", views.edit_item, {"kind": "rules"}, name="rule-new"),
    path("<int:pk>/rules/<str:item_id>/", views.edit_item, {"kind": "rules"}, name="rule"),
    path("<int:pk>/flags/", views.edit_items, {"kind": "flags"}, name="flags"),
    path("<int:pk>/flags/new/", views.edit_item, {"kind": "flags"}, name="flag-new"),
    path("<int:pk>/flags/<str:item_id>/", views.edit_item, {"kind": "flags"}, name="flag"),
    path("<int:pk>/preview/", views.version_preview, name="preview"),
    path("<int:pk>/replay/", views.replay_create, name="replay-new"),
    path("<int:pk>/replays/<int:run_pk>/", views.replay_detail, name="replay"),
    path("<int:pk>/replays/<int:run_pk>/progress.json", views.replay_progress,
         name="replay-progress"),
    path("<int:pk>/publish/", views.version_publish, name="publish"),
]
