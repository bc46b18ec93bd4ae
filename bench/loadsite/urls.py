from django.http import HttpResponse
from django.urls import path

from iop.urls import urlpatterns as app_urlpatterns


def trivial(request):
    """Nothing but the middleware: session, user, roles, second factor, idle timeout."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *app_urlpatterns]
