import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)

# How long a person (or a browser, or a proxy) is told to wait when the database is away.
RETRY_AFTER_SECONDS = 30


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Plain templates with no context processors: the failure may be in them (or in the
    # database they read, for the signed-in user).
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        # The database is down, unreachable or too slow (a timeout): not a bug in the page.
        logger.error("database unavailable (%s): answered 503", type(error).__name__)
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
