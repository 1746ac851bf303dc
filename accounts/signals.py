"""Drop cached token authentication (accounts.services) the moment what it holds changes.

The cache holds a token with its user, the user's agencies, bodies and permissions; every write that can
change one of those lands here. Writes that bypass signals (QuerySet.update, raw SQL) are covered only by
the entries' short lifetime (API_AUTH_CACHE_SECONDS).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from proposals.models import Agency, Body, Proposer

from .models import ApiToken
from .services import AUTH_CACHE_PREFIX, api_auth_forget

User = get_user_model()
_CHANGES = {"post_add", "post_remove", "pre_clear"}


@receiver([post_save, post_delete], sender=ApiToken)
def _token_changed(sender, instance, **kwargs):
    cache.delete(AUTH_CACHE_PREFIX + instance.key_hash)


@receiver([post_save, post_delete], sender=User)
def _user_changed(sender, instance, **kwargs):
    api_auth_forget(user_ids=[instance.pk])


def _members_changed(instance, action, instance_is_user, pk_set, members):
    """Forget the user whose relation changed, or (from the other side) the added, removed or cleared users."""
    if action not in _CHANGES:
        return
    if instance_is_user:
        api_auth_forget(user_ids=[instance.pk])
    elif action == "pre_clear":
        api_auth_forget(user_ids=members(instance).values_list("pk", flat=True))
    else:
        api_auth_forget(user_ids=pk_set or ())


@receiver(m2m_changed, sender=Agency.clerks.through)
def _clerks_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # Declared on Agency: the reverse side (user.clerk_agencies) is the user.
    _members_changed(instance, action, reverse, pk_set, lambda agency: agency.clerks.all())


@receiver(m2m_changed, sender=Body.supervisors.through)
def _supervisors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _members_changed(instance, action, reverse, pk_set, lambda body: body.supervisors.all())


@receiver(m2m_changed, sender=User.user_permissions.through)
def _user_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # The relation is declared on User, so the forward side is the user.
    _members_changed(instance, action, not reverse, pk_set, lambda permission: permission.user_set.all())


@receiver(m2m_changed, sender=User.groups.through)
def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _members_changed(instance, action, not reverse, pk_set, lambda group: group.user_set.all())


@receiver(m2m_changed, sender=Group.permissions.through)
def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in _CHANGES:
        return
    groups = [instance.pk] if not reverse else (pk_set or instance.group_set.values_list("pk", flat=True))
    api_auth_forget(user_ids=User.objects.filter(groups__in=list(groups)).values_list("pk", flat=True))


@receiver(pre_delete, sender=Agency)
def _agency_deleted(sender, instance, **kwargs):
    api_auth_forget(user_ids=instance.clerks.values_list("pk", flat=True))


@receiver(pre_delete, sender=Body)
def _body_deleted(sender, instance, **kwargs):
    api_auth_forget(user_ids=instance.supervisors.values_list("pk", flat=True))


@receiver(pre_delete, sender=Group)
def _group_deleted(sender, instance, **kwargs):
    api_auth_forget(user_ids=instance.user_set.values_list("pk", flat=True))


@receiver(pre_save, sender=Proposer)
def _proposer_account_changing(sender, instance, **kwargs):
    # Both the account that loses the proposer and the one that gains it hold a cached scope.
    if instance.pk:
        old = Proposer.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        if old != instance.user_id:
            api_auth_forget(user_ids=[old, instance.user_id])


@receiver(post_delete, sender=Proposer)
def _proposer_deleted(sender, instance, **kwargs):
    api_auth_forget(user_ids=[instance.user_id])
