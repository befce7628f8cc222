from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds UPLOAD_MAX_REQUEST_BYTES, unread.

    Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files, and the
    CSRF check parses the whole body; so the limit must act before CsrfViewMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(_("Bad Content-Length header."), status=400)
        limit = settings.UPLOAD_MAX_REQUEST_BYTES
        if length > limit:
            message = _("The upload is too large: at most %(size)s per request.") % {
                "size": filesizeformat(limit)
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
