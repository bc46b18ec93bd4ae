from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # A plain template with no context processors: the failure may be in them.
    return HttpResponseServerError(loader.get_template("500.html").render())
