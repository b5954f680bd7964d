"""The words associations and companies are made of: names, causes, sectors, streets,
and what a referent writes when refusing or suspending an association."""

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
