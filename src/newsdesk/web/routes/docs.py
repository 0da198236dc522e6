"""``/api/docs``: the API reference, rendered on the server from the OpenAPI schema
(``/api/openapi.json``) — no CDN, no JavaScript, so it works offline and under our CSP."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsdesk.web.render import render

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    return render(request, "api_docs.html", reference(request.app.openapi()))


def reference(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI schema flattened for the page: operations with parameters, body and responses."""
    ops = [_operation(path, method, op) for path, item in schema.get("paths", {}).items()
           for method, op in item.items() if method in METHODS]
    models = {name: _fields(model) for name, model in schema.get("components", {}).get("schemas", {}).items()}
    return {"title": "API", "info": schema.get("info", {}), "operations": ops, "models": models}


def _operation(path: str, method: str, op: dict[str, Any]) -> dict[str, Any]:
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    return {
        "method": method.upper(), "path": path, "summary": op.get("summary", ""),
        "description": op.get("description", ""), "secured": bool(op.get("security")),
        "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                        "type": _type(p.get("schema", {})), "description": p.get("description", "")}
                       for p in op.get("parameters", [])],
        "body": _ref(body), "responses": [{"status": s, "description": r.get("description", ""),
                                           "model": _ref(r.get("content", {}).get("application/json", {})
                                                         .get("schema", {}))}
                                          for s, r in op.get("responses", {}).items()],
    }


def _fields(model: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(model.get("required", []))
    return [{"name": name, "type": _type(spec), "required": name in required,
             "description": spec.get("description", "")} for name, spec in model.get("properties", {}).items()]


def _ref(schema: dict[str, Any]) -> str:
    return schema.get("$ref", "").rsplit("/", 1)[-1]


def _type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return _ref(spec)
    if "anyOf" in spec:
        return " | ".join(_type(s) for s in spec["anyOf"])
    if "enum" in spec:
        return " | ".join(repr(v) for v in spec["enum"])
    if spec.get("type") == "array":
        return f"list[{_type(spec.get('items', {}))}]"
    return str(spec.get("format") or spec.get("type") or "any")
