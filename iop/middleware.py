from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Tells the browser not to keep any page shown to a signed-in person.

    Those pages carry patient data; on a shared computer the back button or the disk cache
    must not show them to the next person. A response that sets its own Cache-Control keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class FormOnlyPageMiddleware:
    """A page that only takes a form's POST (submit, decide, start...) opened by its address
    says so in a page, where Django's answer is an empty 405."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and request.method == "GET" and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "POST")
            return page
        return response


def _is_utf8(raw: str | bytes) -> bool:
    data = raw.encode("latin-1") if isinstance(raw, str) else raw  # WSGI strings are latin-1
    try:
        unquote_to_bytes(data.replace(b"+", b" ")).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return False
    return True


class UnusableInputMiddleware:
    """Refuses, with a plain 400 page, a request no browser sends: a null byte in the
    address (PostgreSQL cannot even compare it: a 500 in the admin site's search and
    object pages) or text that is not UTF-8 (it would be saved with replacement marks, a
    signature among them). Forms that a person fills never get here: browsers send UTF-8,
    and a null byte typed into a form is refused beside its field by the form itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        unusable = ("\x00" in request.path_info or "%00" in query or "\x00" in query
                    or not _is_utf8(query))
        if not unusable and request.method == "POST" and request.content_type == \
                "application/x-www-form-urlencoded":
            unusable = not _is_utf8(request.body)
        if unusable:
            return render(request, "400.html", status=400)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Tells the browser this site never uses the camera, microphone, location and the like:
    a script that got in anyway could not ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
