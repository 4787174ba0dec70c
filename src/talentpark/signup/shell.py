"""Registration in the shell (see ``core.shell``)."""

from talentpark.core import shell

shell.nav("一网四库", "企业注册审核", "signup:registration_list", "signup.enterprise.review", order=65)
shell.nav("系统管理", "隐私政策版本", "signup:notice_list", "signup.privacy.publish", order=34)
