"""A believable French demo dataset, generated fast and deterministically.

``python manage.py seed_demo`` calls :func:`seed_demo`. Everything is drawn from one
``random.Random`` seeded with a fixed number, so two runs on empty databases on the
same day produce the same data. Faker is only used to fill small pools of names and
street addresses up front; the hot loops pick from those pools and from the catalogues
below, and every table is written with ``bulk_create`` (many-to-many links through
their ``through`` models), so 100,000 volunteers take a couple of minutes.

What the listed demo accounts show on top of that (a registration refused by the
referent, a waitlisted application, hours to validate, evaluations, a published
testimonial, invitations, messages, favourites, saved searches, e-mail preferences) is
then made through the services, as people would, so that the audit log and the
notifications follow; a few of those steps are moved into the past afterwards.

Every e-mail address is at a reserved domain (``.test`` or ``example.org``) so that
the platform's notifications never reach a real person.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import operator
import random
import re
import time
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify
from stdnum import luhn
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

DEMO_PASSWORD = "probono-demo"
MARKER_EMAIL = "admin@probono.test"
ENGLISH_VOLUNTEER_EMAIL = "volunteer@probono.test"
PENDING_ASSOCIATION_EMAIL = "association-en-attente@probono.test"
REJECTED_ASSOCIATION_EMAIL = "association-refusee@probono.test"
# What people said they were when signing up (``accounts.SignupRole``).
VOLUNTEER_ROLE, ASSOCIATION_ROLE, COMPANY_ROLE = "volunteer", "association", "company"
# Volunteers 0 and 1 are listed accounts: never drawn as candidates for missions.
FIRST_DRAWN_VOLUNTEER = 2
BATCH_SIZE = 2000
QUIET_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
COPY_THRESHOLD = 5000  # rows from which PostgreSQL gets COPY instead of INSERT

# ---------------------------------------------------------------------------------------
# Catalogues: the words the dataset is made of.
# ---------------------------------------------------------------------------------------

# Association name templates per cause; {city}, {de_city} ("de Lyon", "du Havre") and
# {a_city} ("à Lyon", "au Mans") are filled with the association's city.
ASSOCIATION_NAMES: dict[str, list[str]] = {
    "employment_integration": [
        "Emploi Solidaire {city}",
        "Tremplin Emploi {city}",
        "Parcours Vers l'Emploi",
        "Les Ateliers de l'Insertion {de_city}",
        "Coup de Pouce Emploi {city}",
        "Cap Avenir {city}",
        "Entreprendre Ensemble {city}",
    ],
    "housing_homelessness": [
        "Un Toit pour Tous {city}",
        "Habitat Solidaire {city}",
        "La Halte de Nuit {de_city}",
        "Les Amis du Logement {city}",
        "Relais Logement {city}",
        "La Maison de la Veille Sociale",
    ],
    "food_aid": [
        "Les Restos du Quartier",
        "Banque Alimentaire {de_city}",
        "Épicerie Solidaire {de_city}",
        "Le Panier Partagé {city}",
        "Les Jardins du Cœur {city}",
        "La Cantine Solidaire {de_city}",
    ],
    "health": [
        "Santé Pour Tous {city}",
        "Les Blouses Solidaires",
        "Écoute et Soins {city}",
        "Prévention Santé {city}",
        "Vivre avec le Diabète {city}",
    ],
    "disability": [
        "Handi'Cap {city}",
        "Tous Capables {city}",
        "Les Ailes de l'Autonomie",
        "Accès Pour Tous {city}",
        "Sport Adapté {city}",
    ],
    "education": [
        "Réussite Éducative {city}",
        "Les Petits Savants {de_city}",
        "Coup de Pouce Scolaire {city}",
        "Apprendre Ensemble {city}",
        "L'École des Parents {de_city}",
    ],
    "culture": [
        "Les Amis du Patrimoine {de_city}",
        "Théâtre en Partage {city}",
        "Culture du Cœur {city}",
        "Musiques Solidaires {city}",
        "La Fabrique Culturelle {de_city}",
    ],
    "environment_climate": [
        "{city} en Transition",
        "Les Jardiniers {de_city}",
        "Zéro Déchet {city}",
        "Collectif Climat {city}",
        "Les Ateliers de la Terre",
        "Nature Vivante {city}",
    ],
    "digital_inclusion": [
        "Connexions Solidaires {city}",
        "Le Clic Solidaire",
        "Numérique Pour Tous {city}",
        "Les Passeurs Numériques {de_city}",
        "Fracture Zéro {city}",
    ],
    "refugees_migrants": [
        "Accueil Réfugiés {city}",
        "Terre d'Asile {city}",
        "Les Ponts de l'Exil",
        "Bienvenue {a_city}",
        "Langues et Rencontres {city}",
    ],
    "elderly_people": [
        "Amitié Seniors {city}",
        "Les Visiteurs du Mercredi",
        "Génération Solidaire {city}",
        "Bien Vieillir {a_city}",
        "Lien d'Âges {city}",
    ],
    "youth": [
        "Jeunesse en Mouvement {city}",
        "Les Ateliers Jeunesse {de_city}",
        "Maison des Jeunes {de_city}",
        "Cap Jeunes {city}",
        "Graines d'Avenir",
    ],
    "gender_equality": [
        "Égalité {city}",
        "Elles Entreprennent {city}",
        "Parité en Action",
        "Le Relais des Femmes {de_city}",
        "Femmes et Droits {city}",
    ],
    "sport": [
        "Sport Pour Tous {city}",
        "Les Foulées Solidaires {de_city}",
        "Terrain d'Entente {city}",
        "Club Sport et Insertion {city}",
        "Basket Solidaire {city}",
    ],
    "animal_protection": [
        "Refuge des Animaux {de_city}",
        "Les Amis des Bêtes {city}",
        "SOS Chats {city}",
        "Protection Animale {city}",
    ],
    "poverty_solidarity": [
        "Solidarité {city}",
        "Le Fil d'Ariane {city}",
        "Entraide {city}",
        "Les Mains Tendues",
        "Secours Solidaire {city}",
        "La Main Tendue {de_city}",
    ],
}

# Per cause: (weight, what the association does, who it serves, a related cause).
CAUSE_PROFILES: dict[str, tuple[int, str, str, str]] = {
    "employment_integration": (
        12,
        "accompagne les personnes éloignées de l'emploi vers un travail durable",
        "des demandeurs d'emploi de longue durée et des jeunes sans qualification",
        "youth",
    ),
    "housing_homelessness": (
        7,
        "héberge et accompagne des personnes sans domicile vers un logement stable",
        "des personnes sans abri et des familles mal logées",
        "poverty_solidarity",
    ),
    "food_aid": (
        10,
        "distribue des colis alimentaires et anime une épicerie solidaire",
        "des familles en difficulté et des étudiants précaires",
        "poverty_solidarity",
    ),
    "health": (
        5,
        "mène des actions de prévention et d'accès aux soins",
        "des personnes éloignées du système de soins",
        "elderly_people",
    ),
    "disability": (
        5,
        "favorise l'autonomie et l'inclusion des personnes en situation de handicap",
        "des enfants et des adultes en situation de handicap et leurs proches",
        "sport",
    ),
    "education": (
        9,
        "organise du soutien scolaire et des ateliers éducatifs",
        "des collégiens et lycéens des quartiers prioritaires",
        "youth",
    ),
    "culture": (
        5,
        "rend la culture accessible à tous et fait vivre le patrimoine local",
        "des habitants qui vont rarement au spectacle ou au musée",
        "education",
    ),
    "environment_climate": (
        7,
        "sensibilise à la transition écologique et mène des actions concrètes sur le territoire",
        "les habitants, les écoles et les entreprises du territoire",
        "food_aid",
    ),
    "digital_inclusion": (
        6,
        "forme aux usages du numérique et reconditionne des ordinateurs",
        "des seniors, des demandeurs d'emploi et des familles peu équipées",
        "employment_integration",
    ),
    "refugees_migrants": (
        5,
        "accueille les personnes exilées et les accompagne dans leurs démarches",
        "des demandeurs d'asile et des réfugiés statutaires",
        "education",
    ),
    "elderly_people": (
        5,
        "lutte contre l'isolement des personnes âgées par des visites et des activités",
        "des personnes âgées isolées, à domicile ou en établissement",
        "health",
    ),
    "youth": (
        8,
        "propose aux jeunes des activités, de l'orientation et des projets citoyens",
        "des jeunes de 11 à 25 ans",
        "education",
    ),
    "gender_equality": (
        4,
        "agit pour l'égalité entre les femmes et les hommes et contre les violences",
        "des femmes en situation de précarité ou victimes de violences",
        "employment_integration",
    ),
    "sport": (
        4,
        "utilise le sport comme levier d'inclusion et de santé",
        "des jeunes des quartiers et des personnes éloignées de la pratique sportive",
        "youth",
    ),
    "animal_protection": (
        2,
        "recueille, soigne et fait adopter des animaux abandonnés",
        "des chiens et des chats abandonnés, et les familles qui les adoptent",
        "environment_climate",
    ),
    "poverty_solidarity": (
        10,
        "apporte une aide d'urgence et un accompagnement social aux personnes en difficulté",
        "des personnes et des familles en situation de précarité",
        "food_aid",
    ),
}

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


@dataclass(frozen=True)
class MissionTemplate:
    title: str
    summary: str
    context: str
    deliverable: str
    required: tuple[str, ...]
    nice: tuple[str, ...] = ()
    format: str = ""  # "" lets the generator choose
    languages: tuple[str, ...] = ()


T = MissionTemplate
MISSION_TEMPLATES: dict[str, list[MissionTemplate]] = {
    "digital": [
        T(
            "Refonte du site internet",
            "Moderniser notre site pour qu'il présente clairement nos actions et que l'équipe "
            "puisse le mettre à jour seule.",
            "Notre site date de plusieurs années, il s'affiche mal sur téléphone et personne "
            "dans l'équipe ne sait le modifier.",
            "Un site en ligne, administrable par l'équipe, et une courte documentation de "
            "prise en main.",
            ("website_creation",),
            ("wordpress", "seo", "digital_accessibility"),
        ),
        T(
            "Mise en place d'un CRM pour suivre les donateurs",
            "Choisir et paramétrer un outil de gestion de la relation donateurs et adhérents.",
            "Nos contacts sont répartis entre plusieurs tableurs et boîtes mail : nous perdons "
            "des donateurs faute de suivi.",
            "Un CRM paramétré, les contacts importés et dédoublonnés, l'équipe formée.",
            ("crm",),
            ("no_code", "donor_retention"),
        ),
        T(
            "Audit de cybersécurité",
            "Évaluer la sécurité de nos outils et sensibiliser l'équipe aux bons réflexes.",
            "Nous manipulons des données sensibles sur les personnes accompagnées et avons subi "
            "une tentative d'hameçonnage.",
            "Un rapport d'audit priorisé et une session de sensibilisation de l'équipe.",
            ("cybersecurity",),
            ("it_support", "gdpr_digital"),
        ),
        T(
            "Mise en conformité RGPD de nos outils",
            "Cartographier les données que nous collectons et mettre nos outils en conformité.",
            "Nous collectons des données de bénéficiaires, de bénévoles et de donateurs sans "
            "registre de traitements.",
            "Un registre des traitements, des mentions d'information à jour et un plan d'action.",
            ("gdpr_digital",),
            ("gdpr_legal",),
        ),
        T(
            "Automatiser les inscriptions aux ateliers",
            "Remplacer les inscriptions par téléphone par un formulaire et des rappels "
            "automatiques.",
            "Nos salariés passent plusieurs heures par semaine à gérer les inscriptions à la main.",
            "Un formulaire en ligne relié à un tableau de suivi et à des rappels par e-mail.",
            ("no_code",),
            ("office_suites", "crm"),
        ),
        T(
            "Création d'une boutique en ligne solidaire",
            "Ouvrir une boutique en ligne pour vendre les produits de nos ateliers.",
            "Nos ateliers produisent des objets vendus seulement lors de marchés ponctuels.",
            "Une boutique en ligne opérationnelle et un guide de gestion des commandes.",
            ("ecommerce",),
            ("wordpress", "seo"),
        ),
        T(
            "Migration vers une suite bureautique en ligne",
            "Passer nos fichiers et messageries sur une suite collaborative et former l'équipe.",
            "Nos documents sont éparpillés sur des clés USB et des ordinateurs personnels.",
            "Les comptes créés, les fichiers migrés et un guide des bonnes pratiques.",
            ("office_suites", "it_support"),
            ("change_management",),
        ),
        T(
            "Audit d'accessibilité de notre site",
            "Vérifier que notre site est utilisable par les personnes en situation de handicap.",
            "Plusieurs personnes que nous accompagnons utilisent un lecteur d'écran.",
            "Un audit selon le RGAA et une liste de corrections priorisées.",
            ("digital_accessibility",),
            ("ux_ui_design", "web_development"),
        ),
        T(
            "Application mobile pour nos bénévoles",
            "Concevoir une petite application pour que nos bénévoles s'inscrivent aux créneaux.",
            "Les plannings de nos bénévoles se font encore sur papier.",
            "Une maquette testée et un prototype fonctionnel.",
            ("mobile_app_development",),
            ("ux_ui_design", "no_code"),
        ),
        T(
            "Atelier de sensibilisation à la cybersécurité",
            "Une session pour apprendre à l'équipe les bons réflexes face aux arnaques.",
            "Deux salariés ont cliqué sur des liens d'hameçonnage ce trimestre.",
            "Un atelier de deux heures et une fiche mémo des bons réflexes.",
            ("cybersecurity",),
            ("public_speaking",),
            format="workshop",
        ),
    ],
    "data": [
        T(
            "Tableau de bord d'impact pour le conseil d'administration",
            "Construire un tableau de bord qui suit nos indicateurs d'activité et d'impact.",
            "Le conseil d'administration demande des chiffres que nous recalculons à la main à "
            "chaque réunion.",
            "Un tableau de bord mis à jour automatiquement et une notice des indicateurs.",
            ("dashboards",),
            ("data_visualization", "impact_measurement"),
        ),
        T(
            "Analyse des données de fréquentation",
            "Comprendre qui fréquente nos permanences et à quels moments.",
            "Nous avons trois ans de données de passage jamais exploitées.",
            "Une analyse commentée et des recommandations sur nos horaires d'ouverture.",
            ("data_analysis",),
            ("advanced_spreadsheets", "statistics"),
        ),
        T(
            "Enquête de satisfaction auprès des bénéficiaires",
            "Concevoir, diffuser et analyser une enquête auprès des personnes accompagnées.",
            "Nous n'avons jamais interrogé les personnes accompagnées sur nos actions.",
            "Un questionnaire, son analyse et une synthèse présentable aux financeurs.",
            ("survey_design",),
            ("statistics", "data_visualization"),
        ),
        T(
            "Nettoyage et structuration de la base adhérents",
            "Dédoublonner et structurer notre base de plusieurs milliers de contacts.",
            "Notre fichier d'adhérents compte de nombreux doublons et des champs incohérents.",
            "Une base propre, documentée, et des règles de saisie partagées.",
            ("database_administration",),
            ("data_governance", "crm"),
        ),
        T(
            "Automatiser nos tableaux de suivi",
            "Fiabiliser et automatiser nos tableurs de suivi d'activité.",
            "Nos tableurs de suivi sont fragiles et une seule personne sait les mettre à jour.",
            "Des tableurs fiabilisés, documentés, avec des formules et des contrôles.",
            ("advanced_spreadsheets",),
            ("dashboards",),
        ),
        T(
            "Cartographie des besoins du territoire",
            "Croiser les données publiques pour repérer les quartiers où agir en priorité.",
            "Nous voulons ouvrir une nouvelle antenne et ne savons pas où.",
            "Des cartes commentées et une note d'aide à la décision.",
            ("open_data", "data_visualization"),
            ("territorial_diagnosis",),
        ),
    ],
    "communication": [
        T(
            "Plan de communication annuel",
            "Définir nos messages, nos cibles et un calendrier de communication pour l'année.",
            "Nous communiquons au coup par coup, sans ligne directrice.",
            "Un plan de communication et un calendrier éditorial sur douze mois.",
            ("communication_strategy",),
            ("social_media_management", "editorial_writing"),
        ),
        T(
            "Relations presse pour notre campagne de sensibilisation",
            "Faire connaître notre campagne auprès de la presse locale et nationale.",
            "Notre campagne de sensibilisation démarre et nous n'avons aucun contact presse.",
            "Un communiqué, un fichier de journalistes ciblés et un suivi des retombées.",
            ("press_relations",),
            ("storytelling",),
        ),
        T(
            "Réalisation d'une vidéo de présentation",
            "Tourner et monter une courte vidéo qui raconte notre action.",
            "Nos partenaires nous demandent souvent une vidéo pour présenter l'association.",
            "Une vidéo de deux minutes sous-titrée, et une version courte pour les réseaux.",
            ("video_production",),
            ("storytelling", "motion_design"),
        ),
        T(
            "Rédaction du rapport d'activité",
            "Écrire un rapport d'activité clair et vivant à partir de nos données et témoignages.",
            "Notre rapport d'activité est un document austère que personne ne lit.",
            "Un rapport d'activité rédigé, prêt à mettre en page.",
            ("editorial_writing",),
            ("print_layout", "infographics"),
        ),
        T(
            "Lancement d'une newsletter mensuelle",
            "Créer une lettre d'information pour garder le lien avec nos soutiens.",
            "Nos donateurs et bénévoles n'ont de nouvelles qu'une fois par an.",
            "Un modèle de newsletter, un premier numéro envoyé et un rétroplanning.",
            ("newsletter_emailing",),
            ("editorial_writing",),
        ),
        T(
            "Reportage photo sur nos actions",
            "Constituer une photothèque de qualité sur nos activités, avec les autorisations.",
            "Nous manquons d'images pour nos supports et nos dossiers de financement.",
            "Une cinquantaine de photos retouchées, légendées, avec les droits à l'image.",
            ("photography",),
            (),
        ),
        T(
            "Plaidoyer auprès des élus locaux",
            "Préparer nos messages et nos rencontres avec les élus avant les élections.",
            "Nos propositions ne sont pas entendues par les décideurs locaux.",
            "Un argumentaire, une fiche par proposition et un plan de rencontres.",
            ("advocacy",),
            ("press_relations", "storytelling"),
        ),
        T(
            "Traduction de nos supports en anglais",
            "Traduire notre plaquette et notre site pour nos partenaires européens.",
            "Nous répondons à un appel à projets européen et nos supports n'existent qu'en "
            "français.",
            "La plaquette et les pages clés du site traduites et relues.",
            ("translation",),
            ("editorial_writing",),
            languages=("en",),
        ),
        T(
            "Lancement d'un podcast",
            "Donner la parole aux personnes que nous accompagnons dans une série de podcasts.",
            "Les témoignages recueillis lors de nos actions mériteraient d'être entendus.",
            "Un pilote enregistré et monté, et une méthode pour produire les épisodes suivants.",
            ("podcast_production",),
            ("storytelling",),
        ),
        T(
            "Atelier : écrire pour le web",
            "Former l'équipe à écrire des textes courts et lisibles pour le site et les réseaux.",
            "Nos textes sont longs et administratifs, ils ne sont pas lus.",
            "Un atelier pratique et un guide de rédaction d'une page.",
            ("editorial_writing",),
            ("seo",),
            format="workshop",
        ),
    ],
    "legal": [
        T(
            "Statuts et gouvernance",
            "Réviser nos statuts et notre règlement intérieur pour qu'ils reflètent notre "
            "fonctionnement actuel.",
            "Nos statuts datent de la création et ne prévoient ni collège de salariés ni vote "
            "à distance.",
            "Des projets de statuts et de règlement intérieur prêts pour l'assemblée générale.",
            ("statutes_bylaws", "association_law"),
            ("governance",),
        ),
        T(
            "Demande de rescrit fiscal",
            "Vérifier que nous pouvons délivrer des reçus fiscaux et préparer la demande.",
            "Des donateurs nous demandent des reçus fiscaux et nous ne savons pas si nous y "
            "avons droit.",
            "Une analyse de notre éligibilité et un dossier de rescrit prêt à déposer.",
            ("association_tax_status",),
            ("donation_regulations",),
        ),
        T(
            "Sécuriser nos contrats de prestation",
            "Relire et modéliser les contrats que nous signons avec nos partenaires.",
            "Nous signons des conventions rédigées par nos partenaires sans les relire.",
            "Des modèles de contrats commentés et une grille de relecture.",
            ("contracts",),
            ("intellectual_property",),
        ),
        T(
            "Accompagnement droit du travail pour un premier recrutement",
            "Sécuriser l'embauche de notre premier salarié.",
            "Nous allons recruter notre premier salarié et découvrons le droit du travail.",
            "Un contrat de travail, une fiche de poste et la liste des formalités.",
            ("labour_law",),
            ("payroll", "recruitment"),
        ),
        T(
            "Protéger notre marque et nos contenus",
            "Déposer notre nom et encadrer l'utilisation de nos outils pédagogiques.",
            "D'autres structures réutilisent nos outils pédagogiques sans nous citer.",
            "Un dépôt de marque préparé et une licence pour nos contenus.",
            ("intellectual_property",),
            ("contracts",),
        ),
        T(
            "Répondre à un marché public",
            "Nous aider à comprendre et à répondre à un appel d'offres de la collectivité.",
            "La collectivité passe désormais par un marché public pour financer notre action.",
            "Un dossier de candidature complet et une méthode pour les prochains marchés.",
            ("public_procurement",),
            ("grant_writing", "contracts"),
        ),
        T(
            "Évolution vers une forme coopérative",
            "Étudier l'intérêt de transformer l'association en société coopérative (SCIC).",
            "Notre activité économique grandit et nos partenaires veulent entrer au capital.",
            "Une note comparative des formes juridiques et un scénario de transformation.",
            ("legal_structuring",),
            ("business_model", "association_law"),
        ),
        T(
            "Renégociation du bail de nos locaux",
            "Comprendre notre bail et préparer la renégociation avec le propriétaire.",
            "Notre bail arrive à échéance et le propriétaire annonce une forte hausse.",
            "Une analyse du bail et une stratégie de négociation.",
            ("real_estate_law",),
            ("contracts",),
        ),
        T(
            "Cadre juridique de l'accueil des bénévoles",
            "Clarifier nos obligations envers les bénévoles : assurance, charte, défraiements.",
            "Nous accueillons de plus en plus de bénévoles sans cadre écrit.",
            "Une charte du bénévolat et une note sur nos obligations.",
            ("volunteering_law",),
            ("volunteer_management",),
        ),
    ],
    "finance": [
        T(
            "Plan de trésorerie sur 18 mois",
            "Construire un plan de trésorerie pour anticiper les décalages de subventions.",
            "Les subventions arrivent en fin d'année et nous avons frôlé la cessation de "
            "paiements au printemps.",
            "Un plan de trésorerie sur 18 mois et une méthode de mise à jour mensuelle.",
            ("treasury_management",),
            ("budgeting", "advanced_spreadsheets"),
        ),
        T(
            "Construire le budget prévisionnel",
            "Élaborer notre budget prévisionnel par projet pour nos financeurs.",
            "Chaque financeur demande un budget dans un format différent.",
            "Un budget prévisionnel global et par projet, et un modèle réutilisable.",
            ("budgeting",),
            ("financial_modelling",),
        ),
        T(
            "Mise en place d'une comptabilité analytique",
            "Suivre le coût réel de chacune de nos actions.",
            "Nous ne savons pas combien coûte réellement chaque action.",
            "Un plan analytique, des clés de répartition et un premier exercice ventilé.",
            ("cost_accounting", "accounting"),
            ("management_control",),
        ),
        T(
            "Préparer la clôture des comptes annuels",
            "Accompagner notre trésorière dans la préparation de la clôture.",
            "Notre trésorière est nouvelle et la clôture approche.",
            "Un dossier de clôture complet et un calendrier pour les prochaines années.",
            ("annual_accounts", "accounting"),
            ("audit",),
        ),
        T(
            "Tableaux de bord de contrôle de gestion",
            "Suivre nos dépenses et nos recettes au fil de l'année.",
            "Nous découvrons nos dépassements budgétaires à la clôture.",
            "Un tableau de bord mensuel et une procédure de suivi.",
            ("management_control",),
            ("dashboards", "budgeting"),
        ),
        T(
            "Monter un dossier de fonds européens",
            "Préparer une demande de financement au Fonds social européen (FSE+).",
            "Un financement européen pourrait pérenniser notre action mais le dossier nous "
            "paraît insurmontable.",
            "Un dossier FSE+ complet et une organisation pour le suivi des dépenses.",
            ("european_funds",),
            ("public_grants", "grant_writing"),
        ),
        T(
            "Analyse financière avant changement d'échelle",
            "Évaluer notre solidité financière avant d'ouvrir de nouvelles antennes.",
            "Nous voulons essaimer mais ne savons pas si nos finances le permettent.",
            "Une analyse financière et des scénarios chiffrés.",
            ("financial_analysis",),
            ("scaling_up", "financial_modelling"),
        ),
        T(
            "Lever des fonds auprès de la finance solidaire",
            "Préparer une demande de prêt ou d'apport en fonds propres solidaires.",
            "Nous devons financer l'achat d'un local et d'un véhicule.",
            "Un dossier de financement et une liste d'interlocuteurs ciblés.",
            ("solidarity_finance",),
            ("business_plan",),
        ),
        T(
            "Mentorat du trésorier",
            "Accompagner notre nouveau trésorier bénévole pendant sa première année.",
            "Notre trésorier, élu à la dernière assemblée générale, n'a pas de formation "
            "comptable.",
            "Des rendez-vous mensuels et un calendrier des échéances financières de l'année.",
            ("accounting",),
            ("budgeting", "mentoring"),
            format="mentoring",
        ),
    ],
    "hr": [
        T(
            "Structurer l'accueil et l'animation des bénévoles",
            "Mieux recruter, accueillir et fidéliser nos bénévoles.",
            "La moitié de nos nouveaux bénévoles ne reviennent pas après un mois.",
            "Un parcours d'accueil, un livret du bénévole et des outils d'animation.",
            ("volunteer_management",),
            ("onboarding",),
        ),
        T(
            "Recruter notre premier salarié",
            "Définir le poste, diffuser l'offre et mener les entretiens.",
            "Nous recrutons pour la première fois et ne savons pas par où commencer.",
            "Une fiche de poste, une offre diffusée et une grille d'entretien.",
            ("recruitment",),
            ("labour_law", "onboarding"),
        ),
        T(
            "Plan de développement des compétences",
            "Construire le plan de formation de l'équipe salariée.",
            "Nos salariés demandent des formations et nous n'avons aucune visibilité sur les "
            "financements possibles.",
            "Un plan de développement des compétences et la liste des financements mobilisables.",
            ("training_plan",),
            ("workforce_planning",),
        ),
        T(
            "Mettre en place les entretiens professionnels",
            "Concevoir nos supports d'entretien annuel et professionnel et former les "
            "responsables.",
            "Nos entretiens professionnels obligatoires n'ont jamais été faits.",
            "Des supports d'entretien et une session de formation des responsables.",
            ("performance_reviews",),
            ("hr_policy",),
        ),
        T(
            "Démarche qualité de vie au travail",
            "Prévenir l'épuisement de l'équipe après une année très chargée.",
            "L'équipe est épuisée et nous avons eu deux arrêts longs cette année.",
            "Un diagnostic partagé et un plan d'action QVCT.",
            ("workplace_wellbeing",),
            ("hr_policy", "facilitation"),
        ),
        T(
            "Anticiper les départs à la retraite",
            "Construire une gestion prévisionnelle des emplois et des compétences.",
            "Trois salariés clés partiront à la retraite d'ici trois ans.",
            "Une cartographie des compétences clés et un plan de transmission.",
            ("workforce_planning",),
            ("training_plan",),
        ),
        T(
            "Diversité et inclusion dans nos recrutements",
            "Revoir nos pratiques de recrutement pour diversifier notre équipe.",
            "Notre équipe ne ressemble pas aux personnes que nous accompagnons.",
            "Un audit de nos pratiques et un guide du recrutement inclusif.",
            ("diversity_inclusion",),
            ("recruitment",),
        ),
    ],
    "strategy": [
        T(
            "Plan stratégique à trois ans",
            "Construire avec le conseil d'administration notre projet associatif à trois ans.",
            "Nous avons beaucoup grandi et l'équipe ne sait plus quelles sont les priorités.",
            "Un plan stratégique partagé, avec ses objectifs et ses indicateurs.",
            ("strategic_plan",),
            ("governance", "facilitation"),
        ),
        T(
            "Repenser notre modèle économique",
            "Réduire notre dépendance aux subventions publiques.",
            "80 % de nos ressources viennent de deux subventions qui baissent chaque année.",
            "Une analyse du modèle actuel et deux ou trois pistes de ressources nouvelles "
            "chiffrées.",
            ("business_model",),
            ("revenue_diversification",),
        ),
        T(
            "Mesurer notre impact social",
            "Définir nos indicateurs d'impact et la méthode pour les suivre.",
            "Nos financeurs nous demandent de prouver notre impact au-delà du nombre de "
            "personnes accueillies.",
            "Un référentiel d'impact, des outils de collecte et un premier rapport.",
            ("impact_measurement",),
            ("survey_design", "data_analysis"),
        ),
        T(
            "Étude de marché pour une nouvelle activité",
            "Vérifier qu'il existe une demande pour une activité de services payante.",
            "Nous envisageons de vendre des prestations aux entreprises du territoire.",
            "Une étude de marché et une recommandation argumentée.",
            ("market_study",),
            ("business_plan",),
        ),
        T(
            "Essaimer le projet dans de nouvelles villes",
            "Préparer la duplication de notre action dans trois nouvelles villes.",
            "Des collectivités nous sollicitent pour reproduire notre action chez elles.",
            "Une stratégie d'essaimage et un kit de duplication.",
            ("scaling_up",),
            ("partnerships", "business_model"),
        ),
        T(
            "Préparer un rapprochement avec une association voisine",
            "Étudier les scénarios de coopération ou de fusion avec une structure proche.",
            "Une association voisine aux missions proches nous propose de nous rapprocher.",
            "Une analyse des scénarios et une feuille de route.",
            ("mergers",),
            ("legal_structuring", "governance"),
        ),
        T(
            "Réaliser le bilan carbone de l'association",
            "Mesurer nos émissions et construire un plan de réduction.",
            "Nos adhérents et nos financeurs nous interrogent sur notre empreinte écologique.",
            "Un bilan carbone et un plan d'action chiffré.",
            ("carbon_footprint",),
            ("csr",),
        ),
        T(
            "Développer des partenariats avec les entreprises du territoire",
            "Identifier et approcher des entreprises partenaires.",
            "Nous n'avons aucun partenaire privé alors que la zone d'activité est à côté.",
            "Une cartographie des entreprises cibles et une offre de partenariat.",
            ("partnerships",),
            ("corporate_sponsorship",),
        ),
        T(
            "Accompagner la présidente dans sa prise de fonction",
            "Un mentorat pour aider notre nouvelle présidente à piloter l'association.",
            "Notre présidente vient d'être élue et découvre la gouvernance associative.",
            "Des échanges mensuels et un bilan partagé à six mois.",
            ("governance",),
            ("mentoring", "strategic_plan"),
            format="mentoring",
        ),
    ],
    "fundraising": [
        T(
            "Campagne de financement participatif",
            "Préparer et animer une campagne de financement participatif.",
            "Nous devons financer l'aménagement de notre nouveau local.",
            "Une campagne en ligne prête à lancer, ses contreparties et son plan d'animation.",
            ("crowdfunding",),
            ("storytelling", "social_media_management"),
        ),
        T(
            "Stratégie de collecte auprès des particuliers",
            "Définir notre stratégie de collecte de dons auprès du grand public.",
            "Nos dons de particuliers stagnent depuis cinq ans.",
            "Une stratégie de collecte sur trois ans et un calendrier des temps forts.",
            ("fundraising_strategy", "individual_giving"),
            ("donor_retention",),
        ),
        T(
            "Démarcher des entreprises mécènes",
            "Construire une offre de mécénat et approcher des entreprises.",
            "Nous n'avons jamais sollicité d'entreprise.",
            "Une offre de mécénat, une liste de cibles et un argumentaire.",
            ("corporate_sponsorship",),
            ("partnerships", "skills_sponsorship"),
        ),
        T(
            "Dossiers de demande aux fondations",
            "Identifier les fondations pertinentes et rédiger nos dossiers.",
            "Nous passons à côté des appels à projets des fondations faute de temps.",
            "Une veille des appels à projets et deux dossiers rédigés.",
            ("foundation_fundraising", "grant_writing"),
            (),
        ),
        T(
            "Fidéliser nos donateurs",
            "Mettre en place un parcours de remerciement et de fidélisation.",
            "Beaucoup de donateurs ne donnent qu'une fois.",
            "Un parcours donateur, des modèles de messages et des indicateurs de fidélité.",
            ("donor_retention",),
            ("newsletter_emailing", "crm"),
        ),
        T(
            "Lancer un programme de legs",
            "Informer nos soutiens sur les legs et les libéralités.",
            "Des donateurs âgés nous interrogent sur la possibilité de nous léguer leurs biens.",
            "Une brochure sur les legs et une procédure de traitement.",
            ("legacy_giving",),
            ("donation_regulations",),
        ),
        T(
            "Organiser un dîner de gala",
            "Organiser notre premier événement de collecte.",
            "Nos vingt ans sont l'occasion de réunir nos soutiens.",
            "Un rétroplanning, un budget et un plan de sollicitation des invités.",
            ("fundraising_events",),
            ("event_organization",),
        ),
        T(
            "Passer au don mensuel",
            "Développer le prélèvement automatique chez nos donateurs.",
            "Nos ressources sont trop irrégulières pour planifier nos actions.",
            "Un argumentaire, un formulaire de don mensuel et une campagne de conversion.",
            ("regular_giving",),
            ("individual_giving",),
        ),
        T(
            "Coaching de notre chargée de collecte",
            "Accompagner notre chargée de collecte, seule sur ce poste, dans sa première année.",
            "Notre chargée de collecte vient d'arriver et n'a personne à qui poser ses questions.",
            "Des rendez-vous mensuels et un plan de collecte relu.",
            ("fundraising_strategy",),
            ("coaching",),
            format="mentoring",
        ),
    ],
    "project_management": [
        T(
            "Piloter le déménagement de nos locaux",
            "Organiser notre déménagement sans interrompre l'accueil du public.",
            "Nous déménageons dans six mois et l'accueil doit continuer.",
            "Un rétroplanning, une répartition des rôles et un suivi des risques.",
            ("project_management",),
            ("facilities_management", "risk_management"),
        ),
        T(
            "Accompagner le changement d'outils de l'équipe",
            "Faire adopter nos nouveaux outils numériques à toute l'équipe.",
            "Nos nouveaux outils sont peu utilisés, l'équipe est réticente.",
            "Un plan de conduite du changement et des temps d'accompagnement.",
            ("change_management",),
            ("digital_transformation", "facilitation"),
        ),
        T(
            "Cartographier et simplifier nos processus",
            "Décrire nos processus clés et supprimer les étapes inutiles.",
            "Le traitement d'une demande d'aide prend trois semaines.",
            "Une cartographie des processus et des améliorations mises en œuvre.",
            ("process_improvement",),
            ("quality_management",),
        ),
        T(
            "Évaluation du programme à mi-parcours",
            "Évaluer notre programme pour décider de sa suite.",
            "Notre programme triennal arrive à mi-parcours et le financeur attend une évaluation.",
            "Un rapport d'évaluation et des recommandations.",
            ("project_evaluation",),
            ("impact_measurement",),
        ),
        T(
            "Organisation de notre festival annuel",
            "Organiser la prochaine édition de notre festival solidaire.",
            "Le festival a doublé de taille et la bénévole qui l'organisait est partie.",
            "Un rétroplanning, un budget et l'organisation des équipes.",
            ("event_organization",),
            ("event_logistics", "event_communication"),
        ),
        T(
            "Mettre en place une organisation agile",
            "Aider l'équipe à prioriser et à travailler par itérations.",
            "Tout est urgent et les projets n'avancent pas.",
            "Des rituels d'équipe installés et un tableau de suivi des priorités.",
            ("agile",),
            ("project_management",),
        ),
        T(
            "Atelier rétroplanning pour nos événements",
            "Une session pour apprendre à l'équipe à construire un rétroplanning.",
            "Nos événements se préparent toujours dans l'urgence.",
            "Un atelier et un modèle de rétroplanning.",
            ("project_management",),
            ("event_organization",),
            format="workshop",
        ),
    ],
    "training": [
        T(
            "Mentorat de la directrice",
            "Accompagner notre nouvelle directrice dans sa prise de poste.",
            "Notre directrice a pris ses fonctions il y a trois mois, dans un contexte difficile.",
            "Des rendez-vous mensuels et un bilan partagé à six mois.",
            ("mentoring",),
            ("coaching",),
            format="mentoring",
        ),
        T(
            "Former nos bénévoles à l'animation d'ateliers",
            "Concevoir une formation pour nos bénévoles animateurs.",
            "Nos bénévoles animent des ateliers sans y avoir été formés.",
            "Un module de formation et des fiches pédagogiques.",
            ("training_design", "train_the_trainer"),
            ("facilitation",),
        ),
        T(
            "Ateliers de prise de parole pour les jeunes accompagnés",
            "Animer des ateliers pour aider les jeunes à prendre la parole en public.",
            "Les jeunes que nous accompagnons manquent de confiance à l'oral.",
            "Une série d'ateliers animés et un support réutilisable.",
            ("public_speaking",),
            ("coaching",),
            format="workshop",
        ),
        T(
            "Simulations d'entretiens d'embauche",
            "Faire passer des entretiens blancs aux personnes que nous accompagnons.",
            "Les personnes accompagnées décrochent des entretiens mais pas d'emploi.",
            "Des entretiens blancs avec un retour personnalisé pour chacun.",
            ("career_guidance",),
            ("recruitment", "coaching"),
            format="workshop",
        ),
        T(
            "Cours de français pour les personnes accueillies",
            "Donner des cours de français langue étrangère à un petit groupe.",
            "Les personnes accueillies attendent des mois une place en cours de français.",
            "Des cours hebdomadaires et un suivi des progrès.",
            ("french_as_foreign_language",),
            ("tutoring",),
        ),
        T(
            "Soutien scolaire en ligne",
            "Accompagner des collégiens dans leurs devoirs, à distance.",
            "Nous avons plus d'élèves inscrits que de bénévoles disponibles.",
            "Un suivi régulier d'un ou deux élèves pendant l'année scolaire.",
            ("tutoring",),
            (),
            format="mentoring",
        ),
        T(
            "Ateliers d'initiation au numérique",
            "Animer des ateliers pour apprendre à faire ses démarches en ligne.",
            "Beaucoup de personnes accueillies n'arrivent pas à faire leurs démarches en ligne.",
            "Un cycle d'ateliers et des fiches pratiques.",
            ("digital_literacy_training",),
            ("training_design",),
            format="workshop",
        ),
        T(
            "Créer un module de formation en ligne",
            "Transformer notre formation en présentiel en module en ligne.",
            "Notre formation ne touche que les personnes qui peuvent se déplacer.",
            "Un module en ligne d'une heure, testé auprès d'un groupe pilote.",
            ("e_learning",),
            ("training_design",),
        ),
        T(
            "Animer un séminaire en intelligence collective",
            "Faciliter le séminaire annuel de l'équipe et du conseil d'administration.",
            "Notre séminaire annuel tourne à la réunion descendante.",
            "Un séminaire animé et sa restitution.",
            ("facilitation",),
            ("strategic_plan",),
            format="workshop",
        ),
    ],
    "design": [
        T(
            "Nouvelle identité visuelle",
            "Créer un logo et une charte graphique qui nous ressemblent.",
            "Notre logo a été dessiné il y a vingt ans et chacun fait ses supports à sa façon.",
            "Un logo, une charte graphique et des modèles de documents.",
            ("branding", "graphic_design"),
            (),
        ),
        T(
            "Refonte du parcours d'inscription en ligne",
            "Simplifier le parcours d'inscription de nos bénéficiaires.",
            "La moitié des personnes abandonnent l'inscription en ligne en cours de route.",
            "Des maquettes testées auprès d'usagers et des recommandations.",
            ("ux_ui_design",),
            ("service_design", "digital_accessibility"),
        ),
        T(
            "Mise en page du rapport annuel",
            "Mettre en page notre rapport annuel pour l'impression et le web.",
            "Notre rapport annuel est rédigé mais nous n'avons personne pour le mettre en page.",
            "Un rapport mis en page, en version imprimable et numérique.",
            ("print_layout",),
            ("infographics",),
        ),
        T(
            "Infographies de nos chiffres clés",
            "Rendre nos chiffres lisibles en quelques images.",
            "Nos chiffres clés sont noyés dans des tableaux.",
            "Une série d'infographies déclinées pour le web et l'impression.",
            ("infographics",),
            ("data_visualization",),
        ),
        T(
            "Illustrations pour un livret pédagogique",
            "Illustrer un livret destiné aux enfants que nous accompagnons.",
            "Notre livret pédagogique est rédigé mais manque d'illustrations.",
            "Une douzaine d'illustrations et la couverture du livret.",
            ("illustration",),
            ("print_layout",),
        ),
        T(
            "Vidéo animée en motion design",
            "Expliquer notre action en une minute d'animation.",
            "Notre action est difficile à expliquer en quelques mots.",
            "Une vidéo animée d'une minute, avec sa version sous-titrée.",
            ("motion_design",),
            ("storytelling",),
        ),
        T(
            "Repenser l'accueil de nos bénéficiaires",
            "Observer et améliorer l'accueil des personnes dans nos locaux.",
            "L'attente à l'accueil est longue et les personnes ne savent pas où s'adresser.",
            "Un parcours d'accueil repensé et testé.",
            ("service_design",),
            ("ux_ui_design", "scenography"),
        ),
        T(
            "Aménager notre espace d'accueil",
            "Rendre notre local plus accueillant avec un petit budget.",
            "Notre local est sombre, encombré et peu accueillant.",
            "Un plan d'aménagement et une liste d'achats.",
            ("scenography",),
            ("facilities_management",),
        ),
    ],
    "logistics": [
        T(
            "Optimiser les tournées de collecte",
            "Revoir les tournées de ramasse auprès des supermarchés partenaires.",
            "Nos camions font des kilomètres inutiles et des denrées se perdent.",
            "Des tournées optimisées et un outil de planification.",
            ("transport",),
            ("fleet_management", "food_logistics"),
        ),
        T(
            "Organisation de l'entrepôt",
            "Réorganiser notre entrepôt pour gagner de la place et du temps.",
            "Notre entrepôt est saturé et les bénévoles perdent du temps à chercher.",
            "Un plan d'implantation et des règles de rangement.",
            ("warehouse_management", "inventory_management"),
            (),
        ),
        T(
            "Mettre en place le plan HACCP",
            "Formaliser nos procédures d'hygiène et de chaîne du froid.",
            "Un contrôle sanitaire est annoncé et nos procédures ne sont pas écrites.",
            "Un plan de maîtrise sanitaire et des fiches de procédure.",
            ("food_safety",),
            ("food_logistics",),
        ),
        T(
            "Structurer nos achats",
            "Regrouper et négocier nos achats récurrents.",
            "Chaque antenne achète de son côté, au prix fort.",
            "Une cartographie des achats et des fournisseurs référencés.",
            ("purchasing",),
            ("supply_chain",),
        ),
        T(
            "Lancer une recyclerie",
            "Étudier la faisabilité d'une recyclerie solidaire.",
            "Nous recevons beaucoup de dons d'objets que nous ne savons pas valoriser.",
            "Une étude de faisabilité et un schéma logistique.",
            ("circular_economy",),
            ("supply_chain", "business_model"),
        ),
        T(
            "Logistique de notre forum annuel",
            "Organiser la logistique d'un forum de 500 participants.",
            "Notre forum change de lieu et d'échelle cette année.",
            "Un plan logistique, un planning des bénévoles et une liste de matériel.",
            ("event_logistics",),
            ("event_organization",),
        ),
        T(
            "Gestion des stocks de denrées",
            "Suivre nos stocks pour limiter le gaspillage.",
            "Des denrées périment faute de suivi des dates.",
            "Un outil de suivi des stocks et des règles de rotation.",
            ("inventory_management",),
            ("food_logistics", "advanced_spreadsheets"),
        ),
    ],
}
del T

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

# (name, sector, yearly allowance in hours, approval required, relative headcount)
COMPANIES: list[tuple[str, str, int, bool, int]] = [
    ("Veloria Assurances", "l'assurance", 21, True, 30),
    ("Nexalys Conseil", "le conseil en transformation", 35, True, 15),
    ("Groupe Hestia Énergie", "l'énergie", 14, True, 25),
    ("Banque Solenne", "la banque de détail", 21, True, 20),
    ("Orvane Numérique", "les services numériques", 42, False, 10),
    ("Maison Calvi Distribution", "la distribution", 14, True, 18),
    ("Alizé Transports", "le transport et la logistique", 14, True, 12),
    ("Cabinet Lorrain & Associés", "l'audit et l'expertise comptable", 35, True, 8),
    ("Sélène Pharma", "la pharmacie", 21, True, 14),
    ("Groupe Batisud", "la construction", 7, True, 16),
]

STREET_WORDS = ("rue", "avenue", "boulevard", "place", "chemin", "allée", "impasse", "quai")

APPLICATION_MESSAGES = [
    "Bonjour, votre mission correspond exactement à ce que je fais au quotidien. Je serais "
    "ravi(e) d'en discuter.",
    "Bonjour, j'ai mené un projet très proche l'an dernier et je peux me libérer quelques "
    "heures par semaine.",
    "Votre cause me tient à cœur et je pense pouvoir vous aider. Disponible pour un premier "
    "échange en visio.",
    "Bonjour, je découvre votre association et votre besoin m'intéresse beaucoup. Je suis "
    "disponible le soir et le week-end.",
    "Bonjour, mon entreprise soutient le mécénat de compétences et j'aimerais m'engager sur "
    "cette mission.",
    "J'ai quelques questions sur le périmètre, mais je suis très motivé(e) pour vous aider.",
    "Bonjour, récemment retraité(e), j'ai du temps et trente ans d'expérience sur ce sujet.",
    "",
    "",
]
DECLINE_MESSAGES = {
    "skills_mismatch": "Merci pour votre proposition ; nous cherchons finalement un profil "
    "plus expérimenté sur ce sujet.",
    "availability": "Merci ! Vos disponibilités ne correspondent malheureusement pas à notre "
    "calendrier.",
    "location": "La mission demande une présence régulière dans nos locaux, trop loin de chez "
    "vous.",
    "mission_filled": "Nous avons trouvé la personne qu'il nous fallait. Merci pour votre "
    "intérêt, n'hésitez pas à regarder nos autres missions.",
    "mission_changed": "Notre besoin a évolué et la mission n'est plus d'actualité sous cette "
    "forme.",
    "other": "Merci pour votre candidature, nous ne pouvons pas y donner suite pour le moment.",
}
WITHDRAWAL_MESSAGES = {
    "no_longer_available": "Un changement dans mon travail ne me laisse plus le temps "
    "nécessaire, désolé(e).",
    "found_other_mission": "Je me suis engagé(e) sur une autre mission entre-temps.",
    "not_as_expected": "Après notre échange, je ne pense pas être la bonne personne.",
    "no_answer": "Sans réponse de votre part, je retire ma candidature.",
    "approval_refused": "Mon manager n'a pas validé cet engagement sur mon temps de travail "
    "cette année.",
    "other": "Des raisons personnelles m'obligent à me retirer.",
}
APPROVAL_REFUSAL_REASONS = [
    "Période de clôture : l'équipe ne peut pas libérer de temps ce trimestre.",
    "Le quota d'heures de mécénat de l'équipe est déjà atteint cette année.",
    "La mission tombe pendant le lancement du projet client, à reprogrammer.",
]
CANCEL_REASONS = [
    "Le financement du projet n'a finalement pas été obtenu.",
    "Un partenaire prend en charge ce besoin : la mission n'est plus nécessaire.",
    "Réorganisation interne : le projet est reporté à l'année prochaine.",
    "Le salarié qui portait le projet a quitté l'association.",
]
REQUEST_CHANGES_REASONS = [
    "Merci de préciser le livrable attendu et la charge de travail estimée.",
    "La mission demande trop de compétences différentes : pouvez-vous la découper en deux ?",
    "Indiquez le lieu de la mission ou passez-la à distance.",
]
ABANDON_MESSAGES = [
    "Je dois mettre fin à la mission pour raisons de santé.",
    "Mon employeur m'a affecté(e) à un projet prioritaire, je ne peux plus continuer.",
    "La mission a pris une direction qui ne correspond plus à mes compétences.",
]
HOURS_DESCRIPTIONS = [
    "Réunion de cadrage avec l'équipe",
    "Entretiens avec les salariés et les bénévoles",
    "Analyse de l'existant",
    "Atelier de travail avec le bureau",
    "Rédaction du livrable",
    "Relecture et corrections",
    "Point d'étape avec la directrice",
    "Formation de l'équipe",
    "Préparation de la restitution",
    "Restitution au conseil d'administration",
    "Recherches documentaires",
    "Paramétrage et tests",
]
HOURS_REJECTION_REASONS = [
    "Ces heures ont déjà été déclarées la semaine précédente.",
    "La réunion du jour a été annulée, il doit s'agir d'une erreur.",
]
EVALUATION_ASSOCIATION = [
    (
        "Méthode de construction d'un budget par projet, prise en main de l'outil.",
        "Nous mettons à jour nous-mêmes le tableau chaque mois.",
        "Un bénévole disponible, pédagogue et très à l'écoute de nos contraintes.",
    ),
    (
        "Les bases de la gestion de projet et de la priorisation.",
        "L'équipe organise maintenant ses réunions d'avancement sans aide.",
        "Merci pour votre patience et votre bonne humeur !",
    ),
    (
        "Savoir-faire sur l'outil et les bonnes pratiques.",
        "Nous publions et modifions nous-mêmes les contenus.",
        "Très bon accompagnement, quelques retards au milieu de la mission.",
    ),
    (
        "Une méthode d'analyse que nous avons documentée.",
        "Nous avons encore besoin d'aide pour les cas complexes.",
        "Mission utile mais trop courte pour tout transmettre.",
    ),
]
EVALUATION_VOLUNTEER = [
    "Une équipe accueillante et un besoin bien préparé : une très belle expérience.",
    "J'ai beaucoup appris sur le fonctionnement d'une association. À refaire !",
    "Les objectifs ont un peu bougé en cours de route, mais l'équipe était très impliquée.",
    "Mission passionnante ; il faudrait prévoir plus de temps pour la passation.",
]
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
SUSPENSION_REASON = (
    "Plusieurs bénévoles signalent des missions sans rapport avec leur description. "
    "Compte suspendu le temps d'un échange avec le bureau."
)
REJECTION_REASONS = [
    "Le numéro RNA indiqué ne correspond pas à l'association : merci de nous transmettre le "
    "récépissé de déclaration en préfecture.",
    "Les statuts transmis ne font pas apparaître de but non lucratif.",
    "L'activité décrite relève d'une entreprise commerciale et non d'une structure de l'ESS.",
]

# Cities of Île-de-France with their real département: the nearest-centre rule of
# ``taxonomy.geo`` misplaces most of the suburbs, and geonames also lists Paris quarters.
ILE_DE_FRANCE = {
    "75": ["Paris"],
    "92": [
        "Boulogne-Billancourt",
        "Nanterre",
        "Asnières-sur-Seine",
        "Colombes",
        "Courbevoie",
        "Rueil-Malmaison",
        "Issy-les-Moulineaux",
        "Levallois-Perret",
        "Neuilly-sur-Seine",
        "Antony",
        "Clamart",
        "Clichy",
        "Gennevilliers",
        "Montrouge",
        "Suresnes",
        "Meudon",
        "Puteaux",
        "Bagneux",
        "Malakoff",
        "Châtillon",
        "Saint-Cloud",
        "Châtenay-Malabry",
        "Villeneuve-la-Garenne",
        "Bourg-la-Reine",
    ],
    "93": [
        "Saint-Denis",
        "Montreuil",
        "Aubervilliers",
        "Aulnay-sous-Bois",
        "Drancy",
        "Noisy-le-Grand",
        "Pantin",
        "Bondy",
        "Épinay-sur-Seine",
        "Le Blanc-Mesnil",
        "Sevran",
        "Bobigny",
        "Rosny-sous-Bois",
        "Saint-Ouen",
        "Livry-Gargan",
        "Noisy-le-Sec",
        "Gagny",
        "La Courneuve",
        "Villepinte",
        "Tremblay-en-France",
        "Stains",
        "Bagnolet",
        "Les Lilas",
        "Clichy-sous-Bois",
        "Pierrefitte-sur-Seine",
        "Villemomble",
        "Neuilly-sur-Marne",
    ],
    "94": [
        "Créteil",
        "Vitry-sur-Seine",
        "Champigny-sur-Marne",
        "Saint-Maur-des-Fossés",
        "Ivry-sur-Seine",
        "Maisons-Alfort",
        "Fontenay-sous-Bois",
        "Villejuif",
        "Vincennes",
        "Alfortville",
        "Choisy-le-Roi",
        "Le Perreux-sur-Marne",
        "Nogent-sur-Marne",
        "Villeneuve-Saint-Georges",
        "Thiais",
        "Cachan",
        "Charenton-le-Pont",
        "L'Haÿ-les-Roses",
        "Le Kremlin-Bicêtre",
        "Villiers-sur-Marne",
        "Saint-Mandé",
        "Arcueil",
        "Gentilly",
    ],
    "95": [
        "Argenteuil",
        "Sarcelles",
        "Cergy",
        "Garges-lès-Gonesse",
        "Goussainville",
        "Saint-Gratien",
        "Enghien-les-Bains",
        "Soisy-sous-Montmorency",
        "Pontoise",
        "Franconville",
        "Ermont",
        "Bezons",
        "Villiers-le-Bel",
        "Taverny",
        "Herblay",
        "Sannois",
        "Gonesse",
        "Montmorency",
    ],
    "78": [
        "Versailles",
        "Sartrouville",
        "Saint-Germain-en-Laye",
        "Poissy",
        "Mantes-la-Jolie",
        "Montigny-le-Bretonneux",
        "Guyancourt",
        "Houilles",
        "Chatou",
        "Le Chesnay",
        "Les Mureaux",
        "Plaisir",
        "Trappes",
        "Rambouillet",
        "Conflans-Sainte-Honorine",
        "Élancourt",
        "Maisons-Laffitte",
        "Vélizy-Villacoublay",
    ],
    "91": [
        "Évry",
        "Corbeil-Essonnes",
        "Savigny-sur-Orge",
        "Massy",
        "Palaiseau",
        "Athis-Mons",
        "Viry-Châtillon",
        "Draveil",
        "Yerres",
        "Sainte-Geneviève-des-Bois",
        "Grigny",
        "Brunoy",
        "Ris-Orangis",
        "Étampes",
        "Les Ulis",
        "Orsay",
        "Longjumeau",
    ],
    "77": [
        "Meaux",
        "Chelles",
        "Pontault-Combault",
        "Melun",
        "Savigny-le-Temple",
        "Torcy",
        "Champs-sur-Marne",
        "Fontainebleau",
        "Lagny-sur-Marne",
        "Combs-la-Ville",
        "Bussy-Saint-Georges",
        "Roissy-en-Brie",
        "Le Mée-sur-Seine",
        "Provins",
        "Nemours",
        "Coulommiers",
    ],
}
# Other well-known cities the nearest-centre rule puts in a neighbouring département.
CITY_FIXES = {"Le Havre": "76", "Arras": "62", "Dunkirk": "59"}
CITY_RENAMES = {"Dunkirk": "Dunkerque"}
KNOWN_POSTCODES = {
    ("Reims", "51"): "51100",
    ("Brest", "29"): "29200",
    ("Le Havre", "76"): "76600",
    ("Villeurbanne", "69"): "69100",
    ("Aix-en-Provence", "13"): "13100",
    ("Mulhouse", "68"): "68100",
    ("Roubaix", "59"): "59100",
    ("Tourcoing", "59"): "59200",
    ("Dunkerque", "59"): "59140",
    ("Boulogne-Billancourt", "92"): "92100",
    ("Nanterre", "92"): "92000",
    ("Montreuil", "93"): "93100",
    ("Saint-Denis", "93"): "93200",
    ("Aubervilliers", "93"): "93300",
    ("Créteil", "94"): "94000",
    ("Vitry-sur-Seine", "94"): "94400",
    ("Argenteuil", "95"): "95100",
    ("Cergy", "95"): "95000",
    ("Versailles", "78"): "78000",
    ("Évry", "91"): "91000",
    ("Meaux", "77"): "77100",
    ("Saint-Denis", "974"): "97400",
    ("Saint-Paul", "974"): "97460",
    ("Fort-de-France", "972"): "97200",
    ("Cayenne", "973"): "97300",
    ("Mamoudzou", "976"): "97600",
    ("Ajaccio", "2A"): "20000",
    ("Bastia", "2B"): "20200",
}
# States and formats of the demo association's missions, in order.
DEMO_MISSION_STATES = ["published", "in_progress", "completed", "submitted", "draft", "published"]
DEMO_FORMATS = ["mission", "mentoring", "workshop", "marathon", "mission", "mission"]
JUNK_CITY = re.compile(r"\d|Arrondissement|^Marne La Vallée$|^Cergy-Pontoise$|^Saint-Quentin-en")


# ---------------------------------------------------------------------------------------
# Small helpers.
# ---------------------------------------------------------------------------------------


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def city_phrases(city: str) -> dict[str, str]:
    """``de_city`` and ``a_city``, with French elision and contraction."""
    if city.startswith("Le "):
        de, a = f"du {city[3:]}", f"au {city[3:]}"
    elif city.startswith("Les "):
        de, a = f"des {city[4:]}", f"aux {city[4:]}"
    elif city[:1].lower() in "aeiouyéèêâîôh":
        de, a = f"d'{city}", f"à {city}"
    else:
        de, a = f"de {city}", f"à {city}"
    return {"city": city, "de_city": de, "a_city": a}


def valid_siren(rng: random.Random, first_digit: str) -> str:
    while True:
        body = f"{first_digit}{rng.randrange(10**7):07d}"
        number = body + luhn.calc_check_digit(body)
        if stdnum_siren.is_valid(number):
            return number


def valid_siret(siren: str, rng: random.Random) -> str:
    body = f"{siren}{rng.randrange(1, 100):04d}"
    number = body + luhn.calc_check_digit(body)
    assert stdnum_siret.is_valid(number), number
    return number


@dataclass(frozen=True)
class City:
    name: str
    departement: str
    latitude: float
    longitude: float
    population: int


def demo_cities() -> list[City]:
    """Real French cities, most populous first, each with a plausible département."""
    from taxonomy.geo import french_cities

    idf_departements = set(ILE_DE_FRANCE)
    wanted_idf = {name: dep for dep, names in ILE_DE_FRANCE.items() for name in names}
    cities: list[City] = []
    seen: set[tuple[str, str]] = set()
    for loc in french_cities():
        name = loc.city
        if JUNK_CITY.search(name):
            continue
        departement = CITY_FIXES.get(name, loc.departement_code)
        name = CITY_RENAMES.get(name, name)
        in_idf = departement in idf_departements or loc.departement_code in idf_departements
        if in_idf:
            # Only keep the curated Île-de-France communes, in their true département
            # (the first, most populous, entry of a name; Saint-Denis 974 stays apart).
            if name not in wanted_idf or loc.latitude < 40:
                continue
            departement = wanted_idf[name]
        key = (name, departement)
        if key in seen:
            continue
        seen.add(key)
        cities.append(City(name, departement, loc.latitude, loc.longitude, loc.population))
    return cities


def postcode_for(city: City, rng: random.Random) -> str:
    """A postcode that ``validate_postcode`` accepts and that looks like the city's."""
    dep = city.departement
    if city.name == "Paris":
        return f"750{rng.randint(1, 20):02d}"
    if city.name == "Lyon" and dep == "69":
        return f"6900{rng.randint(1, 9)}"
    if city.name == "Marseille" and dep == "13":
        return f"130{rng.randint(1, 16):02d}"
    known = KNOWN_POSTCODES.get((city.name, dep))
    if known:
        return known
    h = zlib.crc32(city.name.encode())
    if dep == "2A":
        return f"20{1 + h % 19:02d}0"
    if dep == "2B":
        return f"20{20 + h % 70:02d}0"
    if len(dep) == 3:
        return f"{dep}00" if city.population >= 100_000 else f"{dep}{1 + h % 9}0"
    if city.population >= 100_000:
        return f"{dep}000"
    return f"{dep}{1 + h % 9}{(h // 9) % 10}0"


# ---------------------------------------------------------------------------------------
# The generator.
# ---------------------------------------------------------------------------------------


@dataclass
class DemoOptions:
    associations: int = 30
    volunteers: int = 200
    missions: int = 80
    companies: int = 5
    seed: int = 1901


@dataclass
class DemoAccount:
    email: str
    role: str


@dataclass
class DemoResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    seconds: float = 0.0


# One line per account: who it is, and what to look at with it.
DEMO_ACCOUNTS = [
    DemoAccount(MARKER_EMAIL, "Super-administrateur : tout le back-office, journal des actions"),
    DemoAccount(
        "referent@probono.test",
        "Référent (Rhône, Île-de-France) : associations à vérifier, une refusée avec motif",
    ),
    DemoAccount(
        "association@probono.test",
        "Association : candidature sans réponse depuis 10 j, heures à valider, invitations",
    ),
    DemoAccount(
        PENDING_ASSOCIATION_EMAIL,
        "Association en attente de vérification : un brouillon, soumission bloquée",
    ),
    DemoAccount(
        REJECTED_ASSOCIATION_EMAIL,
        "Association refusée : le motif du refus, demander un nouvel examen",
    ),
    DemoAccount(
        "benevole@probono.test",
        "Bénévole : liste d'attente, accord employeur, favoris, recherches, messages, attestation",
    ),
    DemoAccount(
        ENGLISH_VOLUNTEER_EMAIL,
        "Bénévole anglophone : e-mails en anglais, récapitulatif quotidien, 2 invitations",
    ),
    DemoAccount(
        "entreprise@probono.test",
        "Entreprise (programmes) : accords à donner, budget d'heures, rapports d'impact",
    ),
]


def demo_data_exists() -> bool:
    return get_user_model().objects.filter(email=MARKER_EMAIL).exists()


def seed_demo(options: DemoOptions | None = None, log: Callable[[str], None] | None = None):
    """Create the demo dataset unless it is already there; returns a :class:`DemoResult`."""
    if demo_data_exists():
        return DemoResult(created=False, accounts=list(DEMO_ACCOUNTS))
    return DemoBuilder(options or DemoOptions(), log=log).run()


@contextlib.contextmanager
def _quietly():
    """The stories go through the services, which e-mail whoever they concern once the
    transaction commits, by in-process tasks that log each run: nobody reads those
    e-mails, so they are not sent (the notifications are in the app, and those of a daily
    digest wait for its next run), and the tasks' logs do not drown the command's output."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(max(level, logging.WARNING))
    try:
        with override_settings(EMAIL_BACKEND=QUIET_EMAIL_BACKEND):
            yield
    finally:
        trace.setLevel(level)


def _weighted(rng: random.Random, items: Sequence, weights: Sequence[float]):
    return rng.choices(items, weights=weights, k=1)[0]


class DemoBuilder:
    def __init__(self, options: DemoOptions, log: Callable[[str], None] | None = None):
        if options.associations < 1 or options.volunteers < 1:
            raise ValueError("At least one association and one volunteer are needed.")
        if options.missions < 0 or options.companies < 0:
            raise ValueError("Counts cannot be negative.")
        self.o = options
        self.rng = random.Random(options.seed)
        self.log = log or (lambda message: None)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.result = DemoResult(created=True, accounts=list(DEMO_ACCOUNTS))
        self.backdated: list[tuple[models.Model, datetime.datetime]] = []
        self.users: list = []
        self.used_emails: set[str] = set()
        self._last_tick = time.perf_counter()

    # --- plumbing ----------------------------------------------------------------------

    def _tick(self, label: str) -> None:
        now = time.perf_counter()
        self.result.timings.append((label, now - self._last_tick))
        self.log(f"  {label}: {now - self._last_tick:.1f} s")
        self._last_tick = now

    def _bulk(
        self, model, objects: list, label: str | None = None, key: str = "", pks: bool = True
    ) -> None:
        """Insert ``objects``, setting their pks unless ``pks`` is False.

        On PostgreSQL, big tables go through COPY when their pks are not needed or can be
        read back through ``key``, a unique column.
        """
        copy_ok = key or not pks
        if copy_ok and connection.vendor == "postgresql" and len(objects) >= COPY_THRESHOLD:
            self._copy(model, objects, key)
        else:
            model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        label = label or model._meta.label
        self.result.counts[label] = self.result.counts.get(label, 0) + len(objects)

    def _insert_rows(self, model, fields: Sequence[str], rows: list[tuple], label: str = ""):
        """Insert plain tuples (``fields`` are attnames), skipping model instances when
        PostgreSQL's COPY can take them: for the big tables whose pks nobody needs.

        COPY bypasses the model, and the database has no defaults of its own: the other
        columns get their field's default (automatic dates: now), as an INSERT would."""
        if connection.vendor == "postgresql" and len(rows) >= COPY_THRESHOLD:
            meta = model._meta
            given = [meta.get_field(name) for name in fields]
            others = [
                f
                for f in meta.concrete_fields
                if f not in given and not (f.primary_key and f.auto_created)
            ]
            defaults = []
            for f in others:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    defaults.append(lambda now=self.now: now)
                elif isinstance(f, models.JSONField):
                    defaults.append(lambda f=f: json.dumps(f.get_default(), cls=f.encoder))
                else:
                    defaults.append(f.get_default)
            qn = connection.ops.quote_name
            columns = ", ".join(qn(f.column) for f in given + others)
            sql = f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row((*row, *(default() for default in defaults)))
            label = label or model._meta.label
            self.result.counts[label] = self.result.counts.get(label, 0) + len(rows)
        else:
            objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
            self._bulk(model, objects, label or None, pks=False)

    def _copy(self, model, objects: list, key: str) -> None:
        """PostgreSQL's COPY: several times faster than INSERT for the big tables.

        It skips ``Field.pre_save``, so automatic dates are filled in here.
        """
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not (f.primary_key and f.auto_created)]
        if not meta.pk.auto_created:
            raise ValueError(f"COPY needs an automatic primary key ({meta.label}).")
        getters = []
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                getters.append(lambda obj, now=self.now: now)
            elif isinstance(f, models.JSONField):
                getters.append(
                    lambda obj, name=f.attname, enc=f.encoder: json.dumps(
                        getattr(obj, name), cls=enc
                    )
                )
            else:
                getters.append(operator.attrgetter(f.attname))
        qn = connection.ops.quote_name
        sql = f"COPY {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) FROM STDIN"
        last_pk = model.objects.aggregate(last=models.Max("pk"))["last"] or 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for obj in objects:
                # Copies the pks of related objects saved since (as bulk_create does).
                obj._prepare_related_fields_for_save(operation_name="bulk_create")
                copy.write_row([get(obj) for get in getters])
        if key:
            pks = dict(model.objects.filter(pk__gt=last_pk).values_list(key, "pk"))
            for obj in objects:
                obj.pk = pks[getattr(obj, key)]

    def _days_ago(self, low: int, high: int) -> datetime.datetime:
        return self.now - datetime.timedelta(
            days=self.rng.randint(low, high), minutes=self.rng.randint(0, 24 * 60 - 1)
        )

    def _email(self, first: str, last: str, domain: str) -> str:
        base = f"{ascii_slug(first)}.{ascii_slug(last)}"
        email = f"{base}@{domain}"
        n = 1
        while email in self.used_emails:
            n += 1
            email = f"{base}{n}@{domain}"
        self.used_emails.add(email)
        return email

    def _person(self) -> tuple[str, str, bool]:
        female = self.rng.random() < 0.5
        first = self.rng.choice(self.first_names_f if female else self.first_names_m)
        return first, self.rng.choice(self.last_names), female

    def _user(self, first: str, last: str, email: str, **extra):
        """A user to bulk-insert; ``signup_role`` says what they signed up as (blank for
        staff), ``language`` is drawn (3 % English) unless given."""
        date_joined = extra.pop("date_joined", None) or self._days_ago(30, 900)
        drawn = "en" if self.rng.random() < 0.03 else "fr"
        user = self.User(
            email=email,
            first_name=first,
            last_name=last,
            password=self.password,
            date_joined=date_joined,
            language=extra.pop("language", drawn),
            **extra,
        )
        self.users.append(user)
        return user

    # --- the run -----------------------------------------------------------------------

    def run(self) -> DemoResult:
        started = time.perf_counter()
        with _quietly(), transaction.atomic():
            self._prepare()
            self._tick("pools and reference data")
            self._companies()
            self._tick("companies")
            self._associations()
            self._tick("associations")
            self._volunteers()
            self._tick("volunteers")
            self._programmes()
            self._missions()
            self._tick("missions")
            self._applications()
            self._tick("applications")
            self._hours_and_evaluations()
            self._tick("hours and evaluations")
            self._company_settings()
            self._company_track_record()
            self._company_approvals()
            self._event_registrations()
            self._tick("company settings and event registrations")
            self._staff()
            self._story_accounts()
            self._email_addresses()
            self._tick("staff and e-mail addresses")
            before = self._story_counts()
            self._stories()
        # After the commit: the notifications heard from the audit log are there too
        # (when tasks run in-process).
        first_steps: dict = {}
        for target, when in self.backdated:
            first_steps.setdefault((type(target), target.pk), (target, when))
        self._realign_notifications(list(first_steps.values()))
        for label, count in self._story_counts().items():
            if count != before[label]:
                self.result.counts[label] = self.result.counts.get(label, 0) + count - before[label]
        self._tick("stories (through the services)")
        self.result.seconds = time.perf_counter() - started
        return self.result

    def _prepare(self) -> None:
        from faker import Faker

        from associations.models import Association
        from companies.models import Company, CompanyDomain
        from taxonomy.models import Cause, Departement, Region, Skill

        self.User = get_user_model()
        self.password = make_password(DEMO_PASSWORD)
        fake = Faker("fr_FR")
        fake.seed_instance(self.o.seed)
        self.first_names_m = sorted({fake.first_name_male() for _ in range(1500)})
        self.first_names_f = sorted({fake.first_name_female() for _ in range(1500)})
        self.last_names = sorted({fake.last_name() for _ in range(3000)})
        self.streets = [
            f"{self.rng.randint(1, 120)} {self.rng.choice(STREET_WORDS)} {fake.last_name()}"
            for _ in range(300)
        ] + [fake.street_address().replace("\n", " ") for _ in range(300)]

        self.skills = {s.code: s for s in Skill.objects.select_related("family").order_by("code")}
        self.skill_family = {code: s.family.code for code, s in self.skills.items()}
        self.family_skills: dict[str, list[str]] = {}
        for code, family in self.skill_family.items():
            self.family_skills.setdefault(family, []).append(code)
        self.causes = {c.code: c for c in Cause.objects.order_by("code")}
        self.departements = {d.code: d for d in Departement.objects.order_by("code")}
        self.regions = {r.code: r for r in Region.objects.order_by("code")}
        missing = {
            code
            for templates in MISSION_TEMPLATES.values()
            for t in templates
            for code in t.required + t.nice
        } | {code for occs in OCCUPATIONS.values() for o in occs for code in o[2]}
        missing -= set(self.skills)
        if missing or not self.causes or not self.departements:
            raise RuntimeError(
                f"Reference data is missing (run migrate first): {sorted(missing)[:5]}"
            )

        self.cities = [c for c in demo_cities() if c.departement in self.departements]
        # Big cities weigh a little more than their population: that is where most
        # associations and corporate volunteers are.
        self.city_weights = [c.population**1.15 for c in self.cities]
        cumulative, total = [], 0.0
        for weight in self.city_weights:
            total += weight
            cumulative.append(total)
        self.city_cumulative = cumulative

        self.used_emails = {
            email.lower() for email in self.User.objects.values_list("email", flat=True)
        }
        self.used_slugs = {
            "association": set(Association.objects.values_list("slug", flat=True)),
            "company": set(Company.objects.values_list("slug", flat=True)),
        }
        self.used_domains = set(CompanyDomain.objects.values_list("domain", flat=True))
        self.cause_codes = list(CAUSE_PROFILES)
        self.cause_weights = [CAUSE_PROFILES[c][0] for c in self.cause_codes]
        self.templates_by_format: dict[str, list[MissionTemplate]] = {}
        for templates in MISSION_TEMPLATES.values():
            for template in templates:
                self.templates_by_format.setdefault(template.format, []).append(template)
        self.family_codes = list(FAMILY_WEIGHTS)
        self.family_weights = [FAMILY_WEIGHTS[f] for f in self.family_codes]

    def _pick_cities(self, k: int) -> list[City]:
        return self.rng.choices(self.cities, cum_weights=self.city_cumulative, k=k)

    def _city_named(self, name: str) -> City:
        return next((c for c in self.cities if c.name == name), self.cities[0])

    def _place(self, city: City) -> dict:
        return {
            "city": city.name,
            "postcode": postcode_for(city, self.rng),
            "departement": self.departements[city.departement],
            "latitude": city.latitude,
            "longitude": city.longitude,
        }

    def _slug(self, kind: str, name: str) -> str:
        base = slugify(name)[:200] or kind
        slug, n = base, 1
        while slug in self.used_slugs[kind]:
            n += 1
            slug = f"{base}-{n}"
        self.used_slugs[kind].add(slug)
        return slug

    # --- companies ---------------------------------------------------------------------

    def _companies(self) -> None:
        from companies.models import Company, CompanyDomain

        rng = self.rng
        companies, domains = [], []
        self.company_specs = []
        for i in range(self.o.companies):
            name, sector, allowance, approval, headcount = COMPANIES[i % len(COMPANIES)]
            if i >= len(COMPANIES):
                name = f"{name} {i // len(COMPANIES) + 1}"
            company = Company(
                name=name,
                slug=self._slug("company", name),
                kind=Company.Kind.COMPANY,
                siren=valid_siren(rng, rng.choice("3456")),
                yearly_allowance_hours=allowance,
                work_time_requires_approval=approval,
            )
            companies.append(company)
            self.company_specs.append((sector, headcount))
        self.foundation = None
        if companies:
            parent = companies[0]
            self.foundation = Company(
                name=f"Fondation {parent.name.split()[0]} pour l'Emploi",
                slug=self._slug("company", f"fondation-{parent.slug}"),
                kind=Company.Kind.FOUNDATION,
                siren=valid_siren(rng, "8"),
                yearly_allowance_hours=0,
                work_time_requires_approval=True,
            )
        self._bulk(Company, companies)
        if self.foundation is not None:
            self.foundation.parent = companies[0]
            self._bulk(Company, [self.foundation])
        self.companies = companies
        self.company_domain = {}
        for company in companies:
            label = ascii_slug(company.name)[:40].strip("-")
            domain, n = f"{label}.test", 1
            while domain in self.used_domains:
                n += 1
                domain = f"{label}{n}.test"
            self.used_domains.add(domain)
            self.company_domain[company.pk] = domain
            domains.append(CompanyDomain(company=company, domain=domain))
        self._bulk(CompanyDomain, domains)

    # --- associations ------------------------------------------------------------------

    def _association_states(self, k: int) -> list[str]:
        states = ["verified"] * k
        if k >= 4:
            others = (
                ["suspended"]
                + ["rejected"] * max(1, round(k * 0.05))
                + ["pending"] * max(1, round(k * 0.12))
            )
            slots = self.rng.sample(range(1, k), min(len(others), k - 1))
            for slot, state in zip(slots, others, strict=False):
                states[slot] = state
        return states

    def _associations(self) -> None:
        from associations.models import Association, AssociationMember

        rng = self.rng
        k = self.o.associations
        states = self._association_states(k)
        cities = self._pick_cities(k)
        # The demo association is in Lyon, where the demo referent works; so is the
        # first one waiting for verification.
        lyon = self._city_named("Lyon")
        cities[0] = lyon
        if "pending" in states:
            cities[states.index("pending")] = lyon
        size_bands = [b.value for b in Association.SizeBand]
        used_names: set[str] = set()
        used_rna: set[str] = set()
        associations, cause_links, admins, members = [], [], [], []
        self.association_admin: list = []
        self.association_causes: list[list[str]] = []
        for i in range(k):
            city = cities[i]
            cause = _weighted(rng, self.cause_codes, self.cause_weights)
            if i == 0:
                cause = "employment_integration"
            phrases = city_phrases(city.name)
            name = ""
            for _attempt in range(12):
                name = rng.choice(ASSOCIATION_NAMES[cause]).format(**phrases)
                if name not in used_names:
                    break
            else:
                name = f"{name} – antenne {sum(n.startswith(name) for n in used_names) + 1}"
            used_names.add(name)
            causes = [cause]
            if rng.random() < 0.6:
                causes.append(CAUSE_PROFILES[cause][3])
            if rng.random() < 0.2:
                extra = _weighted(rng, self.cause_codes, self.cause_weights)
                if extra not in causes:
                    causes.append(extra)
            self.association_causes.append(causes)

            band = _weighted(rng, size_bands, [35, 35, 18, 9, 3])
            year = min(
                self.today.year - 1,
                rng.choice([rng.randint(1901, 1980), rng.randint(1981, 2024)]),
            )
            if rng.random() < 0.75:
                year = max(year, rng.randint(1985, self.today.year - 1))
            alsace_moselle = city.departement in ("57", "67", "68")
            rna = ""
            if not alsace_moselle:
                prefix = city.departement[:2] if city.departement[:2].isdigit() else "20"
                while not rna or rna in used_rna:
                    rna = f"W{prefix}{rng.randrange(10**7):07d}"
                used_rna.add(rna)
            siret = ""
            if alsace_moselle or rng.random() < (0.3 if band == "0" else 0.75):
                siren = valid_siren(rng, rng.choice("78"))
                siret = valid_siret(siren, rng) if rng.random() < 0.7 else siren
            state = states[i]
            _weight, activity, audience, _related = CAUSE_PROFILES[cause]
            label = ascii_slug(name)[:40].strip("-")
            people = {
                "0": f"{rng.randint(8, 60)} bénévoles actifs",
                "1-9": f"{rng.randint(2, 9)} salariés et une trentaine de bénévoles",
                "10-49": f"{rng.randint(10, 49)} salariés et une centaine de bénévoles",
                "50-249": f"{rng.randint(50, 249)} salariés et plusieurs centaines de bénévoles",
                "250+": f"plus de {rng.choice([250, 300, 400])} salariés dans toute la région",
            }[band]
            summary = f"Association {city_phrases(city.name)['de_city']} qui {activity}."
            description = (
                f"Fondée en {year} {phrases['a_city']}, {name} {activity}. Elle accompagne "
                f"{audience}, avec {people}.\n\n"
                f"Nous faisons appel au pro bono pour nous structurer : nos équipes sont "
                f"mobilisées sur le terrain et nous n'avons pas les moyens de recruter sur les "
                f"fonctions support."
            )
            association = Association(
                name=name,
                slug=self._slug("association", name),
                rna=rna,
                siret=siret,
                summary=summary[:280],
                description=description,
                address=rng.choice(self.streets),
                size_band=band,
                founded_year=year,
                website=f"https://{label}.example.org" if rng.random() < 0.6 else "",
                contact_email=f"contact@{label}.example.org",
                verification_state=state,
                rejection_reason=(
                    rng.choice(REJECTION_REASONS)
                    if state == "rejected"
                    else SUSPENSION_REASON
                    if state == "suspended"
                    else ""
                ),
                verified_at=self._days_ago(20, 700) if state in ("verified", "suspended") else None,
                **self._place(city),
            )
            associations.append(association)
            first, last, _female = self._person()
            email = (
                "association@probono.test" if i == 0 else self._email(first, last, "example.org")
            )
            if i == 0:
                self.used_emails.add(email)
            admin = self._user(first, last, email, signup_role=ASSOCIATION_ROLE)
            if i == 0:
                admin.language = "fr"
            admins.append(admin)
            if rng.random() < 0.25:
                first, last, _female = self._person()
                email = self._email(first, last, "example.org")
                members.append((i, self._user(first, last, email, signup_role=ASSOCIATION_ROLE)))
        self._bulk(self.User, admins + [user for _i, user in members], "accounts.User")
        self._bulk(Association, associations)
        through = Association.causes.through
        for association, causes in zip(associations, self.association_causes, strict=True):
            for code in causes:
                cause_links.append(
                    through(association_id=association.pk, cause_id=self.causes[code].pk)
                )
        self._bulk(through, cause_links, "associations.Association_causes", pks=False)
        self._bulk(
            AssociationMember,
            [
                AssociationMember(association=a, user=u, role=AssociationMember.Role.ADMIN)
                for a, u in zip(associations, admins, strict=True)
            ]
            + [
                AssociationMember(association=associations[i], user=u, role="member")
                for i, u in members
            ],
            pks=False,
        )
        self.associations = associations
        self.association_admin = admins

    # --- volunteers --------------------------------------------------------------------

    def _volunteers(self) -> None:
        from companies.models import CompanyMember
        from volunteers.models import VolunteerProfile, VolunteerSkill

        rng = self.rng
        n = self.o.volunteers
        cities = self._pick_cities(n)
        cities[:FIRST_DRAWN_VOLUNTEER] = [self._city_named("Lyon")] * min(n, FIRST_DRAWN_VOLUNTEER)
        headcounts = [spec[1] for spec in self.company_specs]
        seniorities = ["junior", "experienced", "senior", "retiree"]
        language_sets = [
            ["fr"],
            ["fr", "en"],
            ["fr", "en", "es"],
            ["fr", "ar"],
            ["fr", "en", "de"],
            ["fr", "pt"],
            ["fr", "it"],
            ["fr", "uk", "ru"],
            ["fr", "fsl"],
        ]
        language_weights = [78, 14, 3, 2, 1, 1, 0.5, 0.3, 0.2]
        slot_sets = [
            ["weekday_evening"],
            ["weekday_evening", "weekend"],
            ["weekend"],
            ["weekday_daytime"],
            ["weekday_daytime", "weekday_evening"],
            ["weekday_daytime", "weekday_evening", "weekend"],
        ]
        profiles, users, skill_rows, cause_rows = [], [], [], []
        employees: list[tuple[int, int]] = []  # (profile index, company index)
        self.volunteer_families: list[set[str]] = []
        self.volunteer_employer: list[int | None] = []
        self.volunteer_departement: list[str] = []
        for i in range(n):
            city = cities[i]
            family = _weighted(rng, self.family_codes, self.family_weights)
            masc, fem, core = rng.choice(OCCUPATIONS[family])
            seniority = _weighted(rng, seniorities, [20, 35, 25, 20])
            if i == 0:
                family, (masc, fem, core), seniority = "data", OCCUPATIONS["data"][0], "experienced"
            first, last, female = self._person()
            title = fem if female else masc
            employer = None
            if self.companies and seniority != "retiree" and (i == 0 or rng.random() < 0.5):
                employer = 0 if i == 0 else _weighted(rng, range(len(self.companies)), headcounts)
            years = {
                "junior": rng.randint(1, 4),
                "experienced": rng.randint(5, 15),
                "senior": rng.randint(16, 30),
                "retiree": rng.randint(25, 40),
            }[seniority]
            if seniority == "retiree":
                headline = f"{title} retraité{'e' if female else ''}"
            elif seniority == "senior" and rng.random() < 0.5:
                headline = f"{title} senior"
            else:
                headline = title
            if i == 1:
                # The English-speaking volunteer is independent: no employer, no work time.
                employer = None
            if employer is not None and rng.random() < 0.5:
                headline = f"{headline} chez {self.companies[employer].name}"
            elif seniority != "junior" and rng.random() < 0.3:
                headline = f"{headline}, {years} ans d'expérience"
            field_name = self.skills[core[0]].name_fr.lower()
            bio = (
                f"{rng.choice(BIO_OPENINGS).format(years=years, field=field_name)} "
                f"{rng.choice(BIO_MOTIVATIONS)}"
            )

            # Skills: mostly from the occupation's family, sometimes one neighbour family.
            chosen = list(dict.fromkeys(rng.sample(core, min(len(core), rng.randint(2, 3)))))
            pool = [s for s in self.family_skills[family] if s not in chosen]
            target = rng.choices([2, 3, 4, 5, 6], weights=[15, 30, 30, 15, 10])[0]
            while len(chosen) < target - 1 and pool:
                chosen.append(pool.pop(rng.randrange(len(pool))))
            if rng.random() < 0.45 or len(chosen) < 2:
                neighbour = rng.choice(NEIGHBOUR_FAMILIES[family])
                extra = [s for s in self.family_skills[neighbour] if s not in chosen]
                chosen.extend(rng.sample(extra, min(len(extra), rng.randint(1, 2))))
            base_level = {"junior": 2, "experienced": 3, "senior": 3, "retiree": 3}[seniority]
            families = set()
            for position, code in enumerate(chosen[:6]):
                own = self.skill_family[code] == family
                level = base_level + (1 if own and position == 0 and seniority != "junior" else 0)
                level -= 0 if own else rng.randint(0, 1)
                level = max(1, min(4, level + rng.choice([-1, 0, 0, 0, 1])))
                skill_rows.append((i, self.skills[code].pk, level))
                families.add(self.skill_family[code])
            self.volunteer_families.append(families)

            causes = rng.sample(self.cause_codes, rng.randint(1, 3))
            for code in causes:
                cause_rows.append((i, self.causes[code].pk))

            retiree = seniority == "retiree"
            hours = rng.choice(
                [4, 6, 8, 10, 12, 16, 20, 30] if retiree else [2, 4, 4, 6, 8, 10, 12]
            )
            remote = rng.random() < 0.85
            on_site = rng.random() < (0.8 if retiree else 0.6)
            hybrid = rng.random() < 0.7
            if not (remote or on_site or hybrid):
                remote = True
            available_from = (
                self.today + datetime.timedelta(days=rng.randint(0, 60))
                if rng.random() < 0.2
                else None
            )
            available_until = (
                (available_from or self.today) + datetime.timedelta(days=rng.randint(90, 365))
                if rng.random() < 0.1
                else None
            )
            slots = rng.choice(slot_sets)
            if retiree and "weekday_daytime" not in slots:
                slots = ["weekday_daytime", *slots]
            if employer is not None:
                domain = self.company_domain[self.companies[employer].pk]
            else:
                domain = rng.choice(("example.org", "example.net", "example.com"))
            if i == 0:
                email = "benevole@probono.test"
            elif i == 1:
                email = ENGLISH_VOLUNTEER_EMAIL
            else:
                email = self._email(first, last, domain)
            user = self._user(first, last, email, signup_role=VOLUNTEER_ROLE)
            if i <= 1:
                user.language = "fr" if i == 0 else "en"
            users.append(user)
            profiles.append(
                VolunteerProfile(
                    user=user,
                    headline=headline[:160],
                    bio=bio,
                    occupation=title,
                    seniority=seniority,
                    hours_per_month=hours,
                    available_from=available_from,
                    available_until=available_until,
                    time_slots=slots,
                    accepts_remote=remote,
                    accepts_on_site=on_site,
                    accepts_hybrid=hybrid,
                    max_distance_km=rng.choice([5, 10, 20, 20, 30, 30, 50, 100, 200]),
                    languages=(
                        ["en", "fr"]
                        if i == 1
                        else list(_weighted(rng, language_sets, language_weights))
                    ),
                    employer=self.companies[employer] if employer is not None else None,
                    is_visible=i < FIRST_DRAWN_VOLUNTEER or rng.random() < 0.95,
                    **self._place(city),
                )
            )
            self.volunteer_employer.append(employer)
            self.volunteer_departement.append(city.departement)
            if employer is not None:
                employees.append((i, employer))
        self._bulk(self.User, users, "accounts.User", key="email")
        self._bulk(VolunteerProfile, profiles, key="user_id")
        self._insert_rows(
            VolunteerSkill,
            ("profile_id", "skill_id", "level"),
            [(profiles[i].pk, skill_id, level) for i, skill_id, level in skill_rows],
        )
        self._insert_rows(
            VolunteerProfile.causes.through,
            ("volunteerprofile_id", "cause_id"),
            [(profiles[i].pk, cause_id) for i, cause_id in cause_rows],
            "volunteers.VolunteerProfile_causes",
        )
        self.profiles = profiles

        # Company people: employees (the volunteers above), managers and programme admins.
        staff = []  # (company, user, role)
        per_company = Counter(company_index for _i, company_index in employees)
        self.programme_admins: dict[int, object] = {}
        for index, company in enumerate(self.companies):
            domain = self.company_domain[company.pk]
            managers = max(1, min(25, round(per_company[index] / 150)))
            for m in range(managers + 1):
                first, last, _female = self._person()
                if index == 0 and m == 0:
                    email = "entreprise@probono.test"
                    self.used_emails.add(email)
                else:
                    email = self._email(first, last, domain)
                user = self._user(first, last, email, signup_role=COMPANY_ROLE)
                if index == 0 and m == 0:
                    user.language = "fr"
                role = CompanyMember.Role.PROGRAMME_ADMIN if m == 0 else CompanyMember.Role.MANAGER
                staff.append((company, user, role))
                if m == 0:
                    self.programme_admins[company.pk] = user
        if self.foundation is not None:
            first, last, _female = self._person()
            domain = self.company_domain[self.companies[0].pk]
            email = self._email(first, last, domain)
            user = self._user(first, last, email, signup_role=COMPANY_ROLE)
            staff.append((self.foundation, user, CompanyMember.Role.PROGRAMME_ADMIN))
        self._bulk(self.User, [user for _c, user, _r in staff], "accounts.User")
        members = [
            (
                self.companies[company_index].pk,
                users[i].pk,
                CompanyMember.Role.EMPLOYEE.value,
                rng.choice([7, 35, 70]) if rng.random() < 0.04 else None,
                self.now,
            )
            for i, company_index in employees
        ] + [(company.pk, user.pk, role.value, None, self.now) for company, user, role in staff]
        self._insert_rows(
            CompanyMember,
            ("company_id", "user_id", "role", "allowance_hours_override", "joined_at"),
            members,
        )

        # Who can be picked for a mission: by skill family, and by family and département.
        self.family_pool: dict[str, list[int]] = {}
        self.local_pool: dict[tuple[str, str], list[int]] = {}
        for i in range(FIRST_DRAWN_VOLUNTEER, n):
            for family in self.volunteer_families[i]:
                self.family_pool.setdefault(family, []).append(i)
                self.local_pool.setdefault((family, self.volunteer_departement[i]), []).append(i)

    # --- programmes --------------------------------------------------------------------

    def _programmes(self) -> None:
        from companies.models import Programme

        self.programmes: dict[str, object] = {}
        if not self.companies:
            return
        today = self.today
        year = today.year
        specs = []
        if self.foundation is not None:
            specs.append(
                (
                    "factory",
                    self.foundation,
                    "Probono Factory Emploi – Rhône",
                    Programme.Kind.FACTORY,
                    "Une mobilisation de six mois autour d'une cause : lever les freins à "
                    "l'emploi dans le Rhône, avec les associations d'insertion du territoire.",
                    today - datetime.timedelta(days=60),
                    today + datetime.timedelta(days=120),
                    600,
                )
            )
        specs.append(
            (
                "week",
                self.companies[0],
                f"Semaine du pro bono {(today + datetime.timedelta(days=40)).year}",
                Programme.Kind.WEEK,
                "Une semaine pendant laquelle chaque salarié peut consacrer une journée à une "
                "association.",
                today + datetime.timedelta(days=40),
                today + datetime.timedelta(days=46),
                None,
            )
        )
        if len(self.companies) > 1:
            start = today + datetime.timedelta(days=25)
            specs.append(
                (
                    "marathon",
                    self.companies[1],
                    f"Probono Marathon {self.companies[1].name.split()[0]}",
                    Programme.Kind.MARATHON,
                    "Une journée intensive : des équipes de salariés relèvent chacune le défi "
                    "d'une association.",
                    start,
                    start,
                    400,
                )
            )
        if len(self.companies) > 2:
            specs.append(
                (
                    "end_of_career",
                    self.companies[2],
                    "Mécénat de fin de carrière",
                    Programme.Kind.END_OF_CAREER,
                    "Les salariés à moins de trois ans de la retraite peuvent consacrer jusqu'à "
                    "la moitié de leur temps à une association.",
                    today - datetime.timedelta(days=200),
                    today + datetime.timedelta(days=530),
                    None,
                )
            )
        if len(self.companies) > 3:
            specs.append(
                (
                    "campaign",
                    self.companies[3],
                    "Campagne annuelle : inclusion numérique",
                    Programme.Kind.CAMPAIGN,
                    "Toute l'année, des missions pour réduire la fracture numérique.",
                    datetime.date(year, 1, 1),
                    datetime.date(year, 12, 31),
                    1000,
                )
            )
        programmes = []
        for key, company, name, kind, description, starts, ends, budget in specs:
            programme = Programme(
                company=company,
                name=name,
                kind=kind,
                description=description,
                starts_on=starts,
                ends_on=ends,
                hours_budget=budget,
            )
            programmes.append(programme)
            self.programmes[key] = programme
        self._bulk(Programme, programmes)
        if "factory" in self.programmes:
            factory = self.programmes["factory"]
            factory.causes.set([self.causes["employment_integration"]])
            factory.departements.set([self.departements["69"]])
        if "campaign" in self.programmes:
            self.programmes["campaign"].causes.set([self.causes["digital_inclusion"]])
        if "marathon" in self.programmes:
            verified = [a for a in self.associations if a.verification_state == "verified"]
            self.programmes["marathon"].invited_associations.set(verified[:8])

    # --- company settings, sites, cost bands; event registrations ---------------------

    def _company_settings(self) -> None:
        """What the reports need: hourly costs, turnover, sites, cost bands, managers;
        one company approves small missions automatically, one counts a fiscal year."""
        from companies.models import Company, CompanyMember, CostBand

        costs = [Decimal("62"), Decimal("71"), Decimal("58"), Decimal("66"), Decimal("54")]
        sites = ["Paris – La Défense", "Lyon Part-Dieu", "Nantes", "Lille"]
        for i, company in enumerate(self.companies):
            headcount = self.company_specs[i][1]
            company.loaded_hourly_cost = costs[i % len(costs)]
            company.annual_turnover = Decimal(headcount) * Decimal("2500000")
            company.verified_at = self.now
            company.auto_approval_max_hours = 8 if i == 1 else None
            company.year_start_month = 9 if i == 2 else 1
        Company.objects.bulk_update(
            self.companies,
            [
                "loaded_hourly_cost",
                "annual_turnover",
                "verified_at",
                "auto_approval_max_hours",
                "year_start_month",
            ],
        )
        if self.foundation is not None:
            Company.objects.filter(pk=self.foundation.pk).update(verified_at=self.now)
        if not self.companies:
            return
        first = self.companies[0]
        bands = [
            CostBand(company=first, name="Cadres", hourly_cost=Decimal("74")),
            CostBand(company=first, name="Experts et direction", hourly_cost=Decimal("112")),
        ]
        self._bulk(CostBand, bands)
        members = list(
            CompanyMember.objects.filter(company__in=self.companies).order_by("company_id", "pk")
        )
        managers: dict[int, list[int]] = {}
        for member in members:
            if member.role == CompanyMember.Role.MANAGER:
                managers.setdefault(member.company_id, []).append(member.user_id)
        for n, member in enumerate(members):
            member.site = sites[n % len(sites)]
            if member.company_id == first.pk and member.role == CompanyMember.Role.EMPLOYEE:
                member.cost_band = bands[1] if n % 7 == 0 else bands[0] if n % 3 == 0 else None
                pool = managers.get(first.pk, [])
                member.manager_id = pool[n % len(pool)] if pool and n % 2 == 0 else None
        CompanyMember.objects.bulk_update(members, ["site", "cost_band", "manager"], 2000)

    def _company_track_record(self) -> None:
        """Past work-time engagements of the first two companies' employees on completed
        missions, with validated hours and evaluations, so that their impact reports show
        real numbers. A mission gets a seat more for each engagement added to it."""
        from missions.models import Application, Evaluation, HoursEntry, Mission
        from volunteers.models import VolunteerProfile

        rng = self.rng
        missions = list(
            Mission.objects.filter(state=Mission.State.COMPLETED)
            .select_related("association")
            .order_by("pk")
        )
        if not missions:
            return
        taken = set(Application.objects.values_list("volunteer_id", "mission_id"))
        admins = dict(zip([a.pk for a in self.associations], self.association_admin, strict=False))
        added: list = []
        for company, wanted in zip(self.companies[:2], (14, 10), strict=False):
            employees = list(
                VolunteerProfile.objects.filter(employer=company)
                .exclude(pk__in=[p.pk for p in self.profiles[:FIRST_DRAWN_VOLUNTEER]])
                .select_related("user")
                .order_by("pk")[:wanted]
            )
            for n, profile in enumerate(employees):
                mission = missions[(n * 3 + len(added)) % len(missions)]
                if (profile.pk, mission.pk) in taken:
                    continue
                taken.add((profile.pk, mission.pk))
                added.append(
                    Application(
                        mission=mission,
                        volunteer=profile,
                        origin=rng.choice(["applied", "suggested", "applied"]),
                        state=Application.State.COMPLETED,
                        is_work_time=True,
                        approval_state=Application.Approval.APPROVED,
                        planned_hours=rng.choice([8, 12, 16]),
                        decided_at=self.now,
                    )
                )
        if not added:
            return
        self._bulk(Application, added)
        extra = Counter(a.mission.pk for a in added)
        for mission in missions:
            if extra[mission.pk]:
                mission.seats = min(100, mission.seats + extra[mission.pk])
        Mission.objects.bulk_update([m for m in missions if extra[m.pk]], ["seats"])
        hours, evaluations = [], []
        for application in added:
            mission = application.mission
            last = min(mission.end_date or self.today, self.today)
            first = max(mission.start_date or last, last - datetime.timedelta(days=300))
            span = max(0, (last - first).days)
            for _ in range(rng.randint(2, 4)):
                hours.append(
                    HoursEntry(
                        application=application,
                        date=first + datetime.timedelta(days=rng.randint(0, span)),
                        hours=Decimal(rng.choice(["1.5", "2", "2.5", "3", "4"])),
                        description=rng.choice(HOURS_DESCRIPTIONS),
                        state=HoursEntry.State.VALIDATED,
                    )
                )
            rating = _weighted(rng, [5, 4, 3, 2], [45, 35, 15, 5])
            objectives = "met" if rating >= 4 else "partly" if rating >= 3 else "not_met"
            if rng.random() < 0.85:
                skills, autonomy, comment = rng.choice(EVALUATION_ASSOCIATION)
                evaluations.append(
                    Evaluation(
                        application=application,
                        side=Evaluation.Side.ASSOCIATION,
                        author=admins.get(mission.association.pk),
                        rating=rating,
                        objectives=objectives,
                        skills_transferred=skills,
                        autonomy_gained=autonomy,
                        can_continue_alone=_weighted(rng, [True, False, None], [60, 30, 10]),
                        comment=comment,
                    )
                )
        self._bulk(HoursEntry, hours, pks=False)
        self._bulk(Evaluation, evaluations, pks=False)

    def _company_approvals(self) -> None:
        """Whatever the draws gave, the first two companies (both with a programme and a
        track record) have a work-time application waiting for their approval and one
        they refused, so that every approval state shows on their pages and reports.
        On open missions of other associations than the demo one, by employees other
        than the listed volunteers; neither takes a seat."""
        from missions.models import Application, Mission
        from volunteers.models import VolunteerProfile

        rng = self.rng
        A = Application
        missions = [
            mission
            for mission in Mission.objects.published()
            .exclude(association=self.associations[0])
            .order_by("pk")
            if mission.is_open_for_applications(self.today)
        ]
        if not missions:
            return
        listed = [p.pk for p in self.profiles[:FIRST_DRAWN_VOLUNTEER]]
        taken = set(Application.objects.values_list("volunteer_id", "mission_id"))
        added = []
        for company in self.companies[:2]:
            if not company.work_time_requires_approval:
                continue
            # Small enough missions are approved automatically: never asked, never refused.
            limit = company.auto_approval_max_hours
            eligible = [m for m in missions if not limit or m.effort_hours > limit]
            if not eligible:
                continue
            employees = list(
                VolunteerProfile.objects.filter(employer=company)
                .exclude(pk__in=listed)
                .order_by("-pk")
                .values_list("pk", flat=True)
            )
            used: set[int] = set()
            for approval in (A.Approval.PENDING, A.Approval.REFUSED):
                shift = len(added)
                rotated = eligible[shift % len(eligible) :] + eligible[: shift % len(eligible)]
                pair = next(
                    (
                        (volunteer, mission)
                        for mission in rotated
                        for volunteer in employees
                        if volunteer not in used and (volunteer, mission.pk) not in taken
                    ),
                    None,
                )
                if pair is None:
                    continue
                volunteer, mission = pair
                used.add(volunteer)
                taken.add((volunteer, mission.pk))
                refused = approval == A.Approval.REFUSED
                added.append(
                    Application(
                        mission=mission,
                        volunteer_id=volunteer,
                        origin="applied",
                        message=rng.choice(APPLICATION_MESSAGES),
                        # Refused, the volunteer withdrew: that is the reason given.
                        state=A.State.WITHDRAWN if refused else A.State.APPLIED,
                        withdrawal_reason="approval_refused" if refused else "",
                        state_message=rng.choice(APPROVAL_REFUSAL_REASONS) if refused else "",
                        is_work_time=True,
                        approval_state=approval,
                    )
                )
        self._bulk(Application, added)

    def _event_registrations(self) -> None:
        """The marathon's employees register; its teams are left for staff to compute."""
        from companies.models import ProgrammeRegistration
        from volunteers.models import VolunteerProfile

        marathon = self.programmes.get("marathon")
        if marathon is None:
            return
        profiles = list(
            VolunteerProfile.objects.filter(employer=marathon.company_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:16]
        )
        self._bulk(
            ProgrammeRegistration,
            [ProgrammeRegistration(programme=marathon, volunteer_id=pk) for pk in profiles],
        )

    # --- missions ----------------------------------------------------------------------

    def _mission_states(self, m: int) -> list[str]:
        weights = {
            "published": 0.55,
            "draft": 0.08,
            "submitted": 0.07,
            "in_progress": 0.12,
            "completed": 0.10,
            "cancelled": 0.04,
            "expired": 0.04,
        }
        counts = {s: (max(1, round(m * w)) if m >= len(weights) else 0) for s, w in weights.items()}
        counts["published"] += m - sum(counts.values())
        while counts["published"] < 1 and m >= len(weights):
            largest = max((s for s in counts if s != "published"), key=counts.get)
            counts[largest] -= 1
            counts["published"] += 1
        if m < len(weights):
            cycle = ["published", "in_progress", "completed", "draft", "submitted", "expired"]
            return [cycle[i % len(cycle)] for i in range(m)]
        states = [s for s, c in counts.items() for _ in range(c)]
        self.rng.shuffle(states)
        # The demo association gets one mission in each interesting state, first.
        wanted = DEMO_MISSION_STATES
        front = []
        for state in wanted[: max(1, min(len(wanted), m // 8))]:
            if state in states:
                states.remove(state)
                front.append(state)
        self.demo_mission_count = len(front)
        return front + states

    def _dates(self, state: str, fmt: str) -> dict:
        rng, today = self.rng, self.today
        day = datetime.timedelta(days=1)
        if fmt == "mission":
            duration = 7 * rng.randint(4, 16)
        elif fmt == "mentoring":
            duration = 7 * rng.randint(24, 26)
        elif fmt == "marathon":
            duration = rng.choice([0, 1])
        else:
            duration = 0
        published_at = None
        if state in ("draft", "submitted"):
            start = today + rng.randint(20, 120) * day
            deadline = max(today + 3 * day, start - rng.randint(7, 14) * day)
        elif state in ("published", "cancelled"):
            start = today + rng.randint(7, 120) * day
            deadline = min(start, today + rng.randint(1, 60) * day)
            published_at = self._days_ago(1, 60)
            if rng.random() < 0.2:
                deadline = None
        elif state == "in_progress" and fmt in ("marathon", "workshop"):
            start = today - duration * day  # happening today
            deadline = start - rng.randint(5, 15) * day
            published_at = self._days_ago(
                (today - deadline).days + 10, (today - deadline).days + 60
            )
        elif state == "in_progress":
            start = today - rng.randint(7, 70) * day
            duration = max(duration, (today - start).days + rng.randint(7, 90))
            deadline = start - rng.randint(5, 15) * day
            published_at = self._days_ago(
                (today - deadline).days + 10, (today - deadline).days + 60
            )
        elif state == "completed":
            end = today - rng.randint(7, 200) * day
            start = end - duration * day
            deadline = start - rng.randint(7, 20) * day
            published_at = self._days_ago(
                (today - deadline).days + 10, (today - deadline).days + 60
            )
        else:  # expired
            deadline = today - rng.randint(3, 45) * day
            start = deadline + rng.randint(3, 20) * day
            published_at = self._days_ago(
                (today - deadline).days + 15, (today - deadline).days + 60
            )
        end = start + duration * day
        return {
            "start_date": start,
            "end_date": end,
            "application_deadline": deadline,
            "published_at": published_at,
        }

    def _missions(self) -> None:
        from missions.models import Mission, MissionSkill

        rng = self.rng
        m = self.o.missions
        self.demo_mission_count = 0
        states = self._mission_states(m)
        verified = [
            i for i, a in enumerate(self.associations) if a.verification_state == "verified"
        ]
        drafting = [
            i for i, a in enumerate(self.associations) if a.verification_state != "rejected"
        ]
        band_weight = {"0": 1, "1-9": 2, "10-49": 3, "50-249": 4, "250+": 5}
        verified_w = [band_weight[self.associations[i].size_band] for i in verified]
        drafting_w = [band_weight[self.associations[i].size_band] for i in drafting]
        missions, skill_rows = [], []
        self.mission_family: list[str] = []
        for index, state in enumerate(states):
            if index < self.demo_mission_count:
                a_index = 0
            elif state == "draft":
                a_index = _weighted(rng, drafting, drafting_w)
            else:
                a_index = _weighted(rng, verified, verified_w)
            association = self.associations[a_index]
            causes = self.association_causes[a_index]
            family = _weighted(rng, self.family_codes, self.family_weights)
            if causes[0] == "food_aid" and rng.random() < 0.3:
                family = "logistics"
            # Mentoring and workshops come from their own templates; other templates are
            # scoped missions or marathon challenges. The demo association shows every format.
            forced = DEMO_FORMATS[index] if index < self.demo_mission_count else ""
            if forced in ("mentoring", "workshop"):
                template = rng.choice(self.templates_by_format[forced])
                family = self.skill_family[template.required[0]]
            else:
                template = rng.choice(MISSION_TEMPLATES[family])
            fmt = forced or template.format or _weighted(rng, ["mission", "marathon"], [86, 14])
            if fmt == "marathon":
                mode = _weighted(rng, ["on_site", "hybrid", "remote"], [70, 20, 10])
            elif fmt == "workshop":
                mode = _weighted(rng, ["on_site", "remote"], [70, 30])
            else:
                mode = _weighted(rng, ["remote", "hybrid", "on_site"], [45, 30, 25])
            seats = {
                "mission": _weighted(rng, [1, 2, 3], [70, 25, 5]),
                "marathon": rng.randint(2, 3),
                "mentoring": 1,
                "workshop": rng.randint(1, 2),
            }[fmt]
            if index < self.demo_mission_count and state == "published":
                seats = 2
            dates = self._dates(state, fmt)
            weeks = max(1, ((dates["end_date"] - dates["start_date"]).days + 1) // 7)
            hours_per_week = None
            if fmt == "mission":
                hours_per_week = Decimal(rng.choice([2, 3, 4, 4, 5, 6]))
                effort = int(hours_per_week * weeks)
            elif fmt == "mentoring":
                hours_per_week = Decimal("0.5")
                effort = rng.randint(12, 24)
            elif fmt == "marathon":
                effort = 8 * (1 + (dates["end_date"] - dates["start_date"]).days)
            else:
                effort = rng.choice([2, 3, 4])
            cause = causes[0] if rng.random() < 0.7 else rng.choice(causes)
            languages = list(template.languages)
            if not languages and cause == "refugees_migrants" and rng.random() < 0.15:
                languages = [rng.choice(["ar", "uk", "en"])]
            elif not languages and rng.random() < 0.04:
                languages = ["en"]
            seniority = ""
            if fmt == "mentoring" and rng.random() < 0.5:
                seniority = rng.choice(["senior", "retiree"])
            elif rng.random() < 0.05:
                seniority = rng.choice(["junior", "experienced", "senior"])
            reason = ""
            if state == "cancelled":
                reason = rng.choice(CANCEL_REASONS)
            elif state == "draft" and rng.random() < 0.3:
                reason = rng.choice(REQUEST_CHANGES_REASONS)
            place = self._place_of(association) if mode != "remote" else {}
            programme = None
            if fmt == "marathon" and "marathon" in self.programmes and rng.random() < 0.5:
                programme = self.programmes["marathon"]
            elif (
                "factory" in self.programmes
                and cause == "employment_integration"
                and association.departement.code == "69"
            ):
                programme = self.programmes["factory"]
            elif "campaign" in self.programmes and cause == "digital_inclusion":
                programme = self.programmes["campaign"]
            fmt_sentence = {
                "mission": f"Mission d'environ {weeks} semaines, {hours_per_week} h par semaine.",
                "mentoring": "Mentorat sur six mois environ, un rendez-vous par mois.",
                "marathon": "Format Probono Marathon : une équipe pluridisciplinaire, une "
                "journée intensive.",
                "workshop": "Une session d'atelier, préparée en amont avec l'équipe.",
            }[fmt]
            where = {
                "remote": "La mission se fait entièrement à distance, avec un point en visio "
                "chaque semaine.",
                "hybrid": f"Mission hybride : quelques rendez-vous dans nos locaux "
                f"{city_phrases(association.city)['a_city']}, le reste à distance.",
                "on_site": f"La mission se déroule dans nos locaux "
                f"{city_phrases(association.city)['a_city']}.",
            }[mode]
            missions.append(
                Mission(
                    association=association,
                    title=template.title,
                    summary=template.summary,
                    description=(
                        f"{association.name} {CAUSE_PROFILES[causes[0]][1]}. {template.context}"
                        f"\n\n{fmt_sentence} {where}"
                    ),
                    deliverable=template.deliverable,
                    cause=self.causes[cause],
                    format=fmt,
                    location_mode=mode,
                    address=association.address if mode != "remote" else "",
                    effort_hours=max(1, effort),
                    hours_per_week=hours_per_week,
                    seats=seats,
                    languages=languages,
                    preferred_seniority=seniority,
                    programme=programme,
                    state=state,
                    state_reason=reason,
                    created_by=self.association_admin[a_index],
                    **dates,
                    **place,
                )
            )
            self.mission_family.append(family)
            for code in template.required:
                skill_rows.append((index, code, rng.choice([2, 3, 3]), "required"))
            nice = list(template.nice)
            if nice:
                for code in rng.sample(nice, rng.randint(0, min(2, len(nice)))):
                    skill_rows.append((index, code, rng.choice([1, 2]), "nice_to_have"))
        self._bulk(Mission, missions)
        self._bulk(
            MissionSkill,
            [
                MissionSkill(
                    mission_id=missions[i].pk,
                    skill_id=self.skills[code].pk,
                    min_level=level,
                    importance=importance,
                )
                for i, code, level, importance in skill_rows
            ],
            pks=False,
        )
        self.missions = missions

    def _place_of(self, association) -> dict:
        return {
            "city": association.city,
            "postcode": association.postcode,
            "departement": association.departement,
            "latitude": association.latitude,
            "longitude": association.longitude,
        }

    # --- applications ------------------------------------------------------------------

    def _plan(self, mission, forced: bool) -> list[str]:
        """The states of a mission's applications; never more seat-holders than seats."""
        rng, seats, state = self.rng, mission.seats, mission.state
        if state in ("draft", "submitted"):
            return []
        if state == "published":
            if forced:
                return ["accepted"] * seats + ["waitlisted", "applied", "declined", "withdrawn"]
            n = _weighted(rng, [0, 1, 2, 3, 4, 5, 6, 8], [18, 18, 17, 15, 12, 9, 6, 5])
            taken = min(seats, n, rng.randint(0, seats)) if rng.random() < 0.6 else 0
            plan = ["accepted"] * taken
            for _ in range(n - taken):
                plan.append(
                    _weighted(
                        rng,
                        ["applied", "declined", "withdrawn", "waitlisted", "abandoned"],
                        [55, 20, 14, 8 if taken == seats else 0, 3],
                    )
                )
            return plan
        if state == "in_progress":
            if forced:
                holders = ["active"] * (seats - 1) + ["accepted"] if seats > 1 else ["active"]
                return holders + ["abandoned", "declined"]
            taken = rng.randint(1, seats)
            plan = [_weighted(rng, ["active", "accepted"], [85, 15]) for _ in range(taken)]
            plan += [
                _weighted(rng, ["declined", "withdrawn", "abandoned"], [45, 35, 20])
                for _ in range(_weighted(rng, [0, 1, 2, 3], [35, 35, 20, 10]))
            ]
            return plan
        if state == "completed":
            if forced:
                return ["completed"] * seats + ["abandoned", "declined"]
            taken = rng.randint(1, seats)
            return ["completed"] * taken + [
                _weighted(rng, ["declined", "withdrawn", "abandoned"], [50, 30, 20])
                for _ in range(_weighted(rng, [0, 1, 2, 3], [40, 30, 20, 10]))
            ]
        if state == "cancelled":
            return [
                _weighted(rng, ["declined", "withdrawn", "abandoned"], [55, 25, 20])
                for _ in range(_weighted(rng, [0, 1, 2, 3, 4], [30, 25, 20, 15, 10]))
            ]
        # expired: nobody was accepted before the deadline
        return [
            _weighted(rng, ["declined", "withdrawn"], [60, 40])
            for _ in range(_weighted(rng, [0, 1, 2, 3], [40, 30, 20, 10]))
        ]

    def _candidates(self, mission_index: int, k: int) -> list[int]:
        """``k`` distinct volunteers (never the listed ones), mostly with the right skills."""
        rng, n = self.rng, self.o.volunteers
        if n <= FIRST_DRAWN_VOLUNTEER:
            return []
        mission = self.missions[mission_index]
        family = self.mission_family[mission_index]
        family_pool = self.family_pool.get(family, [])
        local_pool = (
            self.local_pool.get((family, mission.departement.code), [])
            if mission.departement is not None
            else []
        )
        k = min(k, n - FIRST_DRAWN_VOLUNTEER)
        chosen: list[int] = []
        seen: set[int] = set()
        attempts = 0
        while len(chosen) < k and attempts < 20 * k + 20:
            attempts += 1
            roll = rng.random()
            if local_pool and roll < 0.5:
                pool = local_pool
            elif family_pool and roll < 0.9:
                pool = family_pool
            else:
                pool = None
            index = (
                pool[rng.randrange(len(pool))] if pool else rng.randrange(FIRST_DRAWN_VOLUNTEER, n)
            )
            if index not in seen:
                seen.add(index)
                chosen.append(index)
        return chosen

    def _applications(self) -> None:
        from missions.models import Application

        rng = self.rng
        A = Application
        forced_done: set[str] = set()
        rows: list[tuple[int, int, str]] = []  # (mission index, volunteer index, state)
        for mi, mission in enumerate(self.missions):
            forced = mission.state not in forced_done and mission.state in (
                "published",
                "in_progress",
                "completed",
            )
            plan = self._plan(mission, forced)
            if not plan:
                continue
            forced_done.add(mission.state)
            volunteers = self._candidates(mi, len(plan))
            rows.extend((mi, v, s) for v, s in zip(volunteers, plan, strict=False))

        # The demo volunteer takes a place in a few engagements, one of each kind.
        taken_by_demo: set[int] = set()
        for wanted, mission_state in (
            ("applied", "published"),
            ("accepted", "published"),
            ("active", "in_progress"),
            ("completed", "completed"),
        ):
            for r, (mi, _v, state) in enumerate(rows):
                if (
                    state == wanted
                    and self.missions[mi].state == mission_state
                    and mi not in taken_by_demo
                ):
                    rows[r] = (mi, 0, state)
                    taken_by_demo.add(mi)
                    break

        # And one employer refusal at least, so that every approval state shows.
        refused_row = self._refusal_row(rows)

        applications = []
        for r, (mi, vi, state) in enumerate(rows):
            mission = self.missions[mi]
            employer_index = self.volunteer_employer[vi]
            company = self.companies[employer_index] if employer_index is not None else None
            work_time = company is not None and rng.random() < 0.55
            if r == refused_row:
                work_time = True
            if vi == 0:
                work_time = company is not None and state in ("applied", "active", "completed")
            if mission.state == "in_progress" and state == "accepted":
                # Still accepted after the start: only while the employer has not answered.
                if company is None or not company.work_time_requires_approval:
                    state = "active"
                else:
                    work_time = True
            approval = A.Approval.NOT_REQUIRED
            withdrawal_reason = decline_reason = ""
            message = ""
            if work_time:
                if not company.work_time_requires_approval:
                    approval = A.Approval.APPROVED
                elif mission.state == "in_progress" and state == "accepted":
                    approval = A.Approval.PENDING
                elif state in ("applied", "waitlisted"):
                    approval = _weighted(rng, [A.Approval.PENDING, A.Approval.APPROVED], [65, 35])
                    if vi == 0:
                        approval = A.Approval.PENDING
                elif state == "accepted":
                    approval = _weighted(rng, [A.Approval.PENDING, A.Approval.APPROVED], [35, 65])
                elif state == "declined":
                    approval = _weighted(rng, [A.Approval.PENDING, A.Approval.APPROVED], [50, 50])
                elif state == "withdrawn":
                    approval = _weighted(
                        rng,
                        [A.Approval.REFUSED, A.Approval.APPROVED, A.Approval.PENDING],
                        [40, 40, 20],
                    )
                    if r == refused_row:
                        approval = A.Approval.REFUSED
                else:  # active, completed, abandoned
                    approval = A.Approval.APPROVED
            if state == "declined":
                if mission.state == "cancelled":
                    decline_reason, message = "mission_changed", mission.state_reason
                elif mission.state == "expired":
                    decline_reason = "mission_filled"
                else:
                    decline_reason = _weighted(
                        rng,
                        list(DECLINE_MESSAGES),
                        [30, 25, 10, 25, 0, 10],
                    )
                    if rng.random() < 0.7:
                        message = DECLINE_MESSAGES[decline_reason]
            elif state == "withdrawn":
                if approval == A.Approval.REFUSED:
                    withdrawal_reason = "approval_refused"
                    message = rng.choice(APPROVAL_REFUSAL_REASONS)
                else:
                    withdrawal_reason = _weighted(
                        rng,
                        [
                            "no_longer_available",
                            "found_other_mission",
                            "not_as_expected",
                            "no_answer",
                            "other",
                        ],
                        [35, 25, 20, 10, 10],
                    )
                    if rng.random() < 0.6:
                        message = WITHDRAWAL_MESSAGES[withdrawal_reason]
            elif state == "abandoned":
                message = (
                    mission.state_reason
                    if mission.state == "cancelled"
                    else rng.choice(ABANDON_MESSAGES)
                )
            planned = None
            if approval == A.Approval.APPROVED:
                planned = max(1, min(mission.effort_hours // mission.seats + 1, 70))
            decided = None
            if state not in ("applied", "waitlisted", "withdrawn") and mission.published_at:
                span = max(1, int((self.now - mission.published_at).total_seconds()))
                decided = mission.published_at + datetime.timedelta(
                    seconds=rng.randint(span // 10, max(span // 10 + 1, span // 2))
                )
            applications.append(
                Application(
                    mission=mission,
                    volunteer=self.profiles[vi],
                    origin=_weighted(
                        rng, ["applied", "suggested", "invited", "staff"], [75, 15, 8, 2]
                    ),
                    message=rng.choice(APPLICATION_MESSAGES),
                    state=state,
                    decline_reason=decline_reason,
                    withdrawal_reason=withdrawal_reason,
                    state_message=message,
                    is_work_time=work_time,
                    approval_state=approval,
                    planned_hours=planned,
                    decided_at=decided,
                )
            )
        self._bulk(Application, applications)
        self.applications = applications

    def _refusal_row(self, rows: list[tuple[int, int, str]]) -> int | None:
        """Give the first withdrawn application to an employee whose employer must approve
        work time (the refusal is then the reason of the withdrawal); its index in rows."""
        requiring = [
            vi
            for vi in range(FIRST_DRAWN_VOLUNTEER, self.o.volunteers)
            if self.volunteer_employer[vi] is not None
            and self.companies[self.volunteer_employer[vi]].work_time_requires_approval
        ]
        if not requiring:
            return None
        on_mission: dict[int, set[int]] = {}
        for mi, vi, _state in rows:
            on_mission.setdefault(mi, set()).add(vi)
        for r, (mi, _vi, state) in enumerate(rows):
            if state != "withdrawn":
                continue
            free = [vi for vi in requiring[:50] if vi not in on_mission[mi]]
            if free:
                rows[r] = (mi, free[0], state)
                return r
        return None

    # --- hours and evaluations -----------------------------------------------------------

    def _hours_and_evaluations(self) -> None:
        from missions.models import Evaluation, HoursEntry

        rng = self.rng
        hours, evaluations = [], []
        association_index = {a.pk: i for i, a in enumerate(self.associations)}
        for application in self.applications:
            if application.state not in ("active", "completed"):
                continue
            if application.state == "completed" and application.volunteer is self.profiles[0]:
                continue  # its hours, evaluations and testimonial come from _stories()
            mission = application.mission
            start = mission.start_date
            last = min(mission.end_date, self.today)
            span = max(0, (last - start).days)
            completed = application.state == "completed"
            if mission.format in ("marathon", "workshop"):
                count = 1
            else:
                count = rng.randint(2, 6) if completed else rng.randint(0, 4)
            for _ in range(count):
                if mission.format in ("marathon", "workshop"):
                    amount = Decimal(min(24, max(1, mission.effort_hours // max(1, span + 1))))
                else:
                    amount = Decimal(rng.choice(["1", "1.5", "2", "2", "2.5", "3", "4"]))
                if completed:
                    state = _weighted(rng, ["validated", "rejected", "submitted"], [85, 5, 10])
                else:
                    state = _weighted(rng, ["submitted", "validated", "rejected"], [50, 45, 5])
                hours.append(
                    HoursEntry(
                        application=application,
                        date=start + datetime.timedelta(days=rng.randint(0, span)),
                        hours=amount,
                        description=rng.choice(HOURS_DESCRIPTIONS),
                        state=state,
                        rejection_reason=(
                            rng.choice(HOURS_REJECTION_REASONS) if state == "rejected" else ""
                        ),
                    )
                )
            if not completed:
                continue
            rating = _weighted(rng, [5, 4, 3, 2, 1], [45, 35, 12, 5, 3])
            objectives = "met" if rating >= 4 else "partly" if rating >= 3 else "not_met"
            if rng.random() < 0.7:
                skills, autonomy, comment = rng.choice(EVALUATION_ASSOCIATION)
                evaluations.append(
                    Evaluation(
                        application=application,
                        side=Evaluation.Side.ASSOCIATION,
                        author=self.association_admin[association_index[mission.association.pk]],
                        rating=rating,
                        objectives=objectives,
                        skills_transferred=skills,
                        autonomy_gained=autonomy,
                        can_continue_alone=_weighted(rng, [True, False, None], [60, 25, 15]),
                        comment=comment,
                    )
                )
            if rng.random() < 0.6:
                evaluations.append(
                    Evaluation(
                        application=application,
                        side=Evaluation.Side.VOLUNTEER,
                        author=application.volunteer.user,
                        rating=max(1, min(5, rating + rng.choice([-1, 0, 0, 1]))),
                        objectives=objectives,
                        comment=rng.choice(EVALUATION_VOLUNTEER),
                    )
                )
        self._bulk(HoursEntry, hours, pks=False)
        self._bulk(Evaluation, evaluations, pks=False)

    # --- staff and e-mail addresses ------------------------------------------------------

    def _staff(self) -> None:
        for email in (MARKER_EMAIL, "referent@probono.test"):
            self.used_emails.add(email)
        admin = self._user(
            "Sophie", "Lambert", MARKER_EMAIL, is_staff=True, is_superuser=True, language="fr"
        )
        referent = self._user(
            "Julien",
            "Moreau",
            "referent@probono.test",
            is_staff=True,
            is_referent=True,
            language="fr",
        )
        self._bulk(self.User, [admin, referent], "accounts.User")
        self.referent = referent
        referent.referent_departements.set([self.departements["69"]])
        if "11" in self.regions:
            referent.referent_regions.set([self.regions["11"]])

    def _email_addresses(self) -> None:
        from allauth.account.models import EmailAddress

        self._insert_rows(
            EmailAddress,
            ("user_id", "email", "verified", "primary"),
            [(user.pk, user.email, True, True) for user in self.users],
        )

    # --- stories: what the listed accounts show, made through the services ------------

    def _story_accounts(self) -> None:
        """The admins of the two associations registered through the services below."""
        self.story_admins = {}
        for email, first, last in (
            (PENDING_ASSOCIATION_EMAIL, "Nadia", "Benali"),
            (REJECTED_ASSOCIATION_EMAIL, "Marc", "Delorme"),
        ):
            self.used_emails.add(email)
            self.story_admins[email] = self._user(
                first,
                last,
                email,
                signup_role=ASSOCIATION_ROLE,
                language="fr",
                date_joined=self._days_ago(2, 20),
            )
        self._bulk(self.User, list(self.story_admins.values()), "accounts.User")

    def _story_counts(self) -> dict[str, int]:
        from associations.models import Association, AssociationMember
        from core.models import ActionLog
        from missions.models import (
            Application,
            Evaluation,
            HoursEntry,
            Invitation,
            Mission,
            MissionSkill,
            Testimonial,
        )
        from notifications.models import Message, Notification, NotificationPreference
        from search.models import SavedSearch
        from volunteers.models import Favourite

        story_models = (
            Association,
            Association.causes.through,
            AssociationMember,
            Mission,
            MissionSkill,
            Application,
            HoursEntry,
            Evaluation,
            Testimonial,
            Invitation,
            Favourite,
            Message,
            SavedSearch,
            NotificationPreference,
            Notification,
            ActionLog,
        )
        return {model._meta.label: model.objects.count() for model in story_models}

    def _stories(self) -> None:
        """Registrations, decisions, applications, hours, evaluations, testimonials,
        invitations, messages, favourites and saved searches made as people make them,
        through the services: the audit log and the notifications follow. Each piece
        is skipped when a small dataset lacks what it needs."""
        self._story_associations()
        self._story_preferences()  # before anything is sent to that person
        self._story_volunteer()
        self._story_association()
        self._story_messages()
        self._story_saved_searches()

    def _backdate(self, obj, when: datetime.datetime, about=None) -> None:
        """Services stamp ``created_at`` with now: move a story's step into the past, with
        its audit log entries and the notifications about it (``about``, the object they
        point to, if not ``obj``), those made so far and those made after the commit."""
        from django.contrib.contenttypes.models import ContentType

        from core.models import ActionLog

        type(obj).objects.filter(pk=obj.pk).update(created_at=when)
        obj.created_at = when
        ActionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).update(created_at=when)
        self.backdated.append((about or obj, when))
        self._realign_notifications([(about or obj, when)])

    def _realign_notifications(self, steps: list[tuple[models.Model, datetime.datetime]]):
        """Date the notifications made during the run about each step's object with the
        step: the first step of an object takes those made after the commit."""
        from django.contrib.contenttypes.models import ContentType

        from notifications.models import Notification

        for target, when in steps:
            Notification.objects.filter(
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                created_at__gt=self.now,
            ).update(created_at=when)

    def _story_associations(self) -> None:
        """One association waiting for verification (with a draft) and one refused by
        the Rhône referent, each registered by its listed admin."""
        from associations.models import Association
        from associations.services import association_register, association_reject
        from missions.services import mission_create

        specs = [
            (
                PENDING_ASSOCIATION_EMAIL,
                "Les Petites Mains de Villeurbanne",
                "Villeurbanne",
                "69100",
                "poverty_solidarity",
            ),
            (
                REJECTED_ASSOCIATION_EMAIL,
                "Vélo Solidaire Vénissieux",
                "Vénissieux",
                "69200",
                "environment_climate",
            ),
        ]
        created = {}
        for email, name, city, postcode, cause in specs:
            rna = ""
            while not rna or Association.objects.filter(rna=rna).exists():
                rna = f"W69{self.rng.randrange(10**7):07d}"
            _weight, activity, audience, related = CAUSE_PROFILES[cause]
            created[email] = association_register(
                user=self.story_admins[email],
                name=name,
                rna=rna,
                city=city,
                postcode=postcode,
                causes=[self.causes[cause], self.causes[related]],
                summary=f"Association {city_phrases(city)['de_city']} qui {activity}."[:280],
                description=(
                    f"Créée en {self.today.year - 1}, {name} {activity}. Elle accompagne "
                    f"{audience}, avec une vingtaine de bénévoles."
                ),
                address=self.streets[0],
                size_band="0",
                founded_year=self.today.year - 1,
                contact_email=f"contact@{ascii_slug(name)[:40].strip('-')}.example.org",
            )
        pending = created[PENDING_ASSOCIATION_EMAIL]
        template = MISSION_TEMPLATES["communication"][0]
        mission_create(
            association=pending,
            actor=self.story_admins[PENDING_ASSOCIATION_EMAIL],
            skills=[(self.skills[code], 2, "required") for code in template.required],
            title=template.title,
            summary=template.summary,
            description=f"{template.context}\n\nMission à distance, avec un point par semaine.",
            deliverable=template.deliverable,
            cause=self.causes["poverty_solidarity"],
            format="mission",
            location_mode="remote",
            effort_hours=24,
            hours_per_week=Decimal("3"),
            seats=1,
            start_date=self.today + datetime.timedelta(days=45),
            end_date=self.today + datetime.timedelta(days=101),
            application_deadline=self.today + datetime.timedelta(days=30),
        )
        association_reject(
            association_id=created[REJECTED_ASSOCIATION_EMAIL].pk,
            actor=self.referent,
            reason=REJECTION_REASONS[0],
        )

    def _listed_volunteer(self, index: int):
        return self.profiles[index] if index < len(self.profiles) else None

    def _story_preferences(self) -> None:
        """The English-speaking volunteer wants one e-mail a day, without search alerts."""
        from notifications.models import Notification, NotificationPreference
        from notifications.services import preferences_update

        profile = self._listed_volunteer(1)
        if profile is None:
            return
        muted = {Notification.Kind.SAVED_SEARCH_MATCH}
        preferences_update(
            actor=profile.user,
            email_frequency=NotificationPreference.Frequency.DAILY,
            emailed_kinds=[
                str(kind) for kind in NotificationPreference.emailable_kinds() if kind not in muted
            ],
        )

    def _story_volunteer(self) -> None:
        """The demo volunteer: favourites, a waitlisted application, and the completed
        engagement told to its end (hours, both evaluations, a published testimonial)."""
        from missions.models import Application, Mission
        from missions.outreach import testimonial_publish, testimonial_submit
        from missions.services import (
            application_create,
            evaluation_submit,
            favourite_toggle,
            hours_log,
            hours_validate,
        )

        profile = self._listed_volunteer(0)
        user = profile.user
        applied = set(profile.applications.values_list("mission_id", flat=True))
        published = Mission.objects.published().exclude(pk__in=applied).order_by("pk")
        near = published.exclude(association=self.associations[0]).filter(
            models.Q(location_mode="remote") | models.Q(departement__code="69")
        )
        for mission in near[:3]:
            favourite_toggle(actor=user, mission_id=mission.pk)

        full = [
            mission
            for mission in published.with_taken_seats().filter(taken_seats__gte=F("seats"))
            if mission.is_open_for_applications(self.today)
        ]
        if full:
            application_create(
                mission_id=full[0].pk,
                volunteer=profile,
                actor=user,
                message=APPLICATION_MESSAGES[2],
            )

        done = (
            profile.applications.filter(state=Application.State.COMPLETED)
            .select_related("mission__association")
            .order_by("pk")
            .first()
        )
        if done is None:
            return
        mission = done.mission
        member = self._admin_of(mission.association)
        last = min(mission.end_date or self.today, self.today)
        first = max(mission.start_date or last, last - datetime.timedelta(days=30))
        entries = [
            (first, "1", "Préparation avec l'équipe"),
            (first, "2", "Animation de la session"),
            (last, "0.5", "Compte rendu et ressources envoyés à l'équipe"),
        ]
        for day, hours, description in entries:
            entry = hours_log(
                application_id=done.pk,
                actor=user,
                date=min(day, self.today),
                hours=Decimal(hours),
                description=description,
            )
            hours_validate(entry_id=entry.pk, actor=member)
        skills, autonomy, comment = EVALUATION_ASSOCIATION[0]
        evaluation_submit(
            application_id=done.pk,
            actor=member,
            rating=5,
            objectives="met",
            skills_transferred=skills,
            autonomy_gained=autonomy,
            can_continue_alone=True,
            comment=comment,
        )
        evaluation_submit(
            application_id=done.pk,
            actor=user,
            rating=5,
            objectives="met",
            comment=EVALUATION_VOLUNTEER[0],
        )
        testimonial = testimonial_submit(
            application_id=done.pk,
            actor=user,
            text=(
                f"J'ai découvert {mission.association.name} le temps de « {mission.title} » : "
                "une équipe accueillante, un besoin bien préparé, et des outils qu'elle "
                "utilise encore aujourd'hui. Je recommande à tous les bénévoles !"
            ),
        )
        testimonial_publish(testimonial_id=testimonial.pk, actor=member)

    def _admin_of(self, association):
        from associations.models import AssociationMember

        return (
            AssociationMember.objects.filter(
                association=association, role=AssociationMember.Role.ADMIN
            )
            .select_related("user")
            .order_by("pk")
            .first()
            .user
        )

    def _story_association(self) -> None:
        """The demo association: an application left unanswered for ten days, hours to
        validate on a running engagement, and invitations to the English volunteer."""
        from missions.models import Application, Mission
        from missions.outreach import invitation_send
        from missions.services import application_create, hours_log
        from volunteers.models import VolunteerProfile

        association = self.associations[0]
        admin = self._admin_of(association)
        listed = [p.pk for p in self.profiles[:FIRST_DRAWN_VOLUNTEER]]
        open_missions = [
            mission
            for mission in Mission.objects.published()
            .with_taken_seats()
            .filter(association=association)
            .order_by("pk")
            if mission.is_open_for_applications(self.today)
        ]
        with_seats = [m for m in open_missions if m.taken_seats < m.seats]
        if with_seats:
            mission = with_seats[0]
            required = mission.skills.filter(importance="required").values("skill")
            candidates = (
                VolunteerProfile.objects.visible()
                .exclude(pk__in=listed)
                .exclude(applications__mission=mission)
            )
            volunteer = (
                candidates.filter(skills__skill__in=required).order_by("pk").first()
                or candidates.order_by("pk").first()
            )
            if volunteer is not None:
                stale = application_create(
                    mission_id=mission.pk,
                    volunteer=volunteer,
                    actor=volunteer.user,
                    message=APPLICATION_MESSAGES[0],
                )
                self._backdate(stale, self.now - datetime.timedelta(days=10, hours=3))

        active = (
            Application.objects.filter(
                mission__association=association, state=Application.State.ACTIVE
            )
            .select_related("mission", "volunteer__user")
            .order_by(
                models.Case(models.When(volunteer=self.profiles[0], then=0), default=1),
                "pk",
            )
            .first()
        )
        if active is not None:
            start = active.mission.start_date or self.today
            for days_ago, hours, description in (
                (6, "2", "Point d'étape avec la directrice"),
                (2, "1.5", "Préparation du prochain rendez-vous"),
            ):
                hours_log(
                    application_id=active.pk,
                    actor=active.volunteer.user,
                    date=max(start, self.today - datetime.timedelta(days=days_ago)),
                    hours=Decimal(hours),
                    description=description,
                )

        english = self._listed_volunteer(1)
        if english is None:
            return
        applied = set(english.applications.values_list("mission_id", flat=True))
        wanted = min(2, settings.INVITATIONS_PER_VOLUNTEER_PER_MONTH)
        # Free seats first; a full mission may still invite (the volunteer is waitlisted).
        invitable = sorted(open_missions, key=lambda m: (m.taken_seats >= m.seats, m.pk))
        for mission in [m for m in invitable if m.pk not in applied][:wanted]:
            invitation_send(
                mission_id=mission.pk,
                volunteer_id=english.pk,
                actor=admin,
                message=(
                    "Hello! Your profile matches this mission well, and our team speaks "
                    "English. Would you like to apply?"
                ),
            )

    def _story_messages(self) -> None:
        """A conversation between the demo volunteer and the demo association, on an
        engagement of theirs; the association's last message is still unread."""
        from missions.models import Application
        from notifications.services import message_post, thread_mark_read

        profile = self._listed_volunteer(0)
        preference = [Application.State.ACCEPTED, Application.State.ACTIVE]
        preference += [Application.State.APPLIED]
        application = (
            profile.applications.filter(
                mission__association=self.associations[0], state__in=preference
            )
            .order_by(
                models.Case(
                    *(models.When(state=state, then=n) for n, state in enumerate(preference))
                ),
                "pk",
            )
            .first()
        )
        if application is None:
            return
        member = self._admin_of(self.associations[0])
        user = profile.user
        thread = [
            (
                "association",
                52,
                "Bonjour, et merci ! Seriez-vous disponible pour un appel la semaine "
                "prochaine, pour faire le point sur vos disponibilités et nos attentes ?",
            ),
            (
                "volunteer",
                30,
                "Bonjour, avec plaisir. Mardi ou jeudi à partir de 18 h, cela vous convient ?",
            ),
            (
                "association",
                4,
                "Jeudi 18 h, c'est parfait. Je vous envoie le lien de la visio et les "
                "documents à parcourir avant.",
            ),
        ]
        for side, hours_ago, body in thread:
            author = member if side == "association" else user
            # Whoever answers has read the thread first.
            thread_mark_read(application=application, reader=author, side=side)
            message = message_post(application_id=application.pk, actor=author, body=body)
            self._backdate(
                message, self.now - datetime.timedelta(hours=hours_ago), about=application
            )

    def _story_saved_searches(self) -> None:
        """The demo volunteer keeps two searches."""
        from search.services import saved_search_create

        profile = self._listed_volunteer(0)
        data_skill = OCCUPATIONS["data"][0][2][0]
        for name, params in (
            (
                "Sites web autour de Lyon",
                {"q": ["site"], "city": ["Lyon"], "radius": ["30"]},
            ),
            (
                "Missions data à distance",
                {"skills": [str(self.skills[data_skill].pk)], "remote_only": ["on"]},
            ),
        ):
            saved_search_create(actor=profile.user, name=name, params=params)
