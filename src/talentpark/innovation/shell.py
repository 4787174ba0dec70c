"""讲师库 in the shell (see ``core.shell``)."""

from talentpark.core import shell

shell.nav("服务保障", "讲师库", "innovation:lecturer_list", "innovation.lecturer.view", order=20)
