"""The parameters of a mission search, one set for the search page and the API.

Older names still work on both, as aliases: the page's ``city``, ``radius``,
``skills``, ``formats`` and ``location_modes`` (now ``near``, ``within_km``, ``skill``,
``format`` and ``location_mode``, as in the API). A list parameter takes its values
repeated (``skill=a&skill=b``, as the page's checkboxes send them) or comma-separated
(``skill=a,b``, as API clients write them).
"""

from collections.abc import Mapping

from django.http import QueryDict

ALIASES = {
    "city": "near",
    "radius": "within_km",
    "skills": "skill",
    "formats": "format",
    "location_modes": "location_mode",
}
LIST_PARAMETERS = ("skill", "cause", "departement", "region", "format", "location_mode")


def canonical_params(data: Mapping | None, *, list_parameters=LIST_PARAMETERS) -> QueryDict:
    """``data`` (a QueryDict or a dict of lists or strings) under the current names, the
    values of ``list_parameters`` split on commas. A current name wins over its alias."""
    result = QueryDict(mutable=True)
    if not data:
        return result
    for key in data:
        name = ALIASES.get(key, key)
        if name != key and name in data:
            continue
        values = _values(data, key)
        if name in list_parameters:
            values = [part.strip() for value in values for part in value.split(",")]
            values = [value for value in values if value]
        result.setlist(name, [*result.getlist(name), *values])
    return result


def _values(data: Mapping, key: str) -> list[str]:
    if isinstance(data, QueryDict):
        return data.getlist(key)
    value = data[key]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]
