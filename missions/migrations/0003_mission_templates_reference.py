"""The reference list of mission templates the needs diagnosis offers (editable in the
admin afterwards). Skills: (code, importance, min_level); R required, N nice to have."""

from django.db import migrations

R, N = "required", "nice_to_have"

# code, domain, format, effort_hours, hours_per_week, (title fr, en), (summary fr, en),
# (deliverable fr, en), skills
TEMPLATES = [
    (
        "website_creation",
        "digital",
        "mission",
        40,
        3,
        ("Créer le site web de l'association", "Build the association's website"),
        (
            "Concevoir un site simple, à jour et facile à modifier par l'équipe, pour présenter "
            "l'association et accueillir bénévoles et donateurs.",
            "Design a simple website the team can keep up to date, to present the association "
            "and welcome volunteers and donors.",
        ),
        (
            "Un site en ligne, une page de don, et une demi-journée de formation de l'équipe à "
            "sa mise à jour.",
            "A live website, a donation page, and half a day of training for the team to "
            "update it.",
        ),
        [("website_creation", R, 3), ("wordpress", N, 2), ("digital_accessibility", N, 2)],
    ),
    (
        "crm_setup",
        "digital",
        "mission",
        40,
        3,
        ("Mettre en place un outil de suivi des adhérents", "Set up a member management tool"),
        (
            "Remplacer les tableurs dispersés par un outil simple de gestion des adhérents, "
            "donateurs et bénéficiaires.",
            "Replace scattered spreadsheets with a simple tool to manage members, donors and "
            "beneficiaries.",
        ),
        (
            "Un outil paramétré, les données migrées, un guide d'utilisation.",
            "A configured tool, the data migrated, a user guide.",
        ),
        [("crm", R, 3), ("no_code", N, 2), ("gdpr_digital", N, 2)],
    ),
    (
        "it_security",
        "digital",
        "workshop",
        8,
        None,
        ("Sécuriser nos outils informatiques", "Secure our IT tools"),
        (
            "Faire le point sur les sauvegardes, les mots de passe et les accès, et corriger "
            "l'essentiel.",
            "Review backups, passwords and access rights, and fix what matters most.",
        ),
        (
            "Un diagnostic écrit et une liste d'actions classées par priorité.",
            "A written review and a prioritised action list.",
        ),
        [("cybersecurity", R, 3), ("it_support", N, 2)],
    ),
    (
        "communication_plan",
        "communication",
        "mission",
        30,
        2,
        ("Construire notre plan de communication", "Build our communication plan"),
        (
            "Clarifier nos messages, nos publics et nos canaux, et bâtir un calendrier "
            "éditorial sur six mois.",
            "Clarify our messages, audiences and channels, and build a six-month editorial "
            "calendar.",
        ),
        (
            "Un plan de communication et un calendrier éditorial.",
            "A communication plan and an editorial calendar.",
        ),
        [("communication_strategy", R, 3), ("editorial_writing", N, 2)],
    ),
    (
        "social_media",
        "communication",
        "mentoring",
        24,
        1,
        ("Animer nos réseaux sociaux", "Run our social media"),
        (
            "Accompagner un membre de l'équipe pour publier régulièrement et mesurer ce qui "
            "fonctionne.",
            "Coach a team member to post regularly and measure what works.",
        ),
        (
            "Une ligne éditoriale, des modèles de publication, un tableau de suivi.",
            "Editorial guidelines, post templates, a tracking sheet.",
        ),
        [("social_media_management", R, 3), ("graphic_design", N, 2)],
    ),
    (
        "visual_identity",
        "communication",
        "mission",
        30,
        3,
        ("Refaire notre identité visuelle", "Refresh our visual identity"),
        (
            "Un logo et une charte graphique simples, utilisables par des non-graphistes.",
            "A simple logo and style guide non-designers can use.",
        ),
        ("Un logo, une charte graphique, des modèles.", "A logo, a style guide, templates."),
        [("branding", R, 3), ("graphic_design", R, 3)],
    ),
    (
        "budget_treasury",
        "finance",
        "mission",
        20,
        2,
        ("Construire notre budget et notre plan de trésorerie", "Build our budget and cash plan"),
        (
            "Prévoir les recettes et dépenses de l'année et anticiper les creux de trésorerie.",
            "Forecast the year's income and expenses and anticipate cash shortfalls.",
        ),
        (
            "Un budget annuel et un plan de trésorerie sur douze mois, avec leur mode d'emploi.",
            "A yearly budget and a twelve-month cash plan, with how to maintain them.",
        ),
        [("budgeting", R, 3), ("treasury_management", R, 2)],
    ),
    (
        "accounting_setup",
        "finance",
        "mentoring",
        24,
        1,
        ("Structurer notre comptabilité", "Organise our accounting"),
        (
            "Mettre en place une comptabilité adaptée à une association et préparer les "
            "comptes annuels.",
            "Set up accounting suited to an association and prepare the annual accounts.",
        ),
        (
            "Un plan comptable, des procédures, les comptes annuels préparés.",
            "A chart of accounts, procedures, the annual accounts prepared.",
        ),
        [("accounting", R, 3), ("annual_accounts", N, 3)],
    ),
    (
        "grant_application",
        "finance",
        "mission",
        16,
        2,
        ("Monter un dossier de subvention", "Write a grant application"),
        (
            "Identifier les financements publics adaptés et rédiger un dossier solide.",
            "Find the right public funding and write a strong application.",
        ),
        ("Un dossier de subvention déposé.", "A grant application submitted."),
        [("public_grants", R, 3), ("grant_writing", N, 2)],
    ),
    (
        "statutes_review",
        "legal",
        "workshop",
        6,
        None,
        ("Relire et mettre à jour nos statuts", "Review and update our statutes"),
        (
            "Vérifier que les statuts et le règlement intérieur correspondent au "
            "fonctionnement réel de l'association.",
            "Check the statutes and by-laws match how the association really works.",
        ),
        (
            "Des statuts révisés prêts pour l'assemblée générale.",
            "Revised statutes ready for the general meeting.",
        ),
        [("statutes_bylaws", R, 3), ("association_law", N, 3)],
    ),
    (
        "gdpr_compliance",
        "legal",
        "mission",
        20,
        2,
        ("Nous mettre en conformité avec le RGPD", "Become GDPR compliant"),
        (
            "Recenser les données personnelles traitées, en particulier celles des "
            "bénéficiaires, et mettre en place le minimum requis.",
            "Map the personal data processed, beneficiaries' in particular, and put the "
            "required minimum in place.",
        ),
        (
            "Un registre des traitements, des mentions d'information, une procédure de "
            "demande d'accès.",
            "A record of processing, privacy notices, an access request procedure.",
        ),
        [("gdpr_legal", R, 3), ("gdpr_digital", N, 2)],
    ),
    (
        "employment_contracts",
        "legal",
        "workshop",
        6,
        None,
        ("Sécuriser nos contrats de travail", "Secure our employment contracts"),
        (
            "Relire les contrats et les pratiques d'emploi de l'association.",
            "Review the association's contracts and employment practices.",
        ),
        ("Des contrats types relus.", "Reviewed template contracts."),
        [("labour_law", R, 3)],
    ),
    (
        "volunteer_management",
        "hr",
        "mission",
        24,
        2,
        ("Mieux accueillir et fidéliser nos bénévoles", "Welcome and retain our volunteers"),
        (
            "Construire un parcours d'accueil et de suivi des bénévoles.",
            "Build an onboarding and follow-up path for volunteers.",
        ),
        (
            "Un livret d'accueil et un processus de suivi.",
            "A welcome booklet and a follow-up process.",
        ),
        [("volunteer_management", R, 3), ("onboarding", N, 2)],
    ),
    (
        "recruitment",
        "hr",
        "mission",
        16,
        2,
        ("Recruter notre premier salarié", "Hire our first employee"),
        (
            "Définir le poste, rédiger l'offre, mener les entretiens et préparer l'arrivée.",
            "Define the job, write the offer, run interviews and prepare the arrival.",
        ),
        (
            "Une fiche de poste, une offre publiée, une grille d'entretien.",
            "A job description, a published offer, an interview grid.",
        ),
        [("recruitment", R, 3), ("labour_law", N, 2)],
    ),
    (
        "strategic_plan",
        "strategy",
        "mentoring",
        30,
        1,
        ("Écrire notre projet stratégique à trois ans", "Write our three-year strategic plan"),
        (
            "Accompagner le bureau pour fixer les priorités des trois prochaines années.",
            "Support the board in setting the priorities of the next three years.",
        ),
        (
            "Un projet stratégique partagé et sa feuille de route.",
            "A shared strategic plan and its roadmap.",
        ),
        [("strategic_plan", R, 3), ("governance", N, 2)],
    ),
    (
        "impact_measurement",
        "strategy",
        "mission",
        30,
        2,
        ("Mesurer notre impact social", "Measure our social impact"),
        (
            "Choisir quelques indicateurs utiles et mettre en place leur collecte.",
            "Choose a few useful indicators and set up their collection.",
        ),
        (
            "Des indicateurs, un questionnaire, un premier rapport d'impact.",
            "Indicators, a survey, a first impact report.",
        ),
        [("impact_measurement", R, 3), ("survey_design", N, 2)],
    ),
    (
        "business_model",
        "strategy",
        "marathon",
        12,
        None,
        ("Diversifier notre modèle économique", "Diversify our business model"),
        (
            "Une journée de travail pour imaginer de nouvelles ressources et en chiffrer deux.",
            "A day's work to imagine new resources and cost two of them.",
        ),
        (
            "Deux pistes de ressources chiffrées.",
            "Two costed revenue options.",
        ),
        [("business_model", R, 3), ("revenue_diversification", N, 2)],
    ),
    (
        "fundraising_strategy",
        "fundraising",
        "mission",
        30,
        2,
        ("Bâtir notre stratégie de collecte", "Build our fundraising strategy"),
        (
            "Identifier nos donateurs potentiels et construire un plan de collecte annuel.",
            "Identify potential donors and build a yearly fundraising plan.",
        ),
        ("Un plan de collecte annuel.", "A yearly fundraising plan."),
        [("fundraising_strategy", R, 3), ("individual_giving", N, 2)],
    ),
    (
        "corporate_sponsorship",
        "fundraising",
        "mission",
        24,
        2,
        ("Trouver des entreprises mécènes", "Find corporate sponsors"),
        (
            "Cibler des entreprises du territoire et préparer une offre de partenariat.",
            "Target local companies and prepare a partnership offer.",
        ),
        (
            "Une plaquette de partenariat et une liste d'entreprises à contacter.",
            "A partnership brochure and a list of companies to approach.",
        ),
        [("corporate_sponsorship", R, 3), ("partnerships", N, 2)],
    ),
    (
        "crowdfunding",
        "fundraising",
        "mission",
        20,
        3,
        ("Lancer une campagne de financement participatif", "Run a crowdfunding campaign"),
        (
            "Préparer et animer une campagne en ligne pour un projet précis.",
            "Prepare and run an online campaign for a specific project.",
        ),
        ("Une campagne en ligne et son plan d'animation.", "A live campaign and its plan."),
        [("crowdfunding", R, 3), ("storytelling", N, 2)],
    ),
]


def load(apps, schema_editor):
    MissionTemplate = apps.get_model("missions", "MissionTemplate")
    MissionTemplateSkill = apps.get_model("missions", "MissionTemplateSkill")
    Skill = apps.get_model("taxonomy", "Skill")
    skills = dict(Skill.objects.values_list("code", "pk"))
    for code, domain, fmt, effort, per_week, title, summary, deliverable, wanted in TEMPLATES:
        template, _created = MissionTemplate.objects.update_or_create(
            code=code,
            defaults={
                "domain": domain,
                "format": fmt,
                "effort_hours": effort,
                "hours_per_week": per_week,
                "title_fr": title[0],
                "title_en": title[1],
                "summary_fr": summary[0],
                "summary_en": summary[1],
                "deliverable_fr": deliverable[0],
                "deliverable_en": deliverable[1],
            },
        )
        for skill_code, importance, level in wanted:
            if skill_code in skills:
                MissionTemplateSkill.objects.update_or_create(
                    template=template,
                    skill_id=skills[skill_code],
                    defaults={"importance": importance, "min_level": level},
                )


def unload(apps, schema_editor):
    MissionTemplate = apps.get_model("missions", "MissionTemplate")
    MissionTemplate.objects.filter(code__in=[row[0] for row in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0002_templates_invitations_testimonials"),
        ("taxonomy", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(load, unload)]
