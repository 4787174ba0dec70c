"""Accounts in the shell: 系统管理 entries and the talent's bar (see ``core.shell``)."""

from talentpark.core import shell

G = "系统管理"
shell.nav(G, "组织机构", "accounts:department_list", "accounts.department.view", order=10)
shell.nav(G, "用户管理", "accounts:user_list", "accounts.user.view", order=20)
shell.nav(G, "登录日志", "accounts:loginlog_list", "accounts.loginlog.view", order=50)
shell.nav(G, "在线用户", "accounts:session_list", "accounts.session.view", order=60)
shell.nav(G, "账号安全", "accounts:security", None, order=80)
shell.nav(G, "修改密码", "accounts:password_change", None, order=90)
shell.talent_nav("首页", "accounts:home", None, order=10)
shell.talent_nav("账号安全", "accounts:security", None, order=80)
shell.talent_nav("修改密码", "accounts:password_change", None, order=90)
