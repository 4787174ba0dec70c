from talentpark.core.codes import ProfessionalTitle
from talentpark.core.listing import Col, Filter, Listing
from talentpark.innovation.models import Lecturer

LECTURERS = Listing(
    model=Lecturer,
    slug="lecturer",
    namespace="innovation",
    title="讲师库",
    select_related=("zone",),
    search=("name", "organisation", "specialty", "courses"),
    search_hint="姓名、单位或领域",
    shows_pii=True,
    columns=(
        Col("姓名", "name", link=True),
        Col("工作单位", "organisation"),
        Col("职称", "professional_title"),
        Col("擅长领域", "specialty"),
        Col("联系电话", "phone"),
    ),
    filters=(Filter("title", "职称", "professional_title", ProfessionalTitle.choices),),
    sections=(
        (
            "讲师信息",
            (
                Col("姓名", "name"),
                Col("工作单位", "organisation"),
                Col("职称", "professional_title"),
                Col("擅长领域", "specialty"),
                Col("主讲课程", "courses"),
                Col("联系电话", "phone"),
            ),
        ),
    ),
)
LISTINGS = (LECTURERS,)
