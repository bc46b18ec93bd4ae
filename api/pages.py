"""The integrations pages (admins only): API tokens and webhooks, made and revoked here."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import admin_required

from .forms import TokenForm, WebhookForm
from .models import ApiToken, Webhook
from .selectors import deliveries_recent
from .services import (
    IntegrationError,
    api_token_create,
    api_token_revoke,
    webhook_create,
    webhook_set_active,
)


@admin_required
@require_GET
def integrations(request):
    return render(request, "integrations/home.html", {
        "tokens": ApiToken.objects.select_related("created_by", "revoked_by")[:200],
        "hooks": Webhook.objects.all()[:100],
        "token_form": TokenForm(), "webhook_form": WebhookForm(),
    })


@admin_required
@require_http_methods(["GET", "POST"])
def token_new(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row, token = api_token_create(actor=request.user, request=request,
                                          **form.cleaned_data)
        except IntegrationError as error:
            form.add_error(error.field, error.message)
        else:
            # Rendered, not redirected: the token is in this one response and nowhere else
            # (no URL, no session, no log), and the page is not kept by the browser.
            return render(request, "integrations/token_made.html", {"row": row,
                                                                     "token": token})
    return render(request, "integrations/token_new.html", {"form": form})


@admin_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    api_token_revoke(token=token, actor=request.user, request=request)
    return redirect("integrations:home")


@admin_required
@require_http_methods(["GET", "POST"])
def webhook_new(request):
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hook = webhook_create(actor=request.user, request=request, **form.cleaned_data)
        except IntegrationError as error:
            form.add_error(error.field, error.message)
        else:
            return render(request, "integrations/webhook_made.html", {"hook": hook})
    return render(request, "integrations/webhook_new.html", {"form": form})


@admin_required
@require_GET
def webhook_detail(request, pk: int):
    hook = get_object_or_404(Webhook, pk=pk)
    return render(request, "integrations/webhook.html", {
        "hook": hook, "deliveries": deliveries_recent(hook)})


@admin_required
@require_POST
def webhook_active(request, pk: int):
    hook = get_object_or_404(Webhook, pk=pk)
    webhook_set_active(hook=hook, active=request.POST.get("active") == "1", actor=request.user,
                       request=request)
    return redirect("integrations:webhook", pk=hook.pk)
