"""Reads for documents and replies, scoped through the one `visible_to`."""

from django.shortcuts import get_object_or_404

from .models import Document


def document_with_file(*, user, pk: int) -> Document:
    """The document `user` may see, if it has a stored original; 404 otherwise (whether or not it exists)."""
    return get_object_or_404(Document.objects.visible_to(user).exclude(original=""), pk=pk)
