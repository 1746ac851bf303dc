from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from proposals.models import Proposer
from proposals.services import proposer_account_create


class Command(BaseCommand):
    help = (
        "Give a proposer a sign-in account that sees his own items and rates replies (password printed once) / "
        "为提出人创建账户（本人查看与评价，密码只显示一次）"
    )

    def add_arguments(self, parser):
        parser.add_argument("proposer", help="proposer id, or exact name / 提出人编号或全名")
        parser.add_argument("--username", default="")
        parser.add_argument("--password", default="", help="default: generated / 默认随机生成")

    def handle(self, *args, proposer, username, password, **options):
        found = list(
            Proposer.objects.filter(pk=int(proposer)) if proposer.isdigit() else Proposer.objects.filter(name=proposer)
        )
        if not found:
            raise CommandError(f"提出人不存在 / No such proposer: {proposer}")
        if len(found) > 1:
            raise CommandError(
                f"同名提出人有 {len(found)} 个，请用编号 / {len(found)} proposers share that name; use the id"
            )
        try:
            user, secret = proposer_account_create(proposer=found[0], username=username, password=password)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if not secret:
            self.stderr.write(f"{found[0]} 已有账户 / already has an account: {user.username}")
            return
        self.stderr.write(f"account for {found[0]}: {user.username}")
        self.stdout.write(secret)
