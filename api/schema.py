"""Document the one error shape on every operation, with an example per status."""

from typing import Any

from .errors import ERROR_DESCRIPTIONS, ERROR_EXAMPLES

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Stable machine-readable code."},
        "message": {"type": "string", "description": "In the request's language."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages per field (`non_field_errors` for the whole object).",
        },
    },
    "required": ["code", "message", "errors"],
}


def _statuses(path: str, method: str, operation: dict) -> list[int]:
    statuses = [401, 403, 429]
    if method in ("post", "put", "patch", "delete"):
        statuses.append(400)
    if "{" in path:
        statuses.append(404)
    if method == "post" and "{" in path:
        statuses.append(409)
    if method in ("put", "patch") and "/missions/" in path:
        statuses += [409, 412, 428]
    if method == "post" and "{" not in path:
        statuses += [404, 409, 422]
    if method == "get" and "{" not in path:
        statuses.append(400)  # a filter's invalid value; page out of range answers 404
        statuses.append(404)
    return sorted(set(statuses))


def document_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for code in _statuses(path, method, operation):
                if str(code) in responses:
                    continue
                content: dict[str, Any] = {"schema": {"$ref": "#/components/schemas/Error"}}
                if code in ERROR_EXAMPLES:
                    example = ERROR_EXAMPLES[code]
                    content["examples"] = {example.name.replace(" ", ""): {"value": example.value}}
                responses[str(code)] = {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {"application/json": content},
                }
    return result
