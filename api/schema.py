"""The schema's shared parts: every operation documents the one error shape for each refusal."""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "details"],
        }
    },
    "required": ["error"],
}
ERRORS = {
    "400": "Invalid values: `details` names each field and why.",
    "401": "No token, or an unknown, revoked or expired one.",
    "403": "The token is read-only, or the user's role does not allow the change.",
    "404": "No such object (or one of a workspace the token does not reach).",
    "429": "Too many requests for this token: wait for the seconds in `Retry-After`.",
}


def document_errors(result, generator, request, public):
    """Postprocessing hook: the Error component and its responses on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": reference}}}
                )
            if "429" in responses:
                responses["429"].setdefault(
                    "headers", {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
                )
    return result
