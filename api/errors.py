"""Validation errors in Vietnamese: staff and citizens read these messages."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

_MESSAGES = {
    "string_too_long": "«{loc}» dài quá {max_length} ký tự.",
    "string_too_short": "«{loc}» không được để trống.",
    "string_pattern_mismatch": "«{loc}» không đúng định dạng (mã thủ tục có dạng 1.001193).",
    "missing": "Thiếu tham số «{loc}».",
    "int_parsing": "«{loc}» phải là số nguyên.",
    "greater_than_equal": "«{loc}» phải lớn hơn hoặc bằng {ge}.",
    "less_than_equal": "«{loc}» phải nhỏ hơn hoặc bằng {le}.",
    "literal_error": "«{loc}» chỉ nhận một trong các giá trị: {expected}.",
}


def describe(error: dict[str, Any]) -> str:
    loc = str(error.get("loc", ["?"])[-1])
    template = _MESSAGES.get(str(error.get("type")), "«{loc}» không hợp lệ.")
    try:
        return template.format(loc=loc, **(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return f"«{loc}» không hợp lệ."


async def validation_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    message = " ".join(describe(dict(e)) for e in errors)
    # `input` may hold the offending text itself; it is not echoed back.
    details = [{k: v for k, v in dict(e).items() if k not in {"input", "url"}} for e in errors]
    return JSONResponse(status_code=422, content=jsonable_encoder({"detail": message, "errors": details}))


class ValidationIssue(BaseModel):
    type: str
    loc: list[str | int]
    msg: str
    ctx: dict[str, Any] | None = None


class ValidationErrorOut(BaseModel):
    """What a 422 holds: one message in Vietnamese, then pydantic's details (without the rejected input)."""

    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt")
    errors: list[ValidationIssue] = Field(default_factory=list)


def document_validation_errors(app: FastAPI) -> None:
    """Make the OpenAPI document describe the 422 this handler sends, not FastAPI's default shape."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            components = schema.get("components", {}).get("schemas", {})
            if "HTTPValidationError" in components:
                model = ValidationErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(model.pop("$defs", {}))
                components["HTTPValidationError"] = model
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
