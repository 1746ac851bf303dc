"""Request types for the type checker: behind login_required, `request.user` is a real User."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose user is authenticated (views decorated with login_required); typing only."""

    user: User
