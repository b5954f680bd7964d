"""The first version of the privacy policy, legal notice and terms of use.

The texts describe what the platform does with personal data as it is built; what only
the operator can say (their legal identity, their host, their contacts) is written in
square brackets, for them to fill in from the admin before opening.
"""

from django.db import migrations
from django.utils import timezone

OPERATOR_NOTE_FR = (
    "**Les passages entre crochets sont complétés par l'exploitant de la plateforme** "
    "depuis l'administration (Informations légales et consentements › Documents légaux) : "
    "ils désignent ses propres coordonnées."
)
OPERATOR_NOTE_EN = (
    "**Passages in square brackets are filled in by the operator of the platform** from "
    "the admin (Legal information and consents › Legal documents): they stand for the "
    "operator's own details."
)

PRIVACY_FR = f"""{OPERATOR_NOTE_FR}

Cette politique explique quelles données personnelles la plateforme traite, pourquoi, sur quelle base légale, qui les voit, combien de temps elles sont gardées et comment exercer vos droits, conformément au règlement général sur la protection des données (RGPD) et à la loi Informatique et Libertés.

# Responsable du traitement

[Raison sociale, forme juridique, adresse du siège et numéro SIREN ou RNA de l'exploitant], ci-après « l'exploitant », est responsable des traitements décrits ici.

- Contact pour vos données personnelles : [adresse e-mail dédiée, par exemple donnees-personnelles@…]
- Délégué à la protection des données : [nom et coordonnées du délégué s'il a été désigné, sinon supprimer cette ligne]

Chaque association et chaque entreprise inscrite reste responsable de l'usage qu'elle fait, en dehors de la plateforme, des informations qu'elle y a consultées.

# Les données que nous traitons

- **Votre compte** : adresse e-mail, prénom, nom, langue, mot de passe (conservé sous forme d'empreinte irréversible, jamais lisible), dates d'inscription et de dernière connexion.
- **Votre profil de bénévole** : titre, présentation, métier, séniorité, compétences et niveaux, causes qui vous tiennent à cœur, disponibilités, formats acceptés, langues, ville et code postal, employeur si vous vous y rattachez, et le choix de rendre votre profil visible ou non.
- **Votre association ou votre entreprise** : identité de la structure (nom, numéro RNA ou SIREN, adresse), membres et leur rôle, pour les entreprises les salariés inscrits, leur manager et leur enveloppe d'heures.
- **Vos engagements** : candidatures, invitations, messages échangés avec l'association, heures déclarées et validées, évaluations, témoignages, attestations.
- **Les suggestions** : les correspondances calculées entre profils et missions, avec leurs raisons.
- **Des traces techniques** : adresse IP et date lorsque vous acceptez ces documents, journaux de sécurité (connexions, erreurs), journal des consultations de vos données par l'équipe de la plateforme.

Nous ne demandons aucune donnée sensible (santé, opinions, religion, appartenance syndicale…) : merci de ne pas en écrire dans les champs libres ni dans les messages.

# Pourquoi, et sur quelle base légale

- **Créer et gérer votre compte, vous mettre en relation avec des associations, suivre vos missions, vos heures et vos attestations** : exécution des conditions générales d'utilisation que vous acceptez (article 6.1.b du RGPD).
- **Vous suggérer des missions, et suggérer votre profil aux associations vérifiées** : exécution des conditions d'utilisation. Vous pouvez à tout moment rendre votre profil invisible : il n'est alors plus proposé.
- **Vous envoyer les notifications et e-mails liés à vos engagements** : exécution des conditions d'utilisation ; vous réglez leur fréquence dans vos préférences.
- **Fournir à votre employeur le suivi du mécénat de compétences** (validation des engagements sur temps de travail, rapports d'impact, justificatifs de la réduction d'impôt prévue à l'article 238 bis du code général des impôts) : intérêt légitime de votre employeur à justifier son mécénat, et obligations légales qui s'imposent à lui.
- **Vérifier les associations** (identité, but non lucratif) : intérêt légitime de la plateforme et des bénévoles à ne rencontrer que des structures réelles.
- **Assurer la sécurité, prévenir les abus et tracer les consultations de vos données par l'équipe** : intérêt légitime de l'exploitant et obligation de sécurité (article 32 du RGPD).
- **Conserver la preuve de votre acceptation des présents documents** : intérêt légitime de l'exploitant à pouvoir la démontrer.

Aucune décision produisant des effets juridiques n'est prise sur le seul fondement d'un traitement automatisé : une suggestion est une proposition, et ce sont des personnes qui choisissent.

# Qui voit vos données

- **Les associations vérifiées** voient des profils visibles ce qu'il faut pour choisir : prénom et initiale du nom, titre, présentation, métier, séniorité, compétences, causes, disponibilités, formats, langues et département. Jamais votre adresse e-mail. Une association à qui vous avez candidaté voit en plus votre nom complet et échange avec vous par la messagerie de la plateforme. Une association non encore vérifiée ne voit aucun profil.
- **Votre employeur**, si vous vous êtes rattaché à une entreprise inscrite : vos nom, prénom et adresse e-mail, vos engagements et vos heures, pour valider ceux qui se font sur le temps de travail et établir ses rapports. Il ne voit ni votre présentation, ni vos causes, ni vos messages.
- **L'équipe de la plateforme et les référents territoriaux** (ces derniers pour leur seul territoire), pour vérifier les associations, modérer les missions et vous aider. Chaque consultation de vos données dans l'administration est enregistrée dans un journal.
- **Nos sous-traitants**, dans la limite de leur mission et sous contrat conforme à l'article 28 du RGPD : l'hébergeur [nom et adresse de l'hébergeur] et le service d'envoi d'e-mails [nom du prestataire d'envoi d'e-mails].

Vos données ne sont ni vendues, ni louées, ni utilisées à des fins publicitaires. Elles sont hébergées dans l'Union européenne [à confirmer par l'exploitant ; si un prestataire transfère des données hors de l'Union, indiquer ici le pays et la garantie utilisée].

# Combien de temps

- **Compte et profil** : tant que votre compte est actif. Après 3 ans sans connexion, le compte est anonymisé, après deux avertissements par e-mail, un mois puis sept jours avant.
- **Suppression de votre compte** : quand vous le supprimez, votre nom, votre adresse e-mail, vos coordonnées, vos messages et vos textes libres sont effacés. Vos candidatures, heures et évaluations restent, rattachées à un bénévole anonyme, pour que les rapports des entreprises et le bilan des associations restent justes.
- **Messages** : tant que le compte de leur auteur existe.
- **Preuves d'acceptation des conditions** : la durée du compte, puis 5 ans (délai de prescription de droit commun).
- **Journal des consultations par l'équipe** : 1 an.
- **Journaux techniques du serveur** : 1 an au plus.

# Cookies

La plateforme n'utilise que des cookies nécessaires à son fonctionnement : la session qui vous garde connecté, la protection des formulaires (CSRF) et la langue choisie. Aucun cookie de mesure d'audience ni de publicité : aucun consentement n'est donc demandé pour eux.

# Vos droits

Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation, de portabilité et d'opposition, ainsi que du droit de définir des directives sur le sort de vos données après votre décès.

- Vous corrigez votre profil vous-même, à tout moment, depuis votre espace.
- Vous pouvez rendre votre profil invisible des associations.
- Pour tout autre demande, écrivez à [adresse e-mail dédiée aux données personnelles] ; nous répondons dans un délai d'un mois. Nous pouvons vous demander de justifier de votre identité en cas de doute raisonnable.

Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la **Commission nationale de l'informatique et des libertés (CNIL)**, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, ou en ligne sur [www.cnil.fr](https://www.cnil.fr/fr/plaintes).

# Sécurité

Connexions chiffrées (HTTPS), mots de passe conservés sous forme d'empreinte (Argon2), accès réservés selon le rôle de chacun, journal des actions et des consultations de l'équipe, sauvegardes chiffrées [à préciser par l'exploitant selon son hébergement].

# Modifications

Quand cette politique change, la nouvelle version est publiée ici avec sa date, et il vous est demandé de l'accepter à votre connexion suivante.
"""

PRIVACY_EN = f"""{OPERATOR_NOTE_EN}

This policy explains which personal data the platform processes, why, on which legal basis, who sees them, how long they are kept and how to exercise your rights, under the General Data Protection Regulation (GDPR) and the French Data Protection Act (loi Informatique et Libertés).

# Controller

[Company or association name, legal form, registered address and SIREN or RNA number of the operator], hereafter "the operator", is the controller of the processing described here.

- Contact for your personal data: [dedicated e-mail address, e.g. personal-data@…]
- Data protection officer: [name and contact details of the DPO if one is appointed, otherwise remove this line]

Each association and company on the platform remains responsible for what it does, outside the platform, with the information it saw there.

# The data we process

- **Your account**: e-mail address, first name, last name, language, password (stored as an irreversible hash, never readable), sign-up and last login dates.
- **Your volunteer profile**: headline, presentation, occupation, seniority, skills and levels, causes you care about, availability, accepted formats, languages, city and postcode, employer if you link to one, and whether your profile is visible.
- **Your association or company**: the organisation's identity (name, RNA or SIREN number, address), members and their role; for companies, registered employees, their manager and their allowance of hours.
- **Your engagements**: applications, invitations, messages exchanged with the association, hours logged and validated, evaluations, testimonials, attestations.
- **Suggestions**: the matches computed between profiles and missions, with their reasons.
- **Technical records**: IP address and date when you accept these documents, security logs (logins, errors), the log of staff access to your data.

We ask for no sensitive data (health, opinions, religion, trade-union membership…): please do not write any in free-text fields or messages.

# Why, and on which legal basis

- **Creating and running your account, putting you in touch with associations, following your missions, hours and attestations**: performance of the terms of use you accept (GDPR article 6.1.b).
- **Suggesting missions to you, and your profile to verified associations**: performance of the terms of use. You may make your profile invisible at any time: it is then no longer suggested.
- **Sending the notifications and e-mails about your engagements**: performance of the terms of use; you set how often in your preferences.
- **Giving your employer what it needs to follow skills-based sponsorship** (approving engagements on work time, impact reports, evidence for the tax reduction of article 238 bis of the French general tax code): your employer's legitimate interest in justifying its sponsorship, and the legal obligations it is bound by.
- **Verifying associations** (identity, non-profit purpose): the legitimate interest of the platform and of volunteers in meeting only genuine organisations.
- **Security, preventing abuse and logging staff access to your data**: the operator's legitimate interest and its security obligation (GDPR article 32).
- **Keeping evidence that you accepted these documents**: the operator's legitimate interest in being able to prove it.

No decision with legal effects is taken solely by automated processing: a suggestion is a proposal, and people choose.

# Who sees your data

- **Verified associations** see of visible profiles what they need to choose: first name and initial of the last name, headline, presentation, occupation, seniority, skills, causes, availability, formats, languages and département. Never your e-mail address. An association you applied to also sees your full name and talks with you through the platform's messages. An association not yet verified sees no profile.
- **Your employer**, if you linked to a registered company: your name and e-mail address, your engagements and hours, to approve those on work time and produce its reports. It sees neither your presentation, nor your causes, nor your messages.
- **Platform staff and territorial referents** (the latter for their territory only), to verify associations, moderate missions and help you. Every time they view your data in the admin, it is recorded in a log.
- **Our processors**, within their task and under a contract meeting GDPR article 28: the host [host's name and address] and the e-mail delivery service [name of the e-mail provider].

Your data are never sold, rented or used for advertising. They are hosted in the European Union [to be confirmed by the operator; if a provider transfers data outside the Union, state the country and the safeguard used here].

# How long

- **Account and profile**: as long as your account is active. After 3 years without logging in, the account is anonymised, after two e-mail warnings, one month and then seven days before.
- **Deleting your account**: when you delete it, your name, e-mail address, contact details, messages and free texts are erased. Your applications, hours and evaluations stay, attached to an anonymous volunteer, so that companies' reports and associations' summaries stay true.
- **Messages**: as long as their author's account exists.
- **Evidence of acceptance of the terms**: the life of the account, then 5 years (the general limitation period).
- **Log of staff access**: 1 year.
- **Server logs**: 1 year at most.

# Cookies

The platform only uses cookies it needs to work: the session that keeps you signed in, form protection (CSRF) and your chosen language. No audience-measurement or advertising cookies: so no consent is asked for them.

# Your rights

You have the right of access, rectification, erasure, restriction, portability and objection, and the right to set instructions for your data after your death.

- You correct your profile yourself, at any time, from your space.
- You can make your profile invisible to associations.
- For any other request, write to [dedicated personal-data e-mail address]; we answer within one month. We may ask you to prove your identity if there is reasonable doubt.

If, after contacting us, you believe your rights are not respected, you may lodge a complaint with the **Commission nationale de l'informatique et des libertés (CNIL)**, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France, or online at [www.cnil.fr](https://www.cnil.fr/fr/plaintes).

# Security

Encrypted connections (HTTPS), passwords stored as hashes (Argon2), access limited by each person's role, a log of staff actions and access, encrypted backups [to be detailed by the operator for its hosting].

# Changes

When this policy changes, the new version is published here with its date, and you are asked to accept it the next time you sign in.
"""

LEGAL_NOTICE_FR = f"""{OPERATOR_NOTE_FR}

Informations exigées par l'article 6 de la loi n° 2004-575 du 21 juin 2004 pour la confiance dans l'économie numérique (LCEN).

# Éditeur

- [Raison sociale et forme juridique de l'exploitant (association, fondation, société…)]
- [Adresse du siège]
- [Numéro RNA ou SIREN, RCS le cas échéant, capital social pour une société]
- [Numéro de TVA intracommunautaire le cas échéant]
- Téléphone : [numéro] — E-mail : [adresse de contact]
- Directeur ou directrice de la publication : [nom et qualité]

# Hébergeur

- [Nom ou raison sociale de l'hébergeur]
- [Adresse]
- [Téléphone]

# Contenus publiés par les utilisateurs

Les associations, les entreprises et les bénévoles publient eux-mêmes leurs missions, profils et messages, et en sont responsables. Pour signaler un contenu manifestement illicite, écrivez à [adresse de contact] en précisant l'adresse de la page et la raison du signalement : l'exploitant le retire promptement s'il est avéré.

# Propriété intellectuelle

La plateforme, sa présentation et ses textes appartiennent à l'exploitant ou à ses concédants. Les contenus publiés par les utilisateurs restent les leurs ; ils en concèdent à l'exploitant le droit de les afficher sur la plateforme le temps de leur publication.

# Données personnelles

Voir la [politique de confidentialité](/informations-legales/confidentialite/).
"""

LEGAL_NOTICE_EN = f"""{OPERATOR_NOTE_EN}

Information required by article 6 of the French law no. 2004-575 of 21 June 2004 on confidence in the digital economy (LCEN).

# Publisher

- [Name and legal form of the operator (association, foundation, company…)]
- [Registered address]
- [RNA or SIREN number, trade register entry where relevant, share capital for a company]
- [EU VAT number where relevant]
- Telephone: [number] — E-mail: [contact address]
- Director of publication: [name and position]

# Host

- [Name or company name of the host]
- [Address]
- [Telephone]

# Content published by users

Associations, companies and volunteers publish their own missions, profiles and messages, and are responsible for them. To report manifestly unlawful content, write to [contact address] with the page's address and the reason: the operator removes it promptly if the report is founded.

# Intellectual property

The platform, its design and its texts belong to the operator or its licensors. Content published by users remains theirs; they grant the operator the right to show it on the platform while it is published.

# Personal data

See the [privacy policy](/en/informations-legales/confidentialite/).
"""

TERMS_FR = f"""{OPERATOR_NOTE_FR}

# 1. Objet

Ces conditions générales d'utilisation (CGU) fixent les règles d'usage de la plateforme, qui met en relation des associations et autres structures d'utilité sociale avec des personnes qui leur donnent leurs compétences : bénévoles, salariés en mécénat de compétences, retraités, indépendants. L'inscription vaut acceptation des CGU et de la [politique de confidentialité](/informations-legales/confidentialite/).

# 2. Inscription

- Il faut avoir au moins 16 ans et donner des informations exactes.
- Le compte est personnel ; vous gardez votre mot de passe secret et nous prévenez de tout usage que vous n'avez pas fait.
- La personne qui inscrit une association ou une entreprise déclare avoir le pouvoir d'agir pour elle.

# 3. Associations

Une association n'apparaît publiquement, ne publie de missions et ne voit de profils de bénévoles qu'après vérification par l'équipe de la plateforme (identité RNA ou SIREN, but non lucratif, siège en France). Elle publie des missions réelles, d'intérêt général, qui ne remplacent pas un emploi salarié, et n'utilise les informations des bénévoles que pour la mission proposée.

# 4. Bénévoles

Vous décrivez honnêtement vos compétences et vos disponibilités, tenez vos engagements ou prévenez l'association à temps, et déclarez des heures exactes. Le bénévolat n'est pas rémunéré ; le mécénat de compétences se fait dans le cadre convenu avec votre employeur.

# 5. Entreprises

Une entreprise inscrite gère le mécénat de compétences de ses salariés : enveloppe d'heures, validation des engagements sur le temps de travail, rapports d'impact. Elle n'accède qu'aux données de ses propres salariés rattachés et ne les utilise que pour ce suivi. Elle reste seule responsable de ses déclarations fiscales.

# 6. Règles de conduite

Sont interdits : les contenus illicites, injurieux ou discriminatoires ; la collecte des données d'autres utilisateurs à d'autres fins que la mission ; la prospection commerciale ; toute tentative d'atteinte à la sécurité de la plateforme. Les messages sont réservés aux échanges sur les missions.

# 7. Rôle de la plateforme

La plateforme est un intermédiaire : elle ne fait pas partie de l'accord entre l'association et la personne engagée, ne garantit pas qu'une mission aboutira et n'est pas l'employeur des bénévoles. Chaque association vérifie que ses activités et les personnes qu'elle accueille sont couvertes par son assurance. L'exploitant s'efforce d'assurer un service continu mais peut l'interrompre pour maintenance.

# 8. Suspension et suppression

L'exploitant peut suspendre un compte ou retirer un contenu qui enfreint ces CGU, après avoir averti la personne sauf urgence. Vous pouvez supprimer votre compte à tout moment ; vos données sont alors traitées comme le décrit la politique de confidentialité.

# 9. Modification des CGU

Une nouvelle version est publiée sur cette page avec sa date ; elle vous est présentée à votre connexion suivante et doit être acceptée pour continuer à utiliser la plateforme.

# 10. Droit applicable

Ces CGU sont soumises au droit français. En cas de litige, une solution amiable est recherchée d'abord en écrivant à [adresse de contact] ; à défaut, les tribunaux compétents sont saisis dans les conditions de droit commun.
"""

TERMS_EN = f"""{OPERATOR_NOTE_EN}

# 1. Purpose

These terms of use set the rules for using the platform, which puts associations and other social-purpose organisations in touch with people who give them their skills: volunteers, employees on skills-based sponsorship, retirees, independents. Signing up means accepting these terms and the [privacy policy](/en/informations-legales/confidentialite/).

# 2. Signing up

- You must be at least 16 and give accurate information.
- The account is personal; keep your password secret and tell us of any use you did not make.
- Whoever registers an association or a company declares they may act for it.

# 3. Associations

An association is shown publicly, publishes missions and sees volunteers' profiles only once platform staff have verified it (RNA or SIREN identity, non-profit purpose, based in France). It publishes genuine missions of general interest, which do not replace a paid job, and uses volunteers' information only for the mission offered.

# 4. Volunteers

You describe your skills and availability honestly, keep your commitments or warn the association in time, and log accurate hours. Volunteering is unpaid; skills-based sponsorship happens within what you agreed with your employer.

# 5. Companies

A registered company runs its employees' skills-based sponsorship: allowance of hours, approval of engagements on work time, impact reports. It only accesses the data of its own linked employees and uses it only for that follow-up. It remains solely responsible for its tax filings.

# 6. Conduct

Forbidden: unlawful, abusive or discriminatory content; collecting other users' data for any purpose other than the mission; commercial prospecting; any attempt to harm the platform's security. Messages are for talking about missions.

# 7. The platform's role

The platform is an intermediary: it is not party to the agreement between the association and the person engaged, does not guarantee a mission's success and is not the volunteers' employer. Each association checks that its activities and the people it welcomes are covered by its insurance. The operator strives for a continuous service but may interrupt it for maintenance.

# 8. Suspension and deletion

The operator may suspend an account or remove content that breaches these terms, after warning the person except in an emergency. You may delete your account at any time; your data are then handled as the privacy policy describes.

# 9. Changes to these terms

A new version is published on this page with its date; it is shown to you the next time you sign in and must be accepted to keep using the platform.

# 10. Governing law

These terms are governed by French law. In a dispute, an amicable solution is sought first by writing to [contact address]; failing that, the competent courts are seized under ordinary rules.
"""

DOCUMENTS = [
    ("privacy", PRIVACY_FR, PRIVACY_EN),
    ("legal_notice", LEGAL_NOTICE_FR, LEGAL_NOTICE_EN),
    ("terms", TERMS_FR, TERMS_EN),
]


def create_documents(apps, schema_editor):
    LegalDocument = apps.get_model("legal", "LegalDocument")
    now = timezone.now()
    for kind, body_fr, body_en in DOCUMENTS:
        LegalDocument.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={"body_fr": body_fr, "body_en": body_en, "published_at": now},
        )


def remove_documents(apps, schema_editor):
    LegalDocument = apps.get_model("legal", "LegalDocument")
    LegalDocument.objects.filter(version=1, consents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_legal_documents_and_consents")]

    operations = [migrations.RunPython(create_documents, remove_documents)]
