"""OpenAPI pieces shared by the API views: the token security scheme and the one error body."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>` 或 `Bearer <key>`；令牌在后台或用户页面创建 / created in the admin or UI.",
        }


def _error_serializer():
    return inline_serializer(
        "Error",
        {
            "error": inline_serializer(
                "ErrorBody",
                {
                    "code": serializers.CharField(),
                    "message": serializers.CharField(),
                    "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
                },
            )
        },
    )


ERROR = _error_serializer()


def error_responses(*codes: int) -> dict:
    """OpenAPI entries for the error statuses an endpoint can return, all with the one error body."""
    text = {
        400: "请求参数有误 / invalid input (see `fields`)",
        401: "未登录或令牌无效 / not authenticated",
        403: "无权操作或只读令牌 / forbidden or read-only token",
        404: "不存在或不在可见范围 / not found or outside your scope",
        409: "冲突（如重复上传） / conflict (e.g. duplicate upload)",
        413: "文件过大 / file too large",
        415: "不支持的文件格式 / unsupported format",
        422: "无法处理的文件 / unprocessable file",
        429: "请求过于频繁 / throttled",
    }
    return {c: OpenApiResponse(ERROR, description=text[c]) for c in codes}


READ_ERRORS = (401, 404, 429)
LIST_ERRORS = (400, 401, 404, 429)  # 404: a page number past the end
WRITE_ERRORS = (400, 401, 403, 404, 429)


def file_responses(description: str) -> dict:
    """OpenAPI entries of a file download: a 200 in every type the download can announce (responses.files: a known
    document or image type by the file's extension, else application/octet-stream), then the read errors.

    The schema said octet-stream alone, so a client checking content types refused every .txt, .pdf or .docx
    (session 13's schemathesis run: ST105 on `documents/{id}/file/`)."""
    from drf_spectacular.types import OpenApiTypes

    from responses.files import OPAQUE, SAFE_CONTENT_TYPES

    types = sorted(set(SAFE_CONTENT_TYPES.values()) | {OPAQUE})
    ok = {(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description) for media_type in types}
    return {**ok, **error_responses(*READ_ERRORS)}
