"""Every URL pattern of the project, with sample arguments, for tests that must cover all."""

from django.urls import URLPattern, URLResolver, get_resolver


def iter_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else None, prefix + str(entry.pattern)


def our_url_names():
    """Named URLs of annotator's own apps (the admin guards itself)."""
    return sorted(
        name for name, route in iter_patterns() if name and not route.startswith("admin/")
    )
