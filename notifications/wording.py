"""The words of a notification, written when it is shown or e-mailed, in the language
that is active then (the viewer's, or the recipient's for an e-mail).

A notification stores only its ``kind`` and the facts of its ``context``: names and
titles as they were, codes (reasons, decisions) and ISO dates. The context keys other
apps may pass to ``notify()``: ``mission``, ``association``, ``volunteer``, ``company``,
``author``, ``employee``, ``saved_search``, ``programme``, ``names`` (names and titles),
``message`` (someone's own words, quoted), ``reason``, ``date``, ``hours``, ``count``,
``waiting_days``, ``for_association`` (a flag).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from missions.models import Application

from .models import Notification

Kind = Notification.Kind


@dataclass(frozen=True)
class Wording:
    title: str
    text: str
    quote: str = ""
    quote_label: str = ""
    action: str = ""


def _date(value) -> str:
    try:
        return formats.date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value or "")


def _hours(value) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value or "")
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return formats.number_format(number)


def _choice_label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _application_received(c: dict) -> Wording:
    if c.get("waitlisted"):
        text = _(
            "%(volunteer)s a candidaté à la mission « %(mission)s » ; la mission est "
            "complète, sa candidature est sur liste d'attente."
        )
    else:
        text = _("%(volunteer)s a candidaté à la mission « %(mission)s ».")
    return Wording(
        title=_("Nouvelle candidature : %(mission)s") % c,
        text=text % c,
        quote=c.get("message", ""),
        quote_label=_("Son message"),
        action=_("Voir la candidature"),
    )


def _application_accepted(c: dict) -> Wording:
    return Wording(
        title=_("Candidature acceptée : %(mission)s") % c,
        text=_(
            "Bonne nouvelle : %(association)s a accepté votre candidature à la mission "
            "« %(mission)s »."
        )
        % c,
        quote=c.get("message", ""),
        quote_label=_("Le message de l'association"),
        action=_("Voir mes engagements"),
    )


def _application_declined(c: dict) -> Wording:
    text = _("%(association)s n'a pas retenu votre candidature à la mission « %(mission)s ».") % c
    if c.get("reason"):
        text += " " + _("Motif : %(reason)s.") % {
            "reason": _choice_label(Application.DeclineReason, c["reason"])
        }
    return Wording(
        title=_("Candidature non retenue : %(mission)s") % c,
        text=text,
        quote=c.get("message", ""),
        quote_label=_("Le message de l'association"),
        action=_("Voir mes candidatures"),
    )


def _application_waiting(c: dict) -> Wording:
    days = int(c.get("days", 0))
    return Wording(
        title=_("Candidature en attente : %(mission)s") % c,
        text=ngettext(
            "La candidature de %(volunteer)s à la mission « %(mission)s » attend votre "
            "réponse depuis %(days)s jour.",
            "La candidature de %(volunteer)s à la mission « %(mission)s » attend votre "
            "réponse depuis %(days)s jours.",
            days,
        )
        % {**c, "days": days},
        action=_("Répondre"),
    )


def _waitlist_promoted(c: dict) -> Wording:
    return Wording(
        title=_("Une place s'est libérée : %(mission)s") % c,
        text=_(
            "Une place s'est libérée sur la mission « %(mission)s » : votre candidature "
            "quitte la liste d'attente et l'association va l'examiner."
        )
        % c,
        action=_("Voir mes candidatures"),
    )


def _approval_needed(c: dict) -> Wording:
    values = {**c, "volunteer": c.get("volunteer") or c["employee"]}
    if c.get("reminder"):
        days = int(c.get("waiting_days", 0))
        text = ngettext(
            "La demande de %(volunteer)s pour la mission « %(mission)s » attend votre accord "
            "depuis %(days)s jour.",
            "La demande de %(volunteer)s pour la mission « %(mission)s » attend votre accord "
            "depuis %(days)s jours.",
            days,
        ) % {**values, "days": days}
    elif c.get("association"):
        text = (
            _(
                "%(volunteer)s souhaite s'engager sur son temps de travail dans la mission "
                "« %(mission)s » de %(association)s : votre accord est nécessaire."
            )
            % values
        )
    else:
        text = (
            _(
                "%(volunteer)s souhaite s'engager sur son temps de travail dans la mission "
                "« %(mission)s » : votre accord est nécessaire."
            )
            % values
        )
    return Wording(
        title=_("Accord demandé : %(volunteer)s") % values,
        text=text,
        action=_("Voir les demandes d'accord"),
    )


def _approval_decided(c: dict) -> Wording:
    approved = c.get("decision") == "approve"
    for_volunteer = c.get("audience") == "volunteer"
    if approved:
        hours = _hours(c.get("hours", ""))
        if for_volunteer:
            text = _(
                "Votre employeur a validé votre engagement sur la mission « %(mission)s » "
                "pour %(hours)s heures sur votre temps de travail."
            )
        else:
            text = _(
                "L'employeur de %(volunteer)s a validé son engagement sur la mission "
                "« %(mission)s » pour %(hours)s heures."
            )
        return Wording(
            title=_("Engagement validé par l'employeur : %(mission)s") % c,
            text=text % {**c, "hours": hours},
        )
    if for_volunteer:
        text = _(
            "Votre employeur n'a pas validé votre engagement sur la mission « %(mission)s » "
            "sur votre temps de travail : la candidature est retirée."
        )
    else:
        text = _(
            "L'employeur de %(volunteer)s n'a pas validé son engagement sur la mission "
            "« %(mission)s » : la candidature est retirée."
        )
    return Wording(
        title=_("Engagement refusé par l'employeur : %(mission)s") % c,
        text=text % c,
        quote=c.get("reason", ""),
        quote_label=_("Motif"),
    )


def _hours_to_validate(c: dict) -> Wording:
    return Wording(
        title=_("Heures à valider : %(mission)s") % c,
        text=_("%(volunteer)s a déclaré %(hours)s h le %(date)s sur la mission « %(mission)s ».")
        % {**c, "hours": _hours(c.get("hours", "")), "date": _date(c.get("date"))},
        quote=c.get("message", ""),
        quote_label=_("Description"),
        action=_("Valider les heures"),
    )


def _hours_decided(c: dict) -> Wording:
    values = {**c, "hours": _hours(c.get("hours", "")), "date": _date(c.get("date"))}
    if c.get("decision") == "validate":
        return Wording(
            title=_("Heures validées : %(mission)s") % c,
            text=_(
                "%(association)s a validé les %(hours)s h déclarées le %(date)s sur la mission "
                "« %(mission)s »."
            )
            % values,
        )
    return Wording(
        title=_("Heures refusées : %(mission)s") % c,
        text=_(
            "%(association)s a refusé les %(hours)s h déclarées le %(date)s sur la mission "
            "« %(mission)s »."
        )
        % values,
        quote=c.get("reason", ""),
        quote_label=_("Motif"),
    )


def _mission_starting(c: dict) -> Wording:
    return Wording(
        title=_("La mission commence demain : %(mission)s") % c,
        text=_("La mission « %(mission)s » de %(association)s commence demain, le %(date)s.")
        % {**c, "date": _date(c.get("date"))},
        action=_("Voir la mission"),
    )


def _evaluation_due(c: dict) -> Wording:
    if c.get("audience") == "association":
        text = _(
            "L'engagement de %(volunteer)s sur la mission « %(mission)s » est terminé : "
            "dites ce qu'il a apporté et ce que l'association sait désormais faire seule."
        )
    else:
        text = _(
            "Votre engagement sur la mission « %(mission)s » est terminé : dites comment il "
            "s'est passé."
        )
    return Wording(
        title=_("Évaluation à remplir : %(mission)s") % c,
        text=text % c,
        action=_("Évaluer l'engagement"),
    )


def _association_decided(c: dict) -> Wording:
    texts = {
        "verify": _("L'équipe probono a vérifié l'association %(association)s."),
        "reinstate": _("L'association %(association)s n'est plus suspendue."),
        "reject": _("L'équipe probono n'a pas pu vérifier l'association %(association)s."),
        "suspend": _("L'équipe probono a suspendu l'association %(association)s."),
    }
    decision = c.get("decision", "")
    return Wording(
        title=_("Vérification de l'association : %(association)s") % c,
        text=texts.get(decision, texts["verify"]) % c,
        quote=c.get("reason", ""),
        quote_label=_("Motif"),
    )


def _mission_decided(c: dict) -> Wording:
    if c.get("decision") == "publish":
        return Wording(
            title=_("Mission publiée : %(mission)s") % c,
            text=_(
                "L'équipe probono a publié la mission « %(mission)s » : les bénévoles peuvent "
                "désormais candidater."
            )
            % c,
            action=_("Voir la mission"),
        )
    return Wording(
        title=_("Modifications demandées : %(mission)s") % c,
        text=_(
            "L'équipe probono demande des modifications avant de publier la mission "
            "« %(mission)s »."
        )
        % c,
        quote=c.get("reason", ""),
        quote_label=_("Ce qu'il faut modifier"),
    )


def _invitation_received(c: dict) -> Wording:
    return Wording(
        title=_("Invitation : %(mission)s") % c,
        text=_("%(association)s vous invite à rejoindre la mission « %(mission)s ».") % c,
        quote=c.get("message", ""),
        quote_label=_("Le message de l'association"),
        action=_("Voir la mission"),
    )


def _message_received(c: dict) -> Wording:
    return Wording(
        title=_("Nouveau message : %(mission)s") % c,
        text=_("%(author)s vous a écrit au sujet de la mission « %(mission)s ».") % c,
        quote=c.get("message", ""),
        quote_label=_("Message"),
        action=_("Lire et répondre"),
    )


def _saved_search_match(c: dict) -> Wording:
    search = c.get("saved_search") or c["search"]
    if "mission" in c:
        return Wording(
            title=_("Nouvelle mission pour « %(search)s »") % {"search": search},
            text=_(
                "La mission « %(mission)s » de %(association)s correspond à votre recherche "
                "« %(search)s »."
            )
            % {**c, "search": search},
            action=_("Voir la mission"),
        )
    count = int(c.get("count", 0))
    return Wording(
        title=_("Nouvelles missions pour « %(search)s »") % {"search": search},
        text=ngettext(
            "%(count)s nouvelle mission correspond à votre recherche « %(search)s ».",
            "%(count)s nouvelles missions correspondent à votre recherche « %(search)s ».",
            count,
        )
        % {"count": count, "search": search},
        action=_("Voir les missions"),
    )


def _testimonial_received(c: dict) -> Wording:
    if c.get("author"):
        text = _("%(author)s a laissé un témoignage sur la mission « %(mission)s ».")
    else:
        text = _("Un bénévole a laissé un témoignage sur la mission « %(mission)s ».")
    return Wording(
        title=_("Témoignage reçu : %(mission)s") % c,
        text=text % c + " " + _("Vous choisissez de le publier ou non sur votre profil."),
        quote=c.get("message", ""),
        quote_label=_("Témoignage"),
        action=_("Lire le témoignage"),
    )


def _team_published(c: dict) -> Wording:
    if c.get("without_team"):
        return Wording(
            title=_("Équipes publiées : %(programme)s") % c,
            text=_(
                "Les équipes de %(programme)s sont publiées ; il n'y a pas eu de place pour "
                "vous dans l'une d'elles cette fois-ci. Merci de votre inscription : l'équipe "
                "organisatrice peut vous en dire plus."
            )
            % c,
            action=_("Voir le programme"),
        )
    if c.get("for_association"):
        text = _(
            "L'équipe de %(programme)s pour votre mission « %(mission)s » est connue : %(names)s."
        )
    else:
        text = _(
            "Vous faites partie de l'équipe de la mission « %(mission)s » (%(association)s) "
            "pour %(programme)s, avec : %(names)s."
        )
    return Wording(
        title=_("Équipe publiée : %(programme)s") % c,
        text=text % c,
        action=_("Voir les équipes"),
    )


WORDERS: dict[str, Callable[..., Wording]] = {
    Kind.APPLICATION_RECEIVED: _application_received,
    Kind.APPLICATION_ACCEPTED: _application_accepted,
    Kind.APPLICATION_DECLINED: _application_declined,
    Kind.APPLICATION_WAITING: _application_waiting,
    Kind.WAITLIST_PROMOTED: _waitlist_promoted,
    Kind.APPROVAL_NEEDED: _approval_needed,
    Kind.APPROVAL_DECIDED: _approval_decided,
    Kind.HOURS_TO_VALIDATE: _hours_to_validate,
    Kind.HOURS_DECIDED: _hours_decided,
    Kind.MISSION_STARTING: _mission_starting,
    Kind.EVALUATION_DUE: _evaluation_due,
    Kind.ASSOCIATION_DECIDED: _association_decided,
    Kind.MISSION_DECIDED: _mission_decided,
    Kind.INVITATION_RECEIVED: _invitation_received,
    Kind.MESSAGE_RECEIVED: _message_received,
    Kind.SAVED_SEARCH_MATCH: _saved_search_match,
    Kind.TESTIMONIAL_RECEIVED: _testimonial_received,
    Kind.TEAM_PUBLISHED: _team_published,
}


def word(kind: str, context: dict) -> Wording:
    """The notification's words in the active language; its kind's name if a fact the
    sentence needs is missing from the context (a caller that passed less)."""
    label = str(Notification.Kind(kind).label) if kind in Notification.Kind.values else kind
    worder = WORDERS.get(kind)
    if worder is None:
        return Wording(title=label, text=label)
    try:
        return worder(context or {})
    except (KeyError, TypeError, ValueError):
        return Wording(title=label, text=label, quote=(context or {}).get("message", ""))
