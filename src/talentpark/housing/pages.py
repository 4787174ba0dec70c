from talentpark.core.listing import Col, Filter, Listing
from talentpark.housing.models import ApartmentUnit

APARTMENTS = Listing(
    model=ApartmentUnit,
    slug="apartment",
    namespace="housing",
    title="人才公寓",
    select_related=("zone",),
    search=("estate", "building", "unit_no"),
    search_hint="公寓项目或房号",
    columns=(
        Col("房源", str, link=True),
        Col("类型", "kind"),
        Col("户型", "layout"),
        Col("面积（㎡）", "area"),
        Col("月租金（元）", "monthly_rent"),
        Col("拎包入住", "furnished"),
        Col("状态", "status"),
    ),
    filters=(
        Filter("kind", "公寓类型", "kind", ApartmentUnit.Kind.choices),
        Filter("layout", "户型", "layout", ApartmentUnit.Layout.choices),
        Filter("status", "状态", "status", ApartmentUnit.Status.choices),
    ),
    sections=(
        (
            "房源信息",
            (
                Col("公寓项目", "estate"),
                Col("楼栋", "building"),
                Col("房号", "unit_no"),
                Col("类型", "kind"),
                Col("户型", "layout"),
                Col("面积（㎡）", "area"),
                Col("月租金（元）", "monthly_rent"),
                Col("拎包入住", "furnished"),
                Col("状态", "status"),
            ),
        ),
    ),
)
LISTINGS = (APARTMENTS,)
