from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "taxonomy"
    verbose_name = _("Référentiels")

    def ready(self):
        from .selectors import forget_reference_lists

        for model_name in ("SkillFamily", "Skill", "Cause", "Region", "Departement"):
            model = self.get_model(model_name)
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_reference_lists, sender=model, dispatch_uid=f"reference-{model_name}"
                )
