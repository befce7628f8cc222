from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from annotator.refusal import respond


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds UPLOAD_MAX_REQUEST_BYTES, unread.

    Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files, and the
    CSRF check parses the whole body; so the limit must act before CsrfViewMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return respond(request, _("Bad Content-Length header."), 400)
        limit = settings.UPLOAD_MAX_REQUEST_BYTES
        if length > limit:
            message = _("The upload is too large: at most %(size)s per request.") % {
                "size": filesizeformat(limit)
            }
            return respond(request, message, 413)
        return self.get_response(request)
