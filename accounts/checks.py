"""Deployment checks (`manage.py check --deploy`) for what the production recipe in the README must set."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs=None, **kwargs):
    """A per-process cache lets a revoked API token keep working in the other processes for a while."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in LOCAL_CACHES:
        return [
            Warning(
                "未配置共享缓存：吊销的 API 令牌在其他进程中仍可使用至多 API_AUTH_CACHE_SECONDS 秒。",
                hint="Set CACHE_URL=redis://HOST:6379/1 (a Redis database of its own). See README, production.",
                id="luoshi.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def media_outside_web_root_check(app_configs=None, **kwargs):
    """Uploaded files must not sit where whitenoise (or any static server) would publish them."""
    media = Path(settings.MEDIA_ROOT).resolve()
    published = [Path(settings.STATIC_ROOT), *map(Path, getattr(settings, "STATICFILES_DIRS", []))]
    for root in published:
        root = root.resolve()
        if media == root or root in media.parents or media in root.parents:
            return [
                Error(
                    f"MEDIA_ROOT（{media}）不能位于静态文件目录（{root}）之内或包含它。",
                    hint="Keep uploads in a directory of their own, e.g. /var/lib/luoshi/media.",
                    id="luoshi.E001",
                )
            ]
    return []
