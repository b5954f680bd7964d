"""Every mission template, per skill family."""

from demo.catalogue.template import MissionTemplate
from demo.catalogue.templates_digital import TEMPLATES as DIGITAL_TEMPLATES
from demo.catalogue.templates_organisation import TEMPLATES as ORGANISATION_TEMPLATES

# The generator draws templates in this order of families: changing it changes the data
# a seed gives.
FAMILY_ORDER = (
    "digital",
    "data",
    "communication",
    "legal",
    "finance",
    "hr",
    "strategy",
    "fundraising",
    "project_management",
    "training",
    "design",
    "logistics",
)
_BY_FAMILY = {**DIGITAL_TEMPLATES, **ORGANISATION_TEMPLATES}
MISSION_TEMPLATES: dict[str, list[MissionTemplate]] = {
    family: _BY_FAMILY[family] for family in FAMILY_ORDER
}
assert set(MISSION_TEMPLATES) == set(_BY_FAMILY)
