from django.urls import path

from . import sso_views, views

app_name = "companies"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inscription/", views.register, name="register"),
    path("mes-heures/", views.my_allowance, name="my_allowance"),
    path("mes-heures/cloture.ics", views.hours_deadline_calendar, name="hours_deadline_calendar"),
    path("salaries/", views.employees, name="employees"),
    path("salaries/<int:pk>/", views.member_edit, name="member_edit"),
    path("parametres/", views.company_settings, name="settings"),
    path("parametres/connexion-entreprise/", sso_views.sso_settings, name="sso_settings"),
    path("connexion/", sso_views.sso_start, name="sso_start"),
    path("validations/", views.approvals, name="approvals"),
    path("validations/<int:pk>/valider/", views.approval_approve, name="approve"),
    path("validations/<int:pk>/refuser/", views.approval_refuse, name="refuse"),
    path("rapports/", views.reports, name="reports"),
    path("rapports/export.<str:fmt>", views.reports_export, name="reports_export"),
    path(
        "rapports/<int:company_id>/abonnement/",
        views.report_subscription,
        name="report_subscription",
    ),
    path(
        "associations/<slug:slug>/<int:year>/recapitulatif.pdf",
        views.association_summary,
        name="association_summary",
    ),
    path(
        "associations/<slug:slug>/recapitulatif/abonnement/",
        views.summary_subscription,
        name="summary_subscription",
    ),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/invitations/", views.programme_invitations, name="programme_invitations"),
    path("programmes/nouveau/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/agenda.ics", views.programme_calendar, name="programme_calendar"),
    path("programmes/<int:pk>/modifier/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/inscription/", views.programme_register, name="programme_register"),
    path("programmes/<int:pk>/proposer/", views.programme_submit, name="programme_submit"),
    path("programmes/<int:pk>/equipes/", views.programme_teams, name="programme_teams"),
]
