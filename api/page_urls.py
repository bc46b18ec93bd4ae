from django.urls import path

from . import pages

app_name = "integrations"
urlpatterns = [
    path("", pages.integrations, name="home"),
    path("tokens/new/", pages.token_new, name="token-new"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token-revoke"),
    path("webhooks/new/", pages.webhook_new, name="webhook-new"),
    path("webhooks/<int:pk>/", pages.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/active/", pages.webhook_active, name="webhook-active"),
]
