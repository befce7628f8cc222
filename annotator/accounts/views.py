"""Login (Django's, plus the stored language) and the language switch."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from annotator.refusal import valid_data

from .forms import LanguageForm
from .language import set_language_cookie, store_language, stored_language


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # The choice made on another browser applies here too, from this login on.
        language = stored_language(form.get_user())
        if language:
            set_language_cookie(response, language)
        return response


@login_not_required  # the login page has the switch too
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, remember it on the user, and go back to the page."""
    data = valid_data(LanguageForm(request.POST))
    back = data["next"]
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = resolve_url(settings.LOGIN_REDIRECT_URL)
    response = HttpResponseRedirect(back)
    set_language_cookie(response, data["language"])
    if request.user.is_authenticated:
        store_language(request.user, data["language"])
    return response
