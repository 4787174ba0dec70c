from talentpark.registry import profile, timeline_views, wallet_views
from talentpark.registry.pages import LISTINGS
from talentpark.registry.views import enterprise_edit, unmask_pii

app_name = "registry"

from django.urls import path  # noqa: E402

urlpatterns = [u for listing in LISTINGS for u in listing.urls()] + [
    path("enterprise/<int:pk>/edit/", enterprise_edit, name="enterprise_edit"),
    path("talent/<int:pk>/unmask/", unmask_pii, name="talent_unmask"),
    path("profile/", profile.profile, name="profile"),
    path("timeline/", timeline_views.my_timeline, name="timeline"),
    path("talent/<int:pk>/timeline/", timeline_views.talent_timeline, name="talent_timeline"),
    path("wallet/", wallet_views.my_wallet, name="wallet"),
    path("wallet/upload/", wallet_views.wallet_upload, name="wallet_upload"),
    path("wallet/<int:pk>/download/", wallet_views.document_download, name="document_download"),
    path("wallet/<int:pk>/delete/", wallet_views.document_delete, name="document_delete"),
    path("profile-changes/", profile.profile_change_list, name="profile_change_list"),
    path("profile-changes/<int:pk>/review/", profile.profile_change_review, name="profile_change_review"),
]

# Excel import (registry.excel): the office's template, upload, preview, progress and commit pages.
from talentpark.registry.excel import views as excel  # noqa: E402
from talentpark.registry.excel.columns import SPECS  # noqa: E402

urlpatterns += [
    path("import/", excel.import_home, name="import_home"),
    *(path(f"import/{kind}/", excel.import_kind, {"kind": kind}, name=f"import_{kind}") for kind in SPECS),
    *(
        path(
            f"import/{kind}/template.xlsx",
            excel.template_download,
            {"kind": kind},
            name=f"import_{kind}_template",
        )
        for kind in SPECS
    ),
    path("import/job/<int:pk>/", excel.job_detail, name="import_job"),
    path("import/job/<int:pk>/progress/", excel.job_progress, name="import_progress"),
    path("import/job/<int:pk>/commit/", excel.job_commit, name="import_commit"),
    path("import/job/<int:pk>/cancel/", excel.job_cancel, name="import_cancel"),
    path("import/job/<int:pk>/marked.xlsx", excel.job_marked, name="import_marked"),
]
