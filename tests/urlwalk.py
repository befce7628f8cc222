"""Every URL pattern of the project, with sample arguments, for tests that must cover all."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

SAMPLE = {"int": 1, "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def iter_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, prefix + str(entry.pattern), entry.pattern.converters


def our_url_names():
    """Named URLs of annotator's own pages (the admin guards itself; the API, which takes
    tokens and no sessions, has its own: api_url_names)."""
    return sorted(
        name
        for name, route, _ in iter_patterns()
        if name and not route.startswith(("admin/", "api/"))
    )


def api_url_names():
    return sorted(name for name, route, _ in iter_patterns() if name and route.startswith("api/"))


def sample_url(name, **overrides):
    """The URL with each path argument filled in with a sample value (ints are 1)."""
    for pattern_name, _route, converters in iter_patterns():
        if pattern_name == name:
            kwargs = {
                key: SAMPLE[type(conv).__name__.replace("Converter", "").lower()]
                for key, conv in converters.items()
            }
            return reverse(name, kwargs={**kwargs, **overrides})
    raise LookupError(name)
