"""What people write along an engagement: application messages, reasons to decline,
withdraw, refuse, cancel or give up, hours descriptions and evaluations."""

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
