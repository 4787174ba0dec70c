"""What the 操作日志 and 个人信息查看日志 pages show instead of codes.

Action codes ("policy.claim.approve") are what services write; a person reads
"政策兑现审核通过". Every action a service records needs a label here (a test scans
the source for ``audit.record`` calls and fails on one without).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext, gettext_noop

ACTION_LABELS: dict[str, str] = {
    "talent.register": gettext_noop("人才登记"),
    "talent.tier": gettext_noop("人才层次认定"),
    "talent.profile.update": gettext_noop("人才修改本人档案"),
    "talent.profile.approve": gettext_noop("档案变更审核通过"),
    "talent.profile.reject": gettext_noop("档案变更审核退回"),
    "talent.profile.saveback": gettext_noop("申报时填写的信息保存到本人档案"),
    "registry.document.upload": gettext_noop("上传材料到材料库"),
    "registry.document.download": gettext_noop("查看材料库中的材料"),
    "registry.document.delete": gettext_noop("从材料库删除材料"),
    "enterprise.update": gettext_noop("修改企业信息"),
    "registry.import": gettext_noop("Excel数据导入"),
    "export": gettext_noop("导出列表"),
    "announcement.save": gettext_noop("保存通知公告"),
    "announcement.publish": gettext_noop("发布通知公告"),
    "announcement.withdraw": gettext_noop("撤回通知公告"),
    "job.enable": gettext_noop("启用定时任务"),
    "job.disable": gettext_noop("停用定时任务"),
    "job.schedule": gettext_noop("修改定时任务执行周期"),
    "job.run_now": gettext_noop("立即执行定时任务"),
    "api_token.issue": gettext_noop("签发API令牌"),
    "api_token.revoke": gettext_noop("吊销API令牌"),
    "account.password_change": gettext_noop("修改密码"),
    "account.password_reset": gettext_noop("短信找回密码"),
    "sms_code.issue": gettext_noop("发送短信验证码"),
    "signup.talent": gettext_noop("人才自行注册"),
    "signup.enterprise.submit": gettext_noop("提交企业注册"),
    "signup.enterprise.approve": gettext_noop("企业注册审核通过"),
    "signup.enterprise.reject": gettext_noop("企业注册审核退回"),
    "enterprise.create": gettext_noop("新增企业"),
    "enterprise.account.link": gettext_noop("开通企业账号"),
    "talent.login.link": gettext_noop("关联人才登录账号"),
    "privacy.accept": gettext_noop("同意隐私政策"),
    "privacy.publish": gettext_noop("发布隐私政策新版本"),
    "session.force_logout": gettext_noop("强制下线"),
    "admin.create": gettext_noop("管理后台新增"),
    "admin.change": gettext_noop("管理后台修改"),
    "admin.delete": gettext_noop("管理后台删除"),
    "account.otp.start": gettext_noop("开始绑定身份验证器"),
    "account.otp.enrol": gettext_noop("绑定身份验证器"),
    "account.otp.verify": gettext_noop("登录验证码"),
    "account.otp.remove": gettext_noop("解除身份验证器绑定"),
    "account.otp.reset": gettext_noop("重置双因素认证"),
    "pii.rotate_keys": gettext_noop("个人信息密钥轮换"),
    "demo.generate": gettext_noop("生成演示数据"),
    "core.synonym.add": gettext_noop("新增检索同义词"),
    "core.synonym.change": gettext_noop("修改检索同义词"),
    "core.synonym.remove": gettext_noop("删除检索同义词"),
    "core.dictionary.create": gettext_noop("新建字典"),
    "core.dictionary.change": gettext_noop("修改字典"),
    "core.dictionary.localize": gettext_noop("设置本园区字典"),
    "core.dictionary.item_add": gettext_noop("新增字典项"),
    "core.dictionary.item_change": gettext_noop("修改字典项"),
    "core.dictionary.item_enable": gettext_noop("启用字典项"),
    "core.dictionary.item_disable": gettext_noop("停用字典项"),
    "core.dictionary.item_move": gettext_noop("调整字典项顺序"),
    "core.parameter.change": gettext_noop("修改系统参数"),
    "core.parameter.reset": gettext_noop("系统参数恢复默认"),
    "core.calendar.add": gettext_noop("录入节假日与调休"),
    "core.calendar.change": gettext_noop("修改节假日与调休"),
    "core.calendar.delete": gettext_noop("删除节假日与调休"),
    "policy.create": gettext_noop("新建政策"),
    "policy.update": gettext_noop("修改政策"),
    "policy.attachment.add": gettext_noop("上传政策附件"),
    "policy.attachment.remove": gettext_noop("删除政策附件"),
    "policy.version.save": gettext_noop("保存政策规则版本"),
    "policy.publish": gettext_noop("发布政策规则"),
    "policy.run.done": gettext_noop("政策计算完成"),
    "policy.run.retry": gettext_noop("重新运行政策计算"),
    "policy.cycle.start": gettext_noop("开始新一期兑现"),
    "policy.sweep": gettext_noop("补充比对"),
    "policy.sweep.request": gettext_noop("发起补充比对"),
    "policy.reevaluate": gettext_noop("变更比对"),
    "policy.claim.confirm": gettext_noop("确认申领政策"),
    "policy.claim.decline": gettext_noop("放弃政策待遇"),
    "policy.claim.approve": gettext_noop("政策兑现审核通过"),
    "policy.claim.reject": gettext_noop("政策兑现审核退回"),
    "policy.review.request": gettext_noop("申请人工复核"),
    "policy.review.resolve": gettext_noop("处理人工复核"),
    "policy.ledger.pay": gettext_noop("拨付"),
    "policy.ledger.reverse": gettext_noop("冲正"),
    "talentcode.key.create": gettext_noop("生成人才码签名密钥"),
    "talentcode.key.rotate": gettext_noop("轮换人才码签名密钥"),
    "talentcode.key.retire": gettext_noop("退役人才码签名密钥"),
    "talentcode.code.revoke": gettext_noop("停用人才码"),
    "talentcode.code.reinstate": gettext_noop("恢复人才码"),
    "talentcode.consent.grant": gettext_noop("授权合作窗口查看信息"),
    "talentcode.consent.withdraw": gettext_noop("撤回合作窗口授权"),
    "talentcode.service.record": gettext_noop("登记绿色通道服务"),
    "talentcode.partner.create": gettext_noop("新增合作机构"),
    "talentcode.partner.change": gettext_noop("修改合作机构"),
    "talentcode.window.create": gettext_noop("新增合作窗口"),
    "talentcode.window.change": gettext_noop("修改合作窗口"),
    "talentcode.service.create": gettext_noop("新增绿色通道服务"),
    "talentcode.service.change": gettext_noop("修改绿色通道服务"),
    "talentcode.account.create": gettext_noop("开通合作窗口账号"),
    "talentcode.account.change": gettext_noop("修改合作窗口账号"),
    "talentcode.account.disable": gettext_noop("停用合作窗口账号"),
    "talentcode.account.enable": gettext_noop("启用合作窗口账号"),
    "recruitment.position.save": gettext_noop("保存招聘岗位"),
    "recruitment.position.submit": gettext_noop("提交岗位审核"),
    "recruitment.position.review": gettext_noop("审核招聘岗位"),
    "recruitment.position.close": gettext_noop("结束岗位招聘"),
    "recruitment.demand.save": gettext_noop("填报人才需求"),
    "recruitment.demand.status": gettext_noop("更新人才需求状态"),
    "recruitment.seeker.save": gettext_noop("保存求职意向"),
    "recruitment.search.save": gettext_noop("保存岗位订阅"),
    "recruitment.application.apply": gettext_noop("投递简历"),
    "recruitment.application.move": gettext_noop("推进应聘进度"),
    "recruitment.application.invite": gettext_noop("邀请面试"),
    "recruitment.application.withdraw": gettext_noop("撤回求职申请"),
    "recruitment.interview.accept": gettext_noop("确认面试时间"),
    "recruitment.interview.decline": gettext_noop("婉拒面试"),
    "recruitment.fair.schedule": gettext_noop("发布招聘会"),
    "recruitment.fair.booth": gettext_noop("报名招聘会展位"),
    "recruitment.fair.register": gettext_noop("报名招聘会"),
    "recruitment.fair.check_in": gettext_noop("招聘会签到"),
    "recruitment.fair.intention": gettext_noop("登记现场意向"),
    "desk.request.file": gettext_noop("提交服务诉求"),
    "desk.request.categorise": gettext_noop("确定诉求类别"),
    "desk.request.complete": gettext_noop("办结服务诉求"),
    "desk.request.ask": gettext_noop("请诉求人补充材料"),
    "desk.request.reply": gettext_noop("诉求人回复"),
    "desk.request.note": gettext_noop("记录办理备注"),
    "desk.request.reassign": gettext_noop("更换诉求服务专员"),
    "desk.request.rate": gettext_noop("评价服务诉求"),
    "desk.request.reopen": gettext_noop("重新办理服务诉求"),
    "desk.part.add": gettext_noop("分派部门办件"),
    "desk.part.start": gettext_noop("开始办理部门办件"),
    "desk.part.complete": gettext_noop("办结部门办件"),
    "desk.assignment.create": gettext_noop("指派包保专员"),
    "desk.assignment.change": gettext_noop("改派包保专员"),
    "desk.assignment.contact": gettext_noop("登记首次联系"),
    "desk.item.create": gettext_noop("新增服务清单事项"),
    "desk.item.complete": gettext_noop("完成服务清单事项"),
    "desk.visit.create": gettext_noop("登记企业走访"),
}

OTHER_ROLES = {"system": gettext_noop("系统"), "anonymous": gettext_noop("未登录")}

# PI fields as the access log stores them (one name, or several joined by commas for an export).
PII_FIELD_LABELS = {
    "id_number": gettext_noop("身份证号"),
    "phone": gettext_noop("手机号码"),
    "bank_account": gettext_noop("银行账号"),
    "contact_phone": gettext_noop("联系电话"),
    "email": gettext_noop("电子邮箱"),
    "birth_date": gettext_noop("出生日期"),
    "name": gettext_noop("姓名"),
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return gettext(label) if label else code


def role_label(code: str) -> str:
    from talentpark.core.roles import Role

    if code in Role.values:
        return gettext(str(Role(code).label))
    return gettext(OTHER_ROLES[code]) if code in OTHER_ROLES else code


# Models that moved between apps: the label older log rows carry → the model's label now.
MOVED = {"registry.university": "core.university"}  # core 0016


def model_label(object_type: str) -> str:
    """ "registry.talent" → "人才"; "" or an unknown type → ""."""
    if "." not in object_type:
        return ""
    try:
        model = apps.get_model(MOVED.get(object_type.lower(), object_type))
    except (LookupError, ValueError):
        return ""
    return gettext(str(model._meta.verbose_name))


def object_label(object_type: str, object_repr: str) -> str:
    """The object named: "人才：唐娜"."""
    kind = model_label(object_type)
    if kind and object_repr:
        return f"{kind}：{object_repr}"
    return kind or object_repr


def pii_field_label(subject_type: str, field: str) -> str:
    """ "id_number" → "身份证号"; an export's "id_number,phone" → "身份证号、手机号码"."""
    model: Any = None
    if "." in subject_type:
        try:
            model = apps.get_model(subject_type)
        except (LookupError, ValueError):
            model = None
    labels = []
    for name in [f for f in field.split(",") if f]:
        label = ""
        if model is not None:
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = ""
        labels.append(gettext(label or PII_FIELD_LABELS.get(name, name)))
    return "、".join(labels)


def person_name(user: Any, fallback: str) -> str:
    """A person's name (display name), not her username, wherever a log shows who acted."""
    if user is not None:
        return str(user)
    return fallback
