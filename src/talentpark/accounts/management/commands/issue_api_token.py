from django.core.management.base import BaseCommand, CommandError

from talentpark.accounts.models import User
from talentpark.accounts.services import issue_api_token
from talentpark.core.context import ActionContext


class Command(BaseCommand):
    help = "Issue an API bearer token for a user; the key is printed once and never stored."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. 'ERP 同步'")
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args, username: str, name: str, days: int, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在或已停用：{username}")
        if not 1 <= days <= 3650:
            raise CommandError("有效天数应在1到3650之间")
        _, key = issue_api_token(
            ActionContext.system("命令行签发API令牌", zone_id=user.zone_id), user, name, days
        )
        self.stdout.write(key)
