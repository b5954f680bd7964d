"""The words volunteers are made of: skill families, occupations and biographies."""

# Skill families weighted by how often associations ask for them.
FAMILY_WEIGHTS: dict[str, int] = {
    "digital": 18,
    "communication": 14,
    "fundraising": 12,
    "finance": 10,
    "strategy": 10,
    "legal": 7,
    "data": 7,
    "hr": 6,
    "training": 6,
    "design": 6,
    "project_management": 5,
    "logistics": 4,
}

# Families a volunteer often has as a second string to their bow.
NEIGHBOUR_FAMILIES: dict[str, list[str]] = {
    "digital": ["data", "design", "project_management"],
    "data": ["digital", "strategy", "finance"],
    "communication": ["design", "fundraising", "digital"],
    "legal": ["hr", "finance", "strategy"],
    "finance": ["strategy", "fundraising", "legal"],
    "hr": ["training", "legal", "project_management"],
    "strategy": ["finance", "project_management", "fundraising"],
    "fundraising": ["communication", "strategy"],
    "project_management": ["strategy", "digital", "hr"],
    "training": ["hr", "communication"],
    "design": ["communication", "digital"],
    "logistics": ["project_management", "finance"],
}


# Per family: (masculine title, feminine title, core skills).
OCCUPATIONS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "digital": [
        (
            "Développeur web",
            "Développeuse web",
            ("web_development", "website_creation", "wordpress"),
        ),
        (
            "Chef de projet digital",
            "Cheffe de projet digital",
            ("digital_transformation", "website_creation", "social_media_management"),
        ),
        (
            "Administrateur systèmes et réseaux",
            "Administratrice systèmes et réseaux",
            ("it_support", "cybersecurity", "office_suites"),
        ),
        (
            "Consultant cybersécurité",
            "Consultante cybersécurité",
            ("cybersecurity", "gdpr_digital", "it_support"),
        ),
        ("Consultant CRM", "Consultante CRM", ("crm", "no_code", "database_administration")),
        (
            "Développeur mobile",
            "Développeuse mobile",
            ("mobile_app_development", "web_development"),
        ),
        ("Community manager", "Community manager", ("social_media_management", "seo")),
    ],
    "data": [
        (
            "Data analyst",
            "Data analyst",
            ("data_analysis", "data_visualization", "dashboards", "advanced_spreadsheets"),
        ),
        ("Statisticien", "Statisticienne", ("statistics", "survey_design", "data_analysis")),
        (
            "Data scientist",
            "Data scientist",
            ("data_analysis", "statistics", "database_administration"),
        ),
        (
            "Chargé d'études",
            "Chargée d'études",
            ("survey_design", "statistics", "advanced_spreadsheets"),
        ),
    ],
    "communication": [
        (
            "Responsable communication",
            "Responsable communication",
            ("communication_strategy", "press_relations", "social_media_management"),
        ),
        ("Journaliste", "Journaliste", ("editorial_writing", "storytelling", "press_relations")),
        ("Attaché de presse", "Attachée de presse", ("press_relations", "crisis_communication")),
        ("Vidéaste", "Vidéaste", ("video_production", "photography", "podcast_production")),
        (
            "Chargé de communication interne",
            "Chargée de communication interne",
            ("internal_communication", "newsletter_emailing", "editorial_writing"),
        ),
        (
            "Chargé des affaires publiques",
            "Chargée des affaires publiques",
            ("advocacy", "press_relations"),
        ),
        ("Traducteur", "Traductrice", ("translation", "editorial_writing")),
    ],
    "legal": [
        (
            "Avocat en droit des associations",
            "Avocate en droit des associations",
            ("association_law", "statutes_bylaws", "association_tax_status"),
        ),
        ("Juriste en droit social", "Juriste en droit social", ("labour_law", "contracts")),
        (
            "Juriste d'entreprise",
            "Juriste d'entreprise",
            ("contracts", "intellectual_property", "public_procurement"),
        ),
        (
            "Délégué à la protection des données",
            "Déléguée à la protection des données",
            ("gdpr_legal", "gdpr_digital"),
        ),
        ("Notaire", "Notaire", ("real_estate_law", "contracts", "legacy_giving")),
    ],
    "finance": [
        (
            "Expert-comptable",
            "Experte-comptable",
            ("accounting", "annual_accounts", "association_tax_status"),
        ),
        (
            "Contrôleur de gestion",
            "Contrôleuse de gestion",
            ("management_control", "budgeting", "cost_accounting"),
        ),
        (
            "Directeur financier",
            "Directrice financière",
            ("treasury_management", "financial_modelling", "budgeting", "financial_analysis"),
        ),
        ("Auditeur", "Auditrice", ("audit", "annual_accounts", "risk_management")),
        (
            "Analyste financier",
            "Analyste financière",
            ("financial_analysis", "financial_modelling", "solidarity_finance"),
        ),
        (
            "Chargé de subventions",
            "Chargée de subventions",
            ("public_grants", "european_funds", "grant_writing"),
        ),
    ],
    "hr": [
        (
            "Responsable RH",
            "Responsable RH",
            ("hr_policy", "recruitment", "labour_law", "performance_reviews"),
        ),
        (
            "Chargé de recrutement",
            "Chargée de recrutement",
            ("recruitment", "onboarding", "employer_branding"),
        ),
        (
            "Responsable formation",
            "Responsable formation",
            ("training_plan", "training_design", "workforce_planning"),
        ),
        ("Gestionnaire de paie", "Gestionnaire de paie", ("payroll", "labour_law")),
        (
            "Responsable diversité et inclusion",
            "Responsable diversité et inclusion",
            ("diversity_inclusion", "workplace_wellbeing", "recruitment"),
        ),
    ],
    "strategy": [
        (
            "Consultant en stratégie",
            "Consultante en stratégie",
            ("strategic_plan", "business_model", "market_study", "business_plan"),
        ),
        ("Responsable RSE", "Responsable RSE", ("csr", "carbon_footprint", "impact_measurement")),
        (
            "Chargé d'évaluation d'impact",
            "Chargée d'évaluation d'impact",
            ("impact_measurement", "survey_design", "project_evaluation"),
        ),
        (
            "Directeur général",
            "Directrice générale",
            ("strategic_plan", "governance", "partnerships"),
        ),
        (
            "Chargé de développement",
            "Chargée de développement",
            ("partnerships", "business_plan", "revenue_diversification"),
        ),
    ],
    "fundraising": [
        (
            "Responsable mécénat",
            "Responsable mécénat",
            ("corporate_sponsorship", "skills_sponsorship", "partnerships"),
        ),
        (
            "Chargé de collecte",
            "Chargée de collecte",
            ("individual_giving", "regular_giving", "donor_retention", "crowdfunding"),
        ),
        (
            "Responsable grands donateurs",
            "Responsable grands donateurs",
            ("major_donors", "legacy_giving"),
        ),
        (
            "Consultant en philanthropie",
            "Consultante en philanthropie",
            ("fundraising_strategy", "foundation_fundraising", "grant_writing"),
        ),
    ],
    "project_management": [
        ("Chef de projet", "Cheffe de projet", ("project_management", "agile", "risk_management")),
        (
            "Consultant en organisation",
            "Consultante en organisation",
            ("process_improvement", "change_management", "quality_management"),
        ),
        (
            "Directeur de programme",
            "Directrice de programme",
            ("programme_management", "project_management", "project_evaluation"),
        ),
        (
            "Chargé d'événementiel",
            "Chargée d'événementiel",
            ("event_organization", "event_logistics", "event_communication"),
        ),
    ],
    "training": [
        ("Formateur", "Formatrice", ("training_design", "train_the_trainer", "public_speaking")),
        (
            "Coach professionnel",
            "Coach professionnelle",
            ("coaching", "mentoring", "career_guidance"),
        ),
        (
            "Enseignant",
            "Enseignante",
            ("tutoring", "french_as_foreign_language", "public_speaking"),
        ),
        (
            "Conseiller en insertion professionnelle",
            "Conseillère en insertion professionnelle",
            ("career_guidance", "coaching"),
        ),
        ("Facilitateur", "Facilitatrice", ("facilitation", "change_management")),
        (
            "Ingénieur pédagogique",
            "Ingénieure pédagogique",
            ("e_learning", "training_design", "digital_literacy_training"),
        ),
    ],
    "design": [
        ("Graphiste", "Graphiste", ("graphic_design", "branding", "print_layout", "illustration")),
        (
            "Designer UX/UI",
            "Designer UX/UI",
            ("ux_ui_design", "service_design", "digital_accessibility"),
        ),
        (
            "Directeur artistique",
            "Directrice artistique",
            ("branding", "graphic_design", "motion_design"),
        ),
        ("Illustrateur", "Illustratrice", ("illustration", "infographics")),
        (
            "Architecte d'intérieur",
            "Architecte d'intérieur",
            ("scenography", "facilities_management"),
        ),
    ],
    "logistics": [
        (
            "Responsable logistique",
            "Responsable logistique",
            ("supply_chain", "warehouse_management", "transport", "inventory_management"),
        ),
        ("Acheteur", "Acheteuse", ("purchasing", "supply_chain")),
        (
            "Responsable qualité agroalimentaire",
            "Responsable qualité agroalimentaire",
            ("food_safety", "food_logistics", "quality_management"),
        ),
        (
            "Responsable des services généraux",
            "Responsable des services généraux",
            ("facilities_management", "purchasing", "fleet_management"),
        ),
    ],
}

BIO_OPENINGS = [
    "{years} ans d'expérience en {field}.",
    "Je travaille depuis {years} ans dans {field}.",
    "Spécialiste de {field} depuis {years} ans.",
]
BIO_MOTIVATIONS = [
    "J'ai envie de mettre mes compétences au service d'associations de terrain.",
    "Je cherche des missions concrètes, avec un livrable clair.",
    "Je souhaite transmettre ce que j'ai appris à des équipes qui n'ont pas les moyens de "
    "recruter.",
    "Engagé(e) de longue date dans le monde associatif, je veux aller plus loin.",
    "J'aime les projets courts et intenses, en équipe.",
]
