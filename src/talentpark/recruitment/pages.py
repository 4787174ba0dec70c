from talentpark.accounts.access import restrict
from talentpark.core.codes import Degree
from talentpark.core.listing import Col, Filter, Listing, Related
from talentpark.recruitment.models import PersonnelDemand, Position
from talentpark.registry.pages import ENTERPRISES

POSITIONS = Listing(
    model=Position,
    slug="position",
    namespace="recruitment",
    title="招聘岗位",
    select_related=("enterprise", "zone"),
    search=("title", "enterprise__name", "major"),
    search_hint="岗位、企业或专业",
    columns=(
        Col("岗位名称", "title", link=True),
        Col("招聘企业", "enterprise.name"),
        Col("人数", "headcount"),
        Col("最低学历", "min_degree"),
        Col("月薪（元）", lambda p: f"{p.salary_min}–{p.salary_max}"),
        Col("发布日期", "published_on"),
        Col("状态", "status"),
    ),
    filters=(
        Filter("category", "岗位类别", "category", Position.Category.choices),
        Filter("degree", "最低学历", "min_degree", Degree.choices),
        Filter("status", "状态", "status", Position.Status.choices),
    ),
    sections=(
        (
            "岗位信息",
            (
                Col("岗位名称", "title"),
                Col("招聘企业", "enterprise.name", to=("registry:enterprise_detail", "enterprise_id")),
                Col("岗位类别", "category"),
                Col("招聘人数", "headcount"),
                Col("最低学历", "min_degree"),
                Col("专业要求", "major"),
                Col("月薪（元）", lambda p: f"{p.salary_min}–{p.salary_max}"),
                Col("发布日期", "published_on"),
                Col("状态", "status"),
                Col("岗位职责", "description"),
            ),
        ),
    ),
)

DEMANDS = Listing(
    model=PersonnelDemand,
    slug="demand",
    namespace="recruitment",
    title="人才需求",
    select_related=("enterprise", "zone"),
    search=("title", "enterprise__name", "major"),
    columns=(
        Col("需求方向", "title", link=True),
        Col("企业", "enterprise.name"),
        Col("专业", "major"),
        Col("学历", "min_degree"),
        Col("人数", "count"),
        Col("紧迫程度", "urgency"),
        Col("状态", "status"),
    ),
    filters=(
        Filter("urgency", "紧迫程度", "urgency", PersonnelDemand.Urgency.choices),
        Filter("degree", "学历", "min_degree", Degree.choices),
        Filter("status", "状态", "status", PersonnelDemand.Status.choices),
    ),
    sections=(
        (
            "需求信息",
            (
                Col("需求岗位/方向", "title"),
                Col("企业", "enterprise.name", to=("registry:enterprise_detail", "enterprise_id")),
                Col("专业方向", "major"),
                Col("学历要求", "min_degree"),
                Col("需求人数", "count"),
                Col("紧迫程度", "urgency"),
                Col("填报日期", "reported_on"),
                Col("状态", "status"),
                Col("备注", "note"),
            ),
        ),
    ),
)
LISTINGS = (POSITIONS, DEMANDS)


# The enterprise's open and past positions on its 企业库 page.
ENTERPRISES.add_related(
    Related(
        "招聘岗位",
        lambda e, u: restrict(Position.objects.filter(enterprise=e), u)[:20],
        (
            Col("岗位", "title", link=True),
            Col("人数", "headcount"),
            Col("学历", "min_degree"),
            Col("状态", "status"),
        ),
        "recruitment:position_detail",
    ),
    before="在职人才",
)
