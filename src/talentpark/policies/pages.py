from talentpark.core.listing import Col, Filter, Listing
from talentpark.policies.models import Policy

POLICIES = Listing(
    model=Policy,
    slug="policy",
    namespace="policies",
    title="政策库",
    select_related=("zone",),
    search=("title", "doc_number", "issuing_body", "summary"),
    search_hint="政策名称、文号或发文机关",
    columns=(
        Col("政策名称", "title", link=True),
        Col("文号", "doc_number"),
        Col("发文机关", "issuing_body"),
        Col("类别", "category"),
        Col("适用对象", "target"),
        Col("发布日期", "published_on"),
        Col("状态", "status"),
    ),
    filters=(
        Filter("category", "类别", "category", Policy.Category.choices),
        Filter("target", "适用对象", "target", Policy.Target.choices),
        Filter("status", "状态", "status", Policy.Status.choices),
    ),
    sections=(
        (
            "政策信息",
            (
                Col("政策名称", "title"),
                Col("文号", "doc_number"),
                Col("发文机关", "issuing_body"),
                Col("类别", "category"),
                Col("适用对象", "target"),
                Col("发布日期", "published_on"),
                Col("生效日期", "effective_from"),
                Col("截止日期", "effective_to"),
                Col("状态", "status"),
                Col("摘要", "summary"),
                Col("政策全文", "full_text"),
            ),
        ),
    ),
)
LISTINGS = (POLICIES,)
