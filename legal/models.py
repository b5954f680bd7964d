"""The platform's legal documents (privacy policy, legal notice, terms of use), in
versions that staff publish, and the record of who accepted which version and when."""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PRIVACY = "privacy", _("Politique de confidentialité")
    LEGAL_NOTICE = "legal_notice", _("Mentions légales")
    TERMS = "terms", _("Conditions générales d'utilisation")


# What a person must accept to use the platform; the legal notice is only information.
KINDS_TO_ACCEPT: tuple[str, ...] = (DocumentKind.TERMS, DocumentKind.PRIVACY)

# The stable address of each document, in French as the rest of the site.
SLUGS: dict[str, str] = {
    DocumentKind.PRIVACY: "confidentialite",
    DocumentKind.LEGAL_NOTICE: "mentions-legales",
    DocumentKind.TERMS: "conditions-utilisation",
}


class LegalDocumentQuerySet(models.QuerySet["LegalDocument"]):
    def published(self) -> Self:
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())

    def current(self) -> Self:
        """The version in force of each kind: published, and no later one published."""
        later = (
            LegalDocument.objects.published()
            .filter(kind=OuterRef("kind"))
            .filter(
                models.Q(published_at__gt=OuterRef("published_at"))
                | models.Q(published_at=OuterRef("published_at"), version__gt=OuterRef("version"))
            )
        )
        return self.published().filter(~Exists(later))


class LegalDocument(models.Model):
    """One version of a legal document, in French and English.

    The bodies are plain text: blank lines separate paragraphs, a line starting with
    ``#`` or ``##`` is a heading, ``- `` a list item, ``**words**`` are in bold and
    ``[text](https://…)`` is a link. Nothing else is interpreted: any markup typed in is
    shown as typed.
    """

    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(
        _("version"), help_text=_("Un numéro plus grand pour chaque nouvelle version.")
    )
    body_fr = models.TextField(_("texte en français"))
    body_en = models.TextField(_("texte en anglais"), blank=True)
    summary_of_changes = models.CharField(
        _("ce qui change"),
        max_length=300,
        blank=True,
        help_text=_("Montré aux personnes à qui l'on redemande leur accord."),
    )
    published_at = models.DateTimeField(
        _("publiée le"),
        null=True,
        blank=True,
        help_text=_(
            "Vide : brouillon. Dès cette date, cette version s'applique ; pour les conditions "
            "et la politique de confidentialité, chaque personne connectée doit l'accepter."
        ),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = LegalDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document légal")
        verbose_name_plural = _("documents légaux")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_legal_document_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — v{self.version}"

    @property
    def slug(self) -> str:
        return SLUGS[self.kind]

    @property
    def requires_acceptance(self) -> bool:
        return self.kind in KINDS_TO_ACCEPT

    def body(self, language: str | None = None) -> str:
        """The text in ``language`` (the request's by default), French when untranslated."""
        language = (language or translation.get_language() or "fr")[:2]
        if language == "en" and self.body_en.strip():
            return self.body_en
        return self.body_fr


class Consent(models.Model):
    """A person accepted a version of a document: when, and from which address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="legal_consents",
    )
    document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    # Kept beside the document so that the record reads on its own.
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    accepted_at = models.DateTimeField(_("accepté le"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["-accepted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "document"], name="one_consent_per_document")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"
