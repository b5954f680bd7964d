"""Company and foundation staff pages, and the employee's own allowance page.

Who may see what: managers and programme admins see their company's space (a manager
sees the approvals of the employees they manage); only programme admins invite and
change employees, set the company's settings and create or edit its programmes;
employees see their own allowance; association members download
their yearly summary. (The platform figures for staff, listed under the same URL
namespace, are the project's: ``probono/views.py``.)
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from associations import access as association_access
from core.calendars import calendar_response
from core.forms import add_service_errors
from missions.models import Application, Mission
from notifications.models import Notification
from notifications.services import preferences_for

from . import access, calendar, charts, exports, selectors, services, subscriptions
from . import programmes as programme_services
from .forms import (
    ApproveForm,
    CompanyRegisterForm,
    CompanySettingsForm,
    InviteForm,
    MemberForm,
    ProgrammeForm,
    RefuseForm,
    ReportFilterForm,
    ReportSubscriptionForm,
    SummarySubscriptionForm,
)
from .models import CompanyMember, Programme, ReportSubscription
from .pdf import association_summary_pdf, report_pdf
from .reports import (
    ReportScope,
    association_yearly_summary,
    impact_report,
    member_rows,
    validated_hours_total,
)


def _staff_member(request) -> CompanyMember:
    """The requester's manager or programme-admin membership, or 403."""
    member = access.staff_membership(request.user)
    if member is None:
        raise PermissionDenied(_("Cette page est réservée aux équipes des entreprises."))
    return member


def _programme_admin(request) -> CompanyMember:
    member = _staff_member(request)
    if member.role != CompanyMember.Role.PROGRAMME_ADMIN:
        raise PermissionDenied(_("Cette action est réservée aux responsables des programmes."))
    return member


@login_required
def register(request):
    if access.staff_membership(request.user) is not None:
        return redirect("companies:dashboard")
    form = CompanyRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Votre structure est enregistrée : l'équipe va vérifier son numéro SIREN."),
            )
            return redirect("companies:dashboard")
    return render(request, "companies/register.html", {"form": form})


@login_required
def dashboard(request):
    member = access.staff_membership(request.user)
    if member is None:
        if access.membership_for(request.user) is not None:
            return redirect("companies:my_allowance")
        raise PermissionDenied(_("Cette page est réservée aux équipes des entreprises."))
    company = member.company
    today = timezone.localdate()
    start, end = company.allowance_year(today)
    pending = access.approvals_visible_to(member).filter(
        approval_state=Application.Approval.PENDING, state__in=Application.OPEN_STATES
    )
    figures = {
        "employees": company.members.count(),
        "pending": pending.count(),
    }
    hours = (
        validated_hours_total(ReportScope(company=company, start=start, end=end))
        if member.role == CompanyMember.Role.PROGRAMME_ADMIN
        else None
    )
    return render(
        request,
        "companies/dashboard.html",
        {
            "member": member,
            "company": company,
            "figures": figures,
            "hours": hours,
            "year_start": start,
            "year_end": end,
            "programmes": company.programmes.order_by("-starts_on")[:5],
        },
    )


@login_required
def my_allowance(request):
    member = access.membership_for(request.user)
    if member is None:
        raise PermissionDenied(_("Cette page est réservée aux salariés des entreprises."))
    allowance = selectors.allowance_for(request.user)
    applications = (
        Application.objects.filter(
            volunteer__user=request.user, is_work_time=True, volunteer__employer=member.company
        )
        .select_related("mission__association")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "companies/my_allowance.html",
        {"member": member, "allowance": allowance, "applications": applications},
    )


@login_required
def hours_deadline_calendar(request):
    """The close of the person's sponsorship year as an ``.ics`` file (employees only)."""
    member = access.membership_for(request.user)
    event = (
        calendar.hours_deadline_event(member, today=timezone.localdate())
        if member is not None
        else None
    )
    if event is None:
        raise Http404
    return calendar_response([event], name=event.summary, filename="cloture-annee-de-mecenat.ics")


@login_required
def employees(request):
    member = _staff_member(request)
    company = member.company
    can_invite = member.role == CompanyMember.Role.PROGRAMME_ADMIN
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not can_invite:
            raise PermissionDenied(_("Seuls les responsables des programmes invitent."))
        # The service refuses an unverified company; the page says why instead of the form.
        if form.is_valid():
            try:
                invited = services.employee_invite(
                    company_id=company.pk, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Invitation envoyée à %(email)s.") % {"email": invited.user.email},
                )
                return redirect("companies:employees")
    query = (request.GET.get("q") or "").strip()
    members = (
        CompanyMember.objects.filter(company=company)
        .select_related("user", "cost_band", "manager")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    if query:
        members = members.filter(
            Q(user__email__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(site__icontains=query)
        )
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    allowances = selectors.allowances_of(company, page.object_list)
    rows = [(m, allowances.get(m.user_id)) for m in page.object_list]
    return render(
        request,
        "companies/employees.html",
        {
            "member": member,
            "company": company,
            "page": page,
            "rows": rows,
            "form": form,
            "can_invite": can_invite,
            "query": query,
        },
    )


@login_required
def member_edit(request, pk: int):
    admin = _programme_admin(request)
    member = get_object_or_404(
        CompanyMember.objects.select_related("user"), pk=pk, company=admin.company
    )
    managers = (
        CompanyMember.objects.filter(
            company=admin.company,
            role__in=CompanyMember.STAFF_ROLES,
        )
        .exclude(pk=member.pk)
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )
    initial = {
        "role": member.role,
        "allowance_hours_override": member.allowance_hours_override,
        "manager": member.manager_id,
        "site": member.site,
    }
    form = MemberForm(request.POST or None, initial=initial, managers=managers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_update(
                member_id=member.pk,
                actor=request.user,
                role=data["role"],
                allowance_hours_override=data["allowance_hours_override"],
                manager_id=data["manager"],
                site=data["site"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les informations du salarié sont enregistrées."))
            return redirect("companies:employees")
    return render(
        request,
        "companies/member_edit.html",
        {"member": admin, "target": member, "form": form},
    )


@login_required
def company_settings(request):
    member = _programme_admin(request)
    company = member.company
    form = CompanySettingsForm(
        request.POST or None, initial=CompanySettingsForm.initial_for(company)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.company_settings_update(
                company_id=company.pk, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les paramètres de l'entreprise sont enregistrés."))
            return redirect("companies:settings")
    return render(
        request,
        "companies/settings.html",
        {"member": member, "company": company, "form": form},
    )


def _approval_rows(member, applications, forms_for=None):
    applications = list(applications)
    company = member.company
    users = {a.volunteer.user_id for a in applications}
    members = CompanyMember.objects.filter(company=company, user_id__in=users)
    allowances = selectors.allowances_of(company, members)
    budgets = {
        programme_id: selectors.programme_budget(programme_id)
        for programme_id in {a.mission.programme_id for a in applications} - {None}
    }
    forms_for = forms_for or {}
    rows = []
    for application in applications:
        approve, refuse = forms_for.get(application.pk, (None, None))
        allowance = allowances.get(application.volunteer.user_id)
        grantable = selectors.planned_hours_default(
            application.mission.effort_hours,
            allowance,
            budgets.get(application.mission.programme_id),
        )
        rows.append(
            {
                "application": application,
                "allowance": allowance,
                "grantable": grantable,
                "approve_form": approve
                or ApproveForm(
                    initial={"planned_hours": grantable or None},
                    prefix=f"a{application.pk}",
                ),
                "refuse_form": refuse or RefuseForm(prefix=f"r{application.pk}"),
            }
        )
    return rows


def _approvals_page(request, member, forms_for=None, status=200):
    visible = access.approvals_visible_to(member).select_related(
        "volunteer__user", "mission__association"
    )
    pending = visible.filter(
        approval_state=Application.Approval.PENDING, state__in=Application.OPEN_STATES
    ).order_by("created_at", "pk")[:100]
    decided = visible.filter(
        approval_state__in=(Application.Approval.APPROVED, Application.Approval.REFUSED)
    ).order_by("-updated_at", "-pk")[:20]
    return render(
        request,
        "companies/approvals.html",
        {
            "member": member,
            "company": member.company,
            "rows": _approval_rows(member, pending, forms_for),
            "decided": decided,
            "reminder_days": _reminder_days(),
        },
        status=status,
    )


def _reminder_days() -> int:
    return settings.COMPANY_APPROVAL_REMINDER_DAYS


@login_required
def approvals(request):
    return _approvals_page(request, _staff_member(request))


def _visible_application(member, pk: int) -> Application:
    application = (
        access.approvals_visible_to(member)
        .select_related("volunteer__user", "mission__association")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


@login_required
@require_POST
def approval_approve(request, pk: int):
    member = _staff_member(request)
    application = _visible_application(member, pk)
    form = ApproveForm(request.POST, prefix=f"a{pk}")
    if form.is_valid():
        try:
            services.application_approve(
                application_id=pk,
                actor=request.user,
                planned_hours=form.cleaned_data["planned_hours"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Engagement de %(name)s validé pour %(hours)s h.")
                % {"name": application.volunteer.user, "hours": form.cleaned_data["planned_hours"]},
            )
            return redirect("companies:approvals")
    return _approvals_page(request, member, {pk: (form, None)}, status=400)


@login_required
@require_POST
def approval_refuse(request, pk: int):
    member = _staff_member(request)
    application = _visible_application(member, pk)
    form = RefuseForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        try:
            services.application_refuse(
                application_id=pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Engagement de %(name)s refusé : le salarié en est informé.")
                % {"name": application.volunteer.user},
            )
            return redirect("companies:approvals")
    return _approvals_page(request, member, {pk: (None, form)}, status=400)


def _report_for(request, member):
    company = member.company
    members = member_rows(company)
    sites = sorted({m.site for m in members if m.site})
    form = ReportFilterForm(request.GET or None, company=company, sites=sites)
    start, end = company.allowance_year(timezone.localdate())
    scope = ReportScope(company=company, start=start, end=end)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        scope = ReportScope(
            company=company,
            start=data["start"] or start,
            end=data["end"] or end,
            programme_id=data["programme"].pk if data["programme"] else None,
            site=data["site"] or "",
            departement_code=data["departement"] or "",
        )
    if (scope.end - scope.start).days > 366 * 5:
        form.add_error("start", _("Choisissez une période de cinq ans au plus."))
        scope = ReportScope(company=company, start=start, end=end)
    return form, impact_report(scope, members)


def _reports_page(request, member, subscription_form=None, status=200):
    form, report = _report_for(request, member)
    if subscription_form is None:
        subscription_form = ReportSubscriptionForm(
            prefix="subscription", initial={"frequency": member.report_frequency or ""}
        )
    return render(
        request,
        "companies/reports.html",
        {
            "member": member,
            "company": member.company,
            "form": form,
            "report": report,
            "monthly_chart": charts.monthly_bars(
                report.by_month,
                title=_("Heures prévues et validées par mois"),
                planned_label=_("Heures prévues"),
                validated_label=_("Heures validées"),
            ),
            "cause_chart": charts.horizontal_bars(
                report.by_cause, title=_("Heures validées par cause")
            ),
            "family_chart": charts.horizontal_bars(
                report.by_skill_family, title=_("Heures validées par famille de compétences")
            ),
            "query": request.GET.urlencode(),
            "subscription_form": subscription_form,
        },
        status=status,
    )


def _preferences_refuse(request, kind: Notification.Kind) -> None:
    """Warn a person who subscribed to ``kind`` that their e-mail preferences refuse it."""
    if not preferences_for(request.user).wants_email(kind):
        messages.warning(
            request,
            _(
                "Vos préférences de notification ne permettent aucun e-mail pour l'instant : "
                "changez-les pour recevoir cet envoi."
            ),
        )


@login_required
def reports(request):
    member = selectors.with_report_frequency(access.staff_memberships(request.user)).first()
    if member is None:
        raise PermissionDenied(_("Cette page est réservée aux équipes des entreprises."))
    return _reports_page(request, member)


@login_required
@require_POST
def report_subscription(request, company_id: int):
    """Subscribe to (or stop) the company's impact report by e-mail: its managers and
    programme admins only; another company's id is not found."""
    member = (
        selectors.with_report_frequency(access.staff_memberships(request.user))
        .filter(company_id=company_id)
        .first()
    )
    if member is None:
        raise Http404
    form = ReportSubscriptionForm(request.POST, prefix="subscription")
    if form.is_valid():
        try:
            subscription = subscriptions.report_subscription_set(
                actor=request.user, company_id=company_id, frequency=form.cleaned_data["frequency"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if subscription is None:
                messages.success(
                    request, _("Vous ne recevrez plus le rapport d'impact par e-mail.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "C'est noté : vous recevrez le rapport d'impact %(frequency)s, avec "
                        "ses chiffres clés et le PDF joint."
                    )
                    % {"frequency": subscription.get_frequency_display().lower()},
                )
                _preferences_refuse(request, Notification.Kind.IMPACT_REPORT)
            return redirect(reverse("companies:reports") + "#co-subscription-title")
    return _reports_page(request, member, subscription_form=form, status=400)


@login_required
def reports_export(request, fmt: str):
    member = _staff_member(request)
    _form, report = _report_for(request, member)
    stem = f"rapport-impact-{member.company.slug}-{report.scope.start}-{report.scope.end}"
    if fmt == "csv":
        response = HttpResponse(exports.report_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    elif fmt == "pdf":
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    else:
        raise Http404
    return response


@login_required
def association_summary(request, slug: str, year: int):
    """The yearly summary of work-time engagements received, for an association's members."""
    association = get_object_or_404(association_access.managed_by(request.user), slug=slug)
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    rows = association_yearly_summary(association, year)
    response = HttpResponse(
        association_summary_pdf(association, year, rows), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mecenat-competences-{association.slug}-{year}.pdf"'
    )
    return response


# --- programmes and events ---------------------------------------------------------------


def _programme_access(request, pk: int):
    """The programme and the requester's standing: ``(programme, is_member, manage,
    is_admin)``; ``is_admin``: a programme admin of its company, who may edit it.

    Visible to its company's people (and the founder's, for a foundation), to members of
    the associations it is open to, and to platform staff; 404 for anyone else."""
    programme = get_object_or_404(Programme.objects.select_related("company"), pk=pk)
    user = request.user
    roles = dict(
        CompanyMember.objects.filter(
            user=user, company_id__in=programme_services.programme_companies(programme)
        ).values_list("company_id", "role")
    )
    is_member = bool(roles)
    is_admin = roles.get(programme.company_id) == CompanyMember.Role.PROGRAMME_ADMIN
    manage = user.is_platform_staff or is_admin
    if not (is_member or manage):
        memberships = association_access.managed_by(user)
        if (
            not programme_services.eligible_associations(programme)
            .filter(pk__in=memberships)
            .exists()
        ):
            raise Http404
    return programme, is_member, manage, is_admin


@login_required
def programme_calendar(request, pk: int):
    """The programme's dates as an ``.ics`` file, for those who may see its page."""
    programme, *_standing = _programme_access(request, pk)
    return calendar_response(
        [calendar.programme_event(programme)],
        name=programme.name,
        filename=f"programme-{programme.pk}.ics",
    )


@login_required
def programme_create(request):
    member = _programme_admin(request)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                company_id=member.company_id, actor=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Le programme « %(name)s » est créé.") % {"name": programme}
            )
            return redirect("companies:programme", pk=programme.pk)
    return render(
        request,
        "companies/programme_form.html",
        {"member": member, "company": member.company, "form": form, "programme": None},
    )


@login_required
def programme_edit(request, pk: int):
    member = _programme_admin(request)
    programme = get_object_or_404(Programme, pk=pk, company_id=member.company_id)
    initial = ProgrammeForm.initial_for(programme)
    form = ProgrammeForm(
        request.POST or None, initial=initial, invited_ids=initial["invited_associations"]
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                programme_id=programme.pk, actor=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le programme est enregistré."))
            return redirect("companies:programme", pk=programme.pk)
    return render(
        request,
        "companies/programme_form.html",
        {"member": member, "company": member.company, "form": form, "programme": programme},
    )


def _visible_programme(request, pk: int):
    return _programme_access(request, pk)[0]


@login_required
def programmes(request):
    company_ids = list(
        CompanyMember.objects.filter(user=request.user).values_list("company_id", flat=True)
    )
    if not company_ids:
        raise PermissionDenied(_("Cette page est réservée aux salariés des entreprises."))
    visible = (
        Programme.objects.filter(
            Q(company_id__in=company_ids) | Q(company__parent_id__in=company_ids)
        )
        .select_related("company")
        .order_by("-starts_on")
    )
    registered = set(
        request.user.volunteer_profile.programme_registrations.values_list(
            "programme_id", flat=True
        )
        if hasattr(request.user, "volunteer_profile")
        else ()
    )
    return render(
        request,
        "companies/programmes.html",
        {"programmes": visible, "registered": registered},
    )


@login_required
@require_POST
def summary_subscription(request, slug: str):
    """Subscribe to (or stop) an association's yearly summary by e-mail: its members only;
    another association is not found."""
    association = get_object_or_404(association_access.managed_by(request.user), slug=slug)
    form = SummarySubscriptionForm(request.POST)
    form.is_valid()  # a checkbox: anything but "on" is False
    subscribed = bool(form.cleaned_data.get("subscribed"))
    subscriptions.summary_subscription_set(
        actor=request.user, association_id=association.pk, subscribed=subscribed
    )
    if subscribed:
        message = _(
            "C'est noté : chaque mois de janvier, vous recevrez le récapitulatif de l'année "
            "écoulée pour %(association)s, avec le PDF joint."
        )
    else:
        message = _("Vous ne recevrez plus le récapitulatif annuel de %(association)s.")
    messages.success(request, message % {"association": association.name})
    if subscribed:
        _preferences_refuse(request, Notification.Kind.YEARLY_SUMMARY)
    return redirect(reverse("companies:programme_invitations") + "#co-summaries-title")


@login_required
def programme_invitations(request):
    """For association members: the programmes their associations may submit missions to,
    and their yearly summaries of work-time engagements received."""
    associations = list(association_access.managed_by(request.user))
    if not associations:
        raise PermissionDenied(_("Cette page est réservée aux associations."))
    today = timezone.localdate()
    visible = (
        programme_services.open_to_associations(association_access.managed_by(request.user), today)
        .select_related("company")
        .order_by("starts_on")[:50]
    )
    return render(
        request,
        "companies/programme_invitations.html",
        {
            "programmes": visible,
            "associations": associations,
            "years": [today.year, today.year - 1],
            "subscribed": set(
                ReportSubscription.objects.filter(
                    user=request.user, association__in=associations
                ).values_list("association_id", flat=True)
            ),
        },
    )


@login_required
def programme_detail(request, pk: int):
    programme, is_member, manage, is_admin = _programme_access(request, pk)
    user = request.user
    missions = list(
        Mission.objects.filter(programme=programme).select_related("association").order_by("title")
    )
    teams = programme_services.team_members(programme)
    budget = None
    if programme.hours_budget and (manage or is_member):
        budget = selectors.programme_budget(programme.pk)
    show_teams = programme.teams_state == programme.Teams.PUBLISHED or (
        manage and programme.teams_state == programme.Teams.PROPOSED
    )
    registrations = []
    assigned = {v.pk for members in teams.values() for v in members}
    if manage:
        registrations = list(
            programme.registrations.select_related("volunteer__user").order_by(
                "volunteer__user__last_name", "pk"
            )
        )
    if manage:
        is_registered = any(r.volunteer.user_id == user.pk for r in registrations)
    else:
        is_registered = is_member and programme.registrations.filter(volunteer__user=user).exists()
    submittable = list(
        Mission.objects.filter(
            association__members__user=user,
            state__in=programme_services.SUBMITTABLE_STATES,
            programme__isnull=True,
        ).order_by("title")[:100]
    )
    if submittable:
        eligible = set(
            programme_services.eligible_associations(programme)
            .filter(pk__in={m.association_id for m in submittable})
            .values_list("pk", flat=True)
        )
        submittable = [m for m in submittable if m.association_id in eligible]
    return render(
        request,
        "companies/programme_detail.html",
        {
            "programme": programme,
            "missions": missions,
            "teams": [
                (m, teams.get(m.pk, []))
                for m in missions
                if m.pk in teams or (manage and m.state in ("published", "in_progress"))
            ],
            "show_teams": show_teams,
            "manage": manage,
            "can_edit": is_admin,
            "registrations": registrations,
            "unassigned": [r.volunteer for r in registrations if r.volunteer_id not in assigned],
            "is_member": is_member,
            "budget": budget,
            "is_registered": is_registered,
            "registration_open": programme.registration_open(timezone.localdate()),
            "submittable": submittable,
            # An invited association's member with nothing to put forward yet.
            "submit_from": (
                []
                if submittable or is_member or manage
                else list(
                    programme_services.eligible_associations(programme).filter(
                        pk__in=association_access.managed_by(user).values("pk")
                    )
                )
            ),
            "error": request.session.pop("programme_error", None),
        },
    )


def _programme_action(request, pk: int, action):
    """Run a programme service; a refusal is shown on the programme page."""
    _visible_programme(request, pk)
    try:
        message = action()
    except ValidationError as error:
        request.session["programme_error"] = " ".join(error.messages)
    else:
        if message:
            messages.success(request, message)
    return redirect("companies:programme", pk=pk)


@login_required
@require_POST
def programme_register(request, pk: int):
    def action():
        if request.POST.get("cancel"):
            programme_services.programme_unregister(programme_id=pk, actor=request.user)
            return _("Votre inscription est annulée.")
        programme_services.programme_register(programme_id=pk, actor=request.user)
        return _("Vous êtes inscrit : vous connaîtrez votre équipe à la publication.")

    return _programme_action(request, pk, action)


@login_required
@require_POST
def programme_submit(request, pk: int):
    def action():
        try:
            mission_id = int(request.POST.get("mission", ""))
        except ValueError as error:
            raise ValidationError(_("Choisissez une mission.")) from error
        programme_services.programme_submit_mission(
            programme_id=pk, mission_id=mission_id, actor=request.user
        )
        return _("Votre mission est proposée au programme.")

    return _programme_action(request, pk, action)


@login_required
@require_POST
def programme_teams(request, pk: int):
    def action():
        operation = request.POST.get("operation")
        if operation == "propose":
            result = programme_services.teams_propose(programme_id=pk, actor=request.user)
            return _("Équipes calculées : %(n)s personnes placées, %(u)s sans équipe.") % {
                "n": len(result.pairs),
                "u": len(result.unassigned),
            }
        if operation == "publish":
            count = programme_services.teams_publish(programme_id=pk, actor=request.user)
            return _("Équipes publiées : %(n)s personnes prévenues.") % {"n": count}
        if operation == "move":
            try:
                volunteer_id = int(request.POST.get("volunteer", ""))
                target = request.POST.get("mission") or None
                mission_id = int(target) if target else None
            except ValueError as error:
                raise ValidationError(_("Choisissez une équipe.")) from error
            programme_services.team_move(
                programme_id=pk,
                volunteer_id=volunteer_id,
                mission_id=mission_id,
                actor=request.user,
            )
            return _("Équipe modifiée.")
        raise ValidationError(_("Action inconnue."))

    return _programme_action(request, pk, action)
