from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for USER and print its key once / 为用户创建 API 令牌（密钥只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--read-only", action="store_true", help="GET only / 只读")
        parser.add_argument("--name", default="命令行创建", help="a label for the token")

    def handle(self, *args, username, read_only, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在 / No such user: {username}")
        token, key = api_token_create(user=user, name=name, read_only=read_only)
        self.stderr.write(f"token #{token.pk} for {user.username} ({'read-only' if read_only else 'read-write'})")
        self.stdout.write(key)
