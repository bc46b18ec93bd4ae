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
