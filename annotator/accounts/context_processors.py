from importlib.metadata import PackageNotFoundError, version

from .roles import Role, user_roles

try:
    VERSION = version("annotator")
except PackageNotFoundError:  # running from a checkout that was never installed
    VERSION = "dev"


def roles(request):
    held = user_roles(request.user) if hasattr(request, "user") else frozenset()
    return {
        "is_analyst": Role.ANALYST in held,
        "is_reviewer": Role.REVIEWER in held,
        "is_admin": Role.ADMIN in held,
        "app_version": VERSION,
    }
