"""Create the demo administrator, a supervisor and a clerk, and print their credentials (development only)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from proposals.models import Agency, Body

DEMO = [
    ("admin", "luoshi-admin", "管理员", True),
    ("supervisor", "luoshi-supervisor", "督办人员", False),
    ("clerk", "luoshi-clerk", "办理人员", False),
]


class Command(BaseCommand):
    help = "创建演示账号并打印登录信息（仅用于开发环境）"

    def handle(self, *args, **options):
        User = get_user_model()
        for username, password, role, is_admin in DEMO:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": is_admin, "is_superuser": is_admin, "first_name": role}
            )
            if created:
                user.set_password(password)
                user.save()
            if username == "supervisor":
                user.supervised_bodies.add(*Body.objects.all())
            if username == "clerk":
                agency = Agency.objects.filter(name__contains="发展和改革委员会").order_by("pk").first()
                if agency:
                    user.clerk_agencies.add(agency)
            self.stdout.write(f"  {role}: {username} / {password}")
