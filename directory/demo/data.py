"""The tables the demo is built from: organisations, staff, badge classes, endorsements, places and people.

Everything here is fictional except the communes (real names and INSEE codes) and the
ESCO concepts (real URIs). E-mail addresses and web sites use `exemple.fr` sub-domains.
"""

from datetime import UTC
from datetime import datetime

# Every date of the demo is placed relative to this day, never to the clock.
REFERENCE_DATE = datetime(2026, 9, 1, tzinfo=UTC)
SEED = 20260901
REGION = "Hauts-de-France"
ESCO = "http://data.europa.eu/esco/skill/"

ISSUER = {
    "slug": "elan-entreprendre-hdf",
    "name": "Élan Entreprendre Hauts-de-France",
    "kind": "issuer",
    "siren": "841273055",
    "siret": "84127305500019",
    "web_domain": "elan-entreprendre.exemple.fr",
    "commune": "Lille",
    "departement_code": "59",
    "description_fr": (
        "Réseau régional d'accompagnement à la création et au développement d'entreprise. "
        "Élan Entreprendre suit chaque année plus de 1 500 porteurs de projet et chefs "
        "d'entreprise dans les cinq départements des Hauts-de-France, et reconnaît leurs "
        "compétences par des badges numériques co-construits avec ses partenaires."
    ),
    "description_en": (
        "Regional network supporting business creation and growth. Every year Élan "
        "Entreprendre follows more than 1,500 founders and business owners across the five "
        "départements of Hauts-de-France, and recognises their competencies with digital "
        "badges co-designed with its partners."
    ),
}

PARTNERS = [
    {
        "slug": "agglo-lys-escaut",
        "name": "Communauté d'agglomération Lys-Escaut",
        "kind": "local_authority",
        "siren": "200071421",
        "siret": "20007142100016",
        "web_domain": "agglo-lys-escaut.exemple.fr",
        "commune": "Armentières",
        "departement_code": "59",
        "description_fr": (
            "Intercommunalité de 38 communes du Nord, compétente en développement économique : "
            "elle finance l'accompagnement des créateurs et soutient le commerce de proximité."
        ),
        "description_en": (
            "Inter-municipal authority of 38 communes in the Nord, in charge of economic "
            "development: it funds support for founders and backs local shops."
        ),
    },
    {
        "slug": "cc-trois-vallees-picardes",
        "name": "Communauté de communes des Trois Vallées picardes",
        "kind": "local_authority",
        "siren": "200088391",
        "siret": "20008839100012",
        "web_domain": "trois-vallees-picardes.exemple.fr",
        "commune": "Doullens",
        "departement_code": "80",
        "description_fr": (
            "Intercommunalité rurale de la Somme qui aide artisans et commerçants à s'installer "
            "dans les bourgs-centres et anime un réseau de tiers-lieux."
        ),
        "description_en": (
            "Rural inter-municipal authority in the Somme that helps craftspeople and "
            "shopkeepers settle in market towns and runs a network of shared workspaces."
        ),
    },
    {
        "slug": "mutuelle-septentrion",
        "name": "Mutuelle Assurances du Septentrion",
        "kind": "insurer",
        "siren": "439182601",
        "siret": "43918260100013",
        "web_domain": "mutuelle-septentrion.exemple.fr",
        "commune": "Arras",
        "departement_code": "62",
        "description_fr": (
            "Assureur mutualiste régional des artisans, commerçants et professions libérales ; "
            "il finance des actions de prévention des risques pour les jeunes entreprises."
        ),
        "description_en": (
            "Regional mutual insurer of craftspeople, shopkeepers and the self-employed; it "
            "funds risk-prevention programmes for young businesses."
        ),
    },
    {
        "slug": "club-dirigeants-cote-opale",
        "name": "Club des Dirigeants de la Côte d'Opale",
        "kind": "business_network",
        "siren": "523801470",
        "siret": "52380147000015",
        "web_domain": "club-dirigeants-opale.exemple.fr",
        "commune": "Boulogne-sur-Mer",
        "departement_code": "62",
        "description_fr": (
            "Réseau de 240 chefs d'entreprise du littoral, de Calais à Berck, qui parrainent "
            "des créateurs et organisent chaque mois des rencontres d'affaires."
        ),
        "description_en": (
            "Network of 240 business owners on the coast, from Calais to Berck, who mentor "
            "founders and hold monthly business meetings."
        ),
    },
    {
        "slug": "groupement-entreprises-beauvaisis",
        "name": "Groupement des Entreprises du Beauvaisis",
        "kind": "business_network",
        "siren": "882013642",
        "siret": "88201364200013",
        "web_domain": "entreprises-beauvaisis.exemple.fr",
        "commune": "Beauvais",
        "departement_code": "60",
        "description_fr": (
            "Association d'entreprises industrielles et de services du Beauvaisis qui "
            "encourage les achats locaux, l'emploi et la transition écologique de ses membres."
        ),
        "description_en": (
            "Association of manufacturing and service companies around Beauvais that "
            "promotes local purchasing, employment and its members' ecological transition."
        ),
    },
    {
        "slug": "ate-artois-gohelle",
        "name": "Agence territoriale pour l'emploi Artois-Gohelle",
        "kind": "public_employment_service",
        "siren": "130026172",
        "siret": "13002617200010",
        "web_domain": "emploi-artois-gohelle.exemple.fr",
        "commune": "Lens",
        "departement_code": "62",
        "description_fr": (
            "Service public de l'emploi de proximité : il oriente les demandeurs d'emploi qui "
            "créent leur activité et met en relation les entreprises qui recrutent avec les "
            "candidats du territoire."
        ),
        "description_en": (
            "Local public employment service: it guides jobseekers who start a business and "
            "connects hiring companies with candidates from the area."
        ),
    },
    {
        "slug": "tremplin-solidaire-picardie",
        "name": "Tremplin Solidaire Picardie",
        "kind": "association",
        "siren": "779214535",
        "siret": "77921453500014",
        "web_domain": "tremplin-solidaire.exemple.fr",
        "commune": "Amiens",
        "departement_code": "80",
        "description_fr": (
            "Association de l'économie sociale et solidaire qui accompagne les créateurs des "
            "quartiers prioritaires et des zones rurales : microcrédit, parrainage et ateliers "
            "collectifs."
        ),
        "description_en": (
            "Social-economy association supporting founders from priority neighbourhoods and "
            "rural areas: microcredit, mentoring and group workshops."
        ),
    },
    {
        "slug": "entreprendre-au-feminin-hainaut",
        "name": "Collectif Entreprendre au Féminin Hainaut",
        "kind": "association",
        "siren": "793155284",
        "siret": "79315528400011",
        "web_domain": "entreprendre-feminin-hainaut.exemple.fr",
        "commune": "Valenciennes",
        "departement_code": "59",
        "description_fr": (
            "Réseau d'entraide de cheffes d'entreprise du Valenciennois et de l'Avesnois : "
            "mentorat, groupes de pairs et ateliers de prise de parole."
        ),
        "description_en": (
            "Mutual-aid network of women business owners around Valenciennes and Avesnes: "
            "mentoring, peer groups and public-speaking workshops."
        ),
    },
    {
        "slug": "hautbois-logistique",
        "name": "Hautbois Logistique",
        "kind": "company",
        "siren": "517440921",
        "siret": "51744092100016",
        "web_domain": "hautbois-logistique.exemple.fr",
        "commune": "Douai",
        "departement_code": "59",
        "description_fr": (
            "Entreprise régionale de logistique et de transport (320 salariés) engagée dans "
            "les achats responsables auprès des très petites entreprises du territoire."
        ),
        "description_en": (
            "Regional logistics and transport company (320 employees) committed to "
            "responsible purchasing from the area's micro-businesses."
        ),
    },
]

# (organisation slug, display name, e-mail local part, role); the first of each organisation is its admin.
STAFF = [
    ("elan-entreprendre-hdf", "Sophie Vandamme", "sophie.vandamme", "admin"),
    ("elan-entreprendre-hdf", "Julien Caron", "julien.caron", "reviewer"),
    ("elan-entreprendre-hdf", "Amandine Lefort", "amandine.lefort", "editor"),
    ("agglo-lys-escaut", "Patrick Desmet", "patrick.desmet", "admin"),
    ("cc-trois-vallees-picardes", "Valérie Dumortier", "valerie.dumortier", "admin"),
    ("mutuelle-septentrion", "Laurent Coppin", "laurent.coppin", "admin"),
    ("club-dirigeants-cote-opale", "Hervé Bourgeois", "herve.bourgeois", "admin"),
    ("club-dirigeants-cote-opale", "Émilie Fournier", "emilie.fournier", "member"),
    ("groupement-entreprises-beauvaisis", "Christophe Lainé", "christophe.laine", "admin"),
    ("ate-artois-gohelle", "Samia Belkacem", "samia.belkacem", "admin"),
    ("tremplin-solidaire-picardie", "Aurélien Petit", "aurelien.petit", "admin"),
    ("entreprendre-au-feminin-hainaut", "Karine Wattiez", "karine.wattiez", "admin"),
    ("hautbois-logistique", "Frédéric Hautbois", "frederic.hautbois", "admin"),
]
ADMINISTRATOR = {"display_name": "Marc Dewaele", "email": "marc.dewaele@badgeons.exemple.fr"}

_CRITERIA_FOOTER_FR = (
    "\n\nLes preuves sont examinées par un ou une chargée d'accompagnement d'Élan Entreprendre, "
    "qui peut demander un complément avant de décider."
)
_CRITERIA_FOOTER_EN = (
    "\n\nEvidence is assessed by an Élan Entreprendre business adviser, who may ask for more "
    "before deciding."
)


def _criteria(items_fr: list[str], items_en: list[str]) -> tuple[str, str]:
    fr = "Pour obtenir ce badge, la personne candidate montre qu'elle sait :\n\n"
    en = "To earn this badge, the applicant shows that they can:\n\n"
    fr += "\n".join(f"- {item}" for item in items_fr) + _CRITERIA_FOOTER_FR
    en += "\n".join(f"- {item}" for item in items_en) + _CRITERIA_FOOTER_EN
    return fr, en


def _badge(slug, name_fr, name_en, description_fr, description_en, criteria, **extra) -> dict:
    criteria_fr, criteria_en = criteria
    return {
        "slug": slug,
        "name_fr": name_fr,
        "name_en": name_en,
        "description_fr": description_fr,
        "description_en": description_en,
        "criteria_fr": criteria_fr,
        "criteria_en": criteria_en,
        "state": "published",
        "expiry_months": None,
        "partners": [],
        "published": "2024-01-08",
        **extra,
    }


BADGE_CLASSES = [
    _badge(
        "communication-prise-de-parole",
        "Communication et prise de parole",
        "Communication and public speaking",
        "Présenter son projet avec clarté et conviction, à l'oral comme à l'écrit, devant "
        "des clients, des financeurs ou un jury.",
        "Presenting one's project clearly and convincingly, orally and in writing, to "
        "customers, funders or a panel.",
        _criteria(
            [
                "présenter son entreprise en trois minutes devant un public (pitch) ;",
                "adapter son message à son interlocuteur (client, banquier, élu) ;",
                "écouter les objections et y répondre sans se disperser.",
            ],
            [
                "present their business in three minutes to an audience (pitch);",
                "adapt their message to the listener (customer, banker, elected official);",
                "listen to objections and answer them to the point.",
            ],
        ),
        esco=["fd446407-b08e-49da-b8e3-7e7c79618c3f", "39e7d2a3-8d01-497c-8c5f-d51ab53a4a22",
              "a17286c5-238d-4f0b-bc24-29e9121345de"],
        tags=["communication", "prise de parole", "pitch"],
        partners=["entreprendre-au-feminin-hainaut"],
        evidence=[
            "J'ai présenté mon projet devant le comité d'engagement de la plateforme de prêt "
            "d'honneur et obtenu le financement demandé.",
            "J'anime chaque trimestre un atelier ouvert au public pour présenter mon activité "
            "et j'ai pris la parole lors du forum de la création d'entreprise.",
        ],
    ),
    _badge(
        "vente-relation-client",
        "Vente et relation client",
        "Sales and customer relations",
        "Trouver ses premiers clients, conclure une vente et fidéliser sa clientèle dans la durée.",
        "Finding one's first customers, closing a sale and keeping customers over time.",
        _criteria(
            [
                "identifier ses clients cibles et aller à leur rencontre ;",
                "mener un entretien de vente jusqu'à la signature d'un devis ;",
                "suivre la satisfaction de ses clients et traiter une réclamation.",
            ],
            [
                "identify target customers and reach out to them;",
                "lead a sales conversation through to a signed quote;",
                "follow customer satisfaction and handle a complaint.",
            ],
        ),
        esco=["0da516ee-e70e-4384-be13-f5ff80be8127", "dc9a236c-c640-43c3-812f-269403591edb",
              "75dfe1ee-5935-42ce-b820-697f827825c3", "c09bf6d4-f8a7-40f3-aead-ef01643f2352"],
        tags=["vente", "relation client", "fidélisation"],
        evidence=[
            "En un an, j'ai signé 42 devis, dont 30 avec de nouveaux clients rencontrés lors "
            "de marchés et de salons professionnels.",
            "J'ai mis en place un questionnaire de satisfaction envoyé après chaque prestation ; "
            "la note moyenne est de 4,7 sur 5.",
        ],
    ),
    _badge(
        "gestion-financiere",
        "Gestion financière",
        "Financial management",
        "Construire et suivre un budget, piloter sa trésorerie et fixer des prix qui "
        "assurent la rentabilité de l'entreprise.",
        "Building and tracking a budget, managing cash flow and setting prices that keep "
        "the business profitable.",
        _criteria(
            [
                "établir un prévisionnel sur douze mois et le comparer au réalisé ;",
                "anticiper un besoin de trésorerie et le financer ;",
                "calculer un prix de revient et en déduire ses tarifs.",
            ],
            [
                "draw up a twelve-month forecast and compare it with actual results;",
                "anticipate a cash-flow need and finance it;",
                "work out a cost price and set prices from it.",
            ],
        ),
        esco=["21c5790c-0930-4d74-b3b0-84caf5af12ea", "e4b6f863-fa9f-4fe7-a984-f948f8c90d24",
              "56c59e98-f133-48ad-9d01-f357a8e2c218", "1c460d2d-90c6-4fc9-ad49-febb6e15605a"],
        tags=["finance", "trésorerie", "tarification"],
        expiry_months=36,
        partners=["mutuelle-septentrion"],
        evidence=[
            "Mon tableau de trésorerie mensuel m'a permis d'anticiper la baisse d'activité "
            "de l'été et de négocier un découvert autorisé avant d'en avoir besoin.",
            "J'ai revu mes tarifs à partir d'un calcul de prix de revient : ma marge brute est "
            "passée de 28 % à 41 % en six mois.",
        ],
    ),
    _badge(
        "pilotage-de-projet",
        "Pilotage de projet",
        "Project management",
        "Conduire un projet de bout en bout : objectifs, planning, ressources, budget et bilan.",
        "Running a project from start to finish: goals, schedule, resources, budget and review.",
        _criteria(
            [
                "formuler des objectifs mesurables et un planning réaliste ;",
                "répartir les tâches et les ressources entre les parties prenantes ;",
                "tenir le budget et dresser le bilan du projet.",
            ],
            [
                "set measurable goals and a realistic schedule;",
                "share tasks and resources among stakeholders;",
                "keep to the budget and review the project at the end.",
            ],
        ),
        esco=["cd5efa8c-e44d-4cbc-91c6-796018dbed68", "7c05199f-7b03-4a4a-afee-7c9dfcf9066a",
              "7d092d81-d1e2-4c34-b3cb-c1c9f2e68b7d"],
        tags=["gestion de projet", "organisation", "planification"],
        evidence=[
            "J'ai conduit l'ouverture de mon second point de vente : travaux, recrutement et "
            "inauguration en quatre mois, dans le budget prévu.",
            "J'ai coordonné la réponse à un appel d'offres avec deux entreprises partenaires, "
            "remporté et livré dans les délais.",
        ],
    ),
    _badge(
        "expertise-metier",
        "Expertise métier",
        "Trade expertise",
        "Maîtriser les savoir-faire de son métier, respecter les normes de qualité et les transmettre.",
        "Mastering the know-how of one's trade, meeting quality standards and passing them on.",
        _criteria(
            [
                "décrire ses techniques et les normes qui encadrent son activité ;",
                "résoudre un problème technique rencontré sur un chantier ou en production ;",
                "former un apprenti, un stagiaire ou un salarié à un geste professionnel.",
            ],
            [
                "describe their techniques and the standards that govern their trade;",
                "solve a technical problem met on site or in production;",
                "train an apprentice, intern or employee in a professional skill.",
            ],
        ),
        esco=["05338a70-1ea1-4c33-a886-1c4f0c7d7241", "236526e2-d5a8-436b-91d1-47e5d431e7ea",
              "14832d87-2f2f-4895-b290-e4760ebae42a"],
        tags=["savoir-faire", "qualité", "transmission"],
        expiry_months=36,
        partners=["cc-trois-vallees-picardes"],
        evidence=[
            "J'accueille chaque année un apprenti en CAP ; les deux derniers ont obtenu leur "
            "diplôme avec mention.",
            "Photos et fiches techniques d'une restauration réalisée selon les règles de l'art, "
            "validée par l'architecte des bâtiments de France.",
        ],
    ),
    _badge(
        "transition-ecologique",
        "Transition écologique",
        "Ecological transition",
        "Réduire l'empreinte environnementale de son entreprise : énergie, déchets, achats "
        "et pratiques durables.",
        "Reducing the environmental footprint of one's business: energy, waste, purchasing "
        "and sustainable practices.",
        _criteria(
            [
                "mesurer au moins un impact environnemental de son activité ;",
                "mettre en œuvre une action de réduction (énergie, déchets, transport, achats) ;",
                "sensibiliser ses clients, fournisseurs ou salariés à sa démarche.",
            ],
            [
                "measure at least one environmental impact of their business;",
                "carry out a reduction measure (energy, waste, transport, purchasing);",
                "raise awareness among customers, suppliers or employees.",
            ],
        ),
        esco=["6742977a-aa00-4c8c-9861-898b0373907e", "507e2b21-1285-47e9-bf09-0db794df1bf0",
              "40f65a56-ccbe-4601-9f32-1cc6cdd24f28", "0037c821-2898-4919-b96e-7ed1cd89554c"],
        tags=["transition écologique", "RSE", "économie circulaire"],
        expiry_months=24,
        partners=["agglo-lys-escaut", "groupement-entreprises-beauvaisis"],
        evidence=[
            "Diagnostic énergie réalisé avec la chambre consulaire, puis isolation de l'atelier : "
            "la facture de chauffage a baissé de 35 %.",
            "Nous avons remplacé les emballages plastiques par des contenants consignés ; "
            "80 % de nos clients les rapportent.",
        ],
    ),
    _badge(
        "management-equipe",
        "Management d'équipe",
        "Team management",
        "Recruter, animer et faire grandir une équipe, même petite, en déléguant et en gérant les tensions.",
        "Leading, motivating and growing a team, however small, by delegating and handling tensions.",
        _criteria(
            [
                "fixer des objectifs clairs à ses collaborateurs et les suivre ;",
                "déléguer une responsabilité et accompagner la personne qui la prend ;",
                "désamorcer un désaccord au sein de l'équipe.",
            ],
            [
                "set clear goals for team members and follow them up;",
                "delegate a responsibility and support the person taking it on;",
                "defuse a disagreement within the team.",
            ],
        ),
        esco=["1f1d2ff8-c4c1-45cc-9812-6a7ee84a73cb", "22c2af9e-ba0d-4cee-abb6-b6dbef006cd5",
              "b00e948c-19be-4951-8cff-60f88f1046e9", "96de2e86-e287-41f2-88ab-15a2343afc6f"],
        tags=["management", "leadership", "équipe"],
        evidence=[
            "J'encadre une équipe de six personnes ; j'ai instauré des entretiens individuels "
            "trimestriels et confié la gestion des stocks à mon adjointe.",
            "Récit d'un conflit entre deux salariés résolu par une médiation et une nouvelle "
            "répartition des plannings.",
        ],
    ),
    _badge(
        "negociation",
        "Négociation",
        "Negotiation",
        "Négocier avec ses clients, ses fournisseurs et ses partenaires pour aboutir à des "
        "accords durables.",
        "Negotiating with customers, suppliers and partners to reach lasting agreements.",
        _criteria(
            [
                "préparer une négociation : objectifs, marges de manœuvre, alternatives ;",
                "défendre son prix sans rompre la relation ;",
                "conclure un accord écrit avec un fournisseur ou un partenaire.",
            ],
            [
                "prepare a negotiation: goals, room for manoeuvre, alternatives;",
                "hold their price without breaking the relationship;",
                "close a written agreement with a supplier or partner.",
            ],
        ),
        esco=["7954861c-86d4-4529-afbb-2c23dab9ac74", "7ee9fb56-91b1-4363-b51f-ea54ae1b5761",
              "5f2efbdf-08a2-49cd-9c06-bd284e4f0fbf"],
        tags=["négociation", "achats", "contrats"],
        evidence=[
            "J'ai renégocié mon contrat d'approvisionnement : délais de paiement portés à "
            "60 jours et remise de 8 % sur les volumes.",
            "Négociation d'un bail commercial avec une franchise de loyer de trois mois pendant "
            "les travaux.",
        ],
    ),
    _badge(
        "marketing-digital",
        "Marketing digital",
        "Digital marketing",
        "Faire connaître son offre en ligne : site, réseaux sociaux, référencement et campagnes.",
        "Promoting one's offer online: website, social media, search visibility and campaigns.",
        _criteria(
            [
                "définir une stratégie de présence en ligne adaptée à ses clients ;",
                "animer au moins un réseau social de façon régulière ;",
                "mesurer les résultats d'une action et l'ajuster.",
            ],
            [
                "define an online presence strategy suited to their customers;",
                "keep at least one social network active on a regular basis;",
                "measure the results of a campaign and adjust it.",
            ],
        ),
        esco=["736ef286-fbd3-4e5c-a4b4-d1e2008c9898", "5303169c-75d6-4751-9136-a4b88343388c",
              "ef64005d-75bc-4597-8ed6-717edec5e55e", "08fd2839-670c-4f16-8024-97437f2035ab"],
        tags=["marketing", "réseaux sociaux", "numérique"],
        expiry_months=24,
        evidence=[
            "Ma page professionnelle est passée de 300 à 2 400 abonnés en un an ; un tiers de "
            "mes nouvelles commandes en vient.",
            "J'ai refait mon site et travaillé son référencement local : il apparaît en "
            "première page sur « traiteur Amiens ».",
        ],
    ),
    _badge(
        "recrutement",
        "Recrutement et intégration",
        "Recruitment and onboarding",
        "Définir un besoin, recruter sa première ou son premier salarié et réussir son intégration.",
        "Defining a need, hiring one's first employee and onboarding them successfully.",
        _criteria(
            [
                "rédiger une fiche de poste et une offre d'emploi ;",
                "mener des entretiens de recrutement sans discrimination ;",
                "organiser l'accueil et la période d'essai d'un nouveau salarié.",
            ],
            [
                "write a job description and a job advertisement;",
                "conduct recruitment interviews free of discrimination;",
                "organise the welcome and probation period of a new employee.",
            ],
        ),
        esco=["65715f7a-c791-416b-b88a-2933a1c81647", "b22e46d7-1c5f-4837-943f-7f75531acc26",
              "045df803-cbab-40a9-9ac0-3c4a81ab4b2c"],
        tags=["recrutement", "ressources humaines", "emploi"],
        partners=["ate-artois-gohelle"],
        evidence=[
            "J'ai recruté ma première salariée grâce à une période de mise en situation en "
            "milieu professionnel ; elle est en CDI depuis un an.",
            "Livret d'accueil et parcours d'intégration de deux semaines créés pour les "
            "nouveaux arrivants.",
        ],
    ),
    _badge(
        "innovation-creativite",
        "Innovation et créativité",
        "Innovation and creativity",
        "Faire émerger de nouvelles idées, les tester rapidement et les transformer en offres.",
        "Generating new ideas, testing them quickly and turning them into products or services.",
        _criteria(
            [
                "repérer un besoin mal satisfait par une veille régulière ;",
                "concevoir et tester un prototype ou une offre pilote ;",
                "tirer les leçons du test pour décider de la suite.",
            ],
            [
                "spot an unmet need through regular monitoring;",
                "design and test a prototype or a pilot offer;",
                "learn from the test to decide what comes next.",
            ],
        ),
        esco=["8c4c49d4-9708-433f-8ca7-bf2c5211ee49", "4fc1d2b4-9645-4fda-be99-abdf8e66c88d",
              "bacbfc27-4b5d-47de-8bfd-af5fa27562a2", "7f70572d-f0c1-4039-9954-b57dc69981f6"],
        tags=["innovation", "créativité", "prototype"],
        evidence=[
            "J'ai testé une offre d'abonnement auprès de vingt clients pendant trois mois "
            "avant de la généraliser.",
            "Prototype d'un service de réparation à domicile conçu lors d'un hackathon "
            "régional, aujourd'hui commercialisé.",
        ],
    ),
    _badge(
        "reseau-partenariats",
        "Réseau et partenariats",
        "Networking and partnerships",
        "Construire et entretenir un réseau professionnel, et nouer des partenariats utiles à son entreprise.",
        "Building and keeping a professional network, and forming partnerships that serve one's business.",
        _criteria(
            [
                "participer activement à un réseau d'entreprises ou à un club ;",
                "nouer au moins un partenariat commercial ou technique formalisé ;",
                "recommander ou mettre en relation d'autres entrepreneurs.",
            ],
            [
                "take an active part in a business network or club;",
                "enter into at least one formal commercial or technical partnership;",
                "recommend or introduce other entrepreneurs.",
            ],
        ),
        esco=["bf5d77ad-e18c-48d8-83f0-bc79c011c74a", "dc72ad0a-c5dc-4abd-bc0d-ca43e82162e1",
              "6f9ac146-8bbd-4b9d-9514-d85586caf17a"],
        tags=["réseau", "partenariats", "coopération"],
        partners=["club-dirigeants-cote-opale"],
        evidence=[
            "Membre du bureau d'un club d'entreprises depuis deux ans, j'organise les petits "
            "déjeuners mensuels.",
            "Partenariat signé avec un paysagiste voisin pour proposer des offres communes "
            "aux particuliers.",
        ],
    ),
    _badge(
        "esprit-entreprendre",
        "Esprit d'entreprendre",
        "Entrepreneurial mindset",
        "Passer de l'idée à l'entreprise : analyser son marché, prendre des décisions et "
        "assumer les risques de la création.",
        "Moving from an idea to a business: analysing one's market, making decisions and "
        "taking on the risks of starting up.",
        _criteria(
            [
                "présenter un modèle économique cohérent avec son marché ;",
                "justifier une décision importante prise pour son entreprise ;",
                "tirer les enseignements d'un échec ou d'une difficulté.",
            ],
            [
                "present a business model consistent with their market;",
                "justify an important decision taken for their business;",
                "learn lessons from a failure or a setback.",
            ],
        ),
        esco=["bdcf429c-5ccf-4c3d-bb61-4c987573a35e", "658605f2-1c95-49f0-bd98-0af7b15ad0b0",
              "27ed854c-15b8-4ba2-90e9-ae888a219703", "d62d2b4c-a6f8-439e-8a1b-4f29ab5f2c47"],
        tags=["entrepreneuriat", "création d'entreprise", "décision"],
        partners=["tremplin-solidaire-picardie"],
        evidence=[
            "Étude de marché menée auprès de 150 habitants avant l'ouverture, puis ajustement "
            "de l'offre et des horaires.",
            "Après un premier échec en 2019, j'ai relancé l'activité avec un associé et un "
            "modèle centré sur les professionnels.",
        ],
    ),
    _badge(
        "developpement-international",
        "Export et développement international",
        "Export and international growth",
        "Préparer une première démarche à l'export, notamment vers la Belgique et le Royaume-Uni.",
        "Preparing a first export step, notably towards Belgium and the United Kingdom.",
        _criteria(
            ["identifier un marché étranger prioritaire ;", "adapter son offre et ses prix à ce marché."],
            ["identify a priority foreign market;", "adapt their offer and prices to that market."],
        ),
        esco=["293301db-be3c-4cba-b3ee-6cc9c55fd70a", "2de4572a-4724-4f76-afc2-72a568a264ac"],
        tags=["export", "international"],
        state="draft",
        published=None,
    ),
    _badge(
        "premiers-pas-creation-2023",
        "Premiers pas de la création (édition 2023)",
        "First steps in business creation (2023 edition)",
        "Badge de la promotion 2023 du parcours de pré-création, remplacé par « Esprit d'entreprendre ».",
        "Badge of the 2023 pre-creation course, replaced by \u201cEntrepreneurial mindset\u201d.",
        _criteria(
            ["suivre les six ateliers du parcours de pré-création ;", "présenter son projet au jury final."],
            ["attend the six workshops of the pre-creation course;", "present their project to the final panel."],
        ),
        esco=["bdcf429c-5ccf-4c3d-bb61-4c987573a35e"],
        tags=["création d'entreprise"],
        state="archived",
        published="2023-02-06",
    ),
]

REVIEW_COMMENTS = {
    "comment": "Nous proposons d'ajouter un critère sur la transmission aux salariés ou aux apprentis.",
    "partner_approve": "Critères clairs et réalistes pour des très petites entreprises : validé.",
    "issuer_approve": "Relecture qualité effectuée, badge prêt à être publié.",
}

# (endorser slug, badge class slug or None for the issuer itself, state, comment, date)
ENDORSEMENTS = [
    ("agglo-lys-escaut", "transition-ecologique", "active",
     "Ce badge correspond aux critères de notre fonds d'aide à la transition des commerces.", "2024-03-14"),
    ("agglo-lys-escaut", "pilotage-de-projet", "active",
     "Nous en tenons compte dans l'instruction des demandes d'aide à l'investissement.", "2024-05-22"),
    ("agglo-lys-escaut", "esprit-entreprendre", "active",
     "Un repère utile pour nos élus et nos chargés de mission économie.", "2024-09-10"),
    ("cc-trois-vallees-picardes", "expertise-metier", "active",
     "Les artisans qui détiennent ce badge sont prioritaires pour nos locaux en bourg-centre.", "2024-04-02"),
    ("cc-trois-vallees-picardes", "vente-relation-client", "active",
     "Un badge concret, adapté aux commerces de proximité de notre territoire.", "2025-01-16"),
    ("mutuelle-septentrion", "gestion-financiere", "active",
     "Nous avons co-construit ce badge : il atteste une vraie maîtrise de la trésorerie.", "2024-02-20"),
    ("mutuelle-septentrion", "pilotage-de-projet", "active",
     "Des critères exigeants, que nous reconnaissons dans nos offres aux jeunes entreprises.", "2025-03-04"),
    ("club-dirigeants-cote-opale", "reseau-partenariats", "active",
     "Nos membres parrainent volontiers les titulaires de ce badge.", "2024-03-28"),
    ("club-dirigeants-cote-opale", "negociation", "active",
     "Un savoir-faire décisif pour les dirigeants de TPE face aux grands donneurs d'ordre.", "2024-11-07"),
    ("club-dirigeants-cote-opale", "management-equipe", "active",
     "Les dirigeants du club reconnaissent ce badge lors de leurs recrutements de cadres.", "2025-06-12"),
    ("groupement-entreprises-beauvaisis", "innovation-creativite", "active",
     "Nous recherchons ce profil pour nos défis d'innovation ouverte.", "2024-10-15"),
    ("groupement-entreprises-beauvaisis", "transition-ecologique", "active",
     "Badge cohérent avec la charte d'achats responsables de nos adhérents.", "2025-02-11"),
    ("ate-artois-gohelle", "recrutement", "active",
     "Nos conseillers orientent en priorité les candidats vers les employeurs titulaires de ce badge.",
     "2024-04-18"),
    ("ate-artois-gohelle", "management-equipe", "active",
     "Un gage de bonnes pratiques d'accueil et d'encadrement des nouveaux salariés.", "2025-04-09"),
    ("tremplin-solidaire-picardie", "communication-prise-de-parole", "active",
     "Nous utilisons ce badge à l'issue de nos ateliers collectifs de prise de parole.", "2024-06-06"),
    ("tremplin-solidaire-picardie", "esprit-entreprendre", "active",
     "Il valorise le parcours des créateurs que nous accompagnons en microcrédit.", "2024-06-06"),
    ("entreprendre-au-feminin-hainaut", "communication-prise-de-parole", "active",
     "Co-construit avec nos mentores : un badge qui donne confiance aux cheffes d'entreprise.",
     "2024-02-29"),
    ("entreprendre-au-feminin-hainaut", "negociation", "active",
     "Une compétence que nos groupes de pairs travaillent tout au long de l'année.", "2025-05-20"),
    ("hautbois-logistique", "transition-ecologique", "active",
     "Nous en tenons compte dans la sélection de nos fournisseurs locaux.", "2024-12-03"),
    ("hautbois-logistique", "vente-relation-client", "active",
     "Un bon indicateur de la qualité de service de nos sous-traitants.", "2025-07-01"),
    ("agglo-lys-escaut", None, "active",
     "Partenaire de longue date : nous reconnaissons la qualité de l'accompagnement d'Élan Entreprendre.",
     "2024-01-30"),
    ("mutuelle-septentrion", None, "active",
     "Un réseau sérieux, dont les procédures d'évaluation sont rigoureuses.", "2024-02-20"),
    ("hautbois-logistique", "marketing-digital", "withdrawn",
     "Badge utile pour repérer des prestataires de communication.", "2024-05-15"),
    ("ate-artois-gohelle", "innovation-creativite", "requested", "", "2026-08-20"),
]
WITHDRAWAL_REASON = (
    "Nous ne sous-traitons plus notre communication et préférons ne plus nous prononcer "
    "sur ce badge."
)
WITHDRAWN_ON = "2025-10-02"

REVOCATION_REASONS = [
    "Badge délivré par erreur : la preuve fournie concernait le projet d'une autre entreprise.",
    "Les éléments de preuve n'ont pas pu être confirmés lors du contrôle qualité annuel.",
    "Retrait à la demande du titulaire, qui a cessé son activité.",
]

DEPARTEMENTS = {
    "02": "Aisne",
    "59": "Nord",
    "60": "Oise",
    "62": "Pas-de-Calais",
    "80": "Somme",
}

# (commune, INSEE code, département code, weight); the weight makes big towns come up more often.
COMMUNES = [
    ("Lille", "59350", "59", 8),
    ("Roubaix", "59512", "59", 3),
    ("Tourcoing", "59599", "59", 3),
    ("Villeneuve-d'Ascq", "59009", "59", 3),
    ("Dunkerque", "59183", "59", 3),
    ("Valenciennes", "59606", "59", 3),
    ("Douai", "59178", "59", 2),
    ("Cambrai", "59122", "59", 2),
    ("Maubeuge", "59392", "59", 2),
    ("Armentières", "59017", "59", 1),
    ("Marcq-en-Barœul", "59378", "59", 2),
    ("Wattrelos", "59650", "59", 1),
    ("Lambersart", "59328", "59", 1),
    ("Hazebrouck", "59295", "59", 1),
    ("Seclin", "59560", "59", 1),
    ("Bailleul", "59043", "59", 1),
    ("Denain", "59172", "59", 1),
    ("Saint-Amand-les-Eaux", "59526", "59", 1),
    ("Avesnes-sur-Helpe", "59036", "59", 1),
    ("Fourmies", "59249", "59", 1),
    ("Arras", "62041", "62", 3),
    ("Lens", "62498", "62", 2),
    ("Béthune", "62119", "62", 2),
    ("Calais", "62193", "62", 3),
    ("Boulogne-sur-Mer", "62160", "62", 2),
    ("Saint-Omer", "62765", "62", 2),
    ("Liévin", "62510", "62", 1),
    ("Hénin-Beaumont", "62427", "62", 1),
    ("Bruay-la-Buissière", "62178", "62", 1),
    ("Berck", "62108", "62", 1),
    ("Montreuil", "62588", "62", 1),
    ("Le Touquet-Paris-Plage", "62826", "62", 1),
    ("Aire-sur-la-Lys", "62014", "62", 1),
    ("Amiens", "80021", "80", 5),
    ("Abbeville", "80001", "80", 2),
    ("Albert", "80016", "80", 1),
    ("Péronne", "80620", "80", 1),
    ("Doullens", "80253", "80", 1),
    ("Saint-Valery-sur-Somme", "80721", "80", 1),
    ("Beauvais", "60057", "60", 3),
    ("Compiègne", "60159", "60", 3),
    ("Creil", "60175", "60", 2),
    ("Senlis", "60612", "60", 1),
    ("Noyon", "60471", "60", 1),
    ("Chantilly", "60141", "60", 1),
    ("Clermont", "60157", "60", 1),
    ("Saint-Quentin", "02691", "02", 3),
    ("Laon", "02408", "02", 2),
    ("Soissons", "02722", "02", 2),
    ("Château-Thierry", "02168", "02", 1),
    ("Chauny", "02173", "02", 1),
    ("Hirson", "02381", "02", 1),
    ("Villers-Cotterêts", "02810", "02", 1),
]

FIRST_NAMES = [
    "Léa", "Manon", "Chloé", "Emma", "Sarah", "Inès", "Julie", "Pauline", "Marion", "Élodie",
    "Aurélie", "Mathilde", "Clara", "Lucie", "Anaïs", "Nadia", "Yasmina", "Sofia", "Océane",
    "Justine", "Margaux", "Anne-Sophie", "Marie-Claire", "Céline", "Sandrine", "Agathe",
    "Thomas", "Nicolas", "Julien", "Maxime", "Antoine", "Kévin", "Romain", "Alexandre", "Hugo",
    "Lucas", "Théo", "Mehdi", "Karim", "Yanis", "Mathieu", "Guillaume", "Benoît", "Jérôme",
    "Sébastien", "Franck", "Olivier", "Damien", "Grégory", "Bruno", "Jean-Baptiste", "Pierre-Louis",
]
LAST_NAMES = [
    "Dubois", "Lefebvre", "Leroy", "Dupont", "Lemaire", "Deschamps", "Vasseur", "Lambert",
    "Delattre", "Deprez", "Vandenbussche", "Vermeulen", "Duhamel", "Lecomte", "Delcourt",
    "Lemoine", "Poulain", "Carpentier", "Dumont", "Delahaye", "Wallart", "Dewitte", "Leclercq",
    "Roussel", "Flament", "Hennebert", "Bouchez", "Maréchal", "Debruyne", "Boulanger",
    "Fontaine", "Masson", "Petit", "Benali", "Haddad", "Nowak", "Kowalski", "Rossi", "Da Silva",
    "Mercier", "Lenoir", "Duquesne", "Degrave", "Tison", "Cousin", "Hochart", "Bernard", "Martin",
]

# sector → [(headline, company name pattern, what the company does)]
SECTORS = {
    "artisanat": [
        ("Menuiserie et ébénisterie : mobilier sur mesure", "Atelier {last}", "fabrique des meubles sur mesure en bois local"),
        ("Boulangerie-pâtisserie au levain naturel", "Fournil {last}", "produit un pain au levain avec des farines de la région"),
        ("Céramique utilitaire en grès", "Terres de {commune}", "tourne de la vaisselle en grès vendue en boutique et en ligne"),
        ("Couture et retouches, créations textiles", "Fil & Aiguille {commune}", "crée et retouche des vêtements à partir de tissus de récupération"),
    ],
    "commerce": [
        ("Épicerie fine et produits du terroir", "Les Saveurs de {commune}", "sélectionne des produits de petits producteurs des Hauts-de-France"),
        ("Librairie indépendante et café littéraire", "La Page de {commune}", "tient une librairie généraliste avec un coin café"),
        ("Boutique de vêtements de seconde main", "Deuxième Manche", "revend des vêtements de seconde main triés et remis en état"),
    ],
    "numérique": [
        ("Développement web et applications pour les TPE", "{last} Numérique", "conçoit des sites et des applications pour les petites entreprises"),
        ("Cybersécurité des petites entreprises", "Rempart Cyber", "audite et sécurise les systèmes informatiques des TPE et PME"),
        ("Conseil en données et tableaux de bord", "Datanord {last}", "construit des tableaux de bord pour piloter l'activité"),
    ],
    "BTP": [
        ("Rénovation énergétique des logements", "{last} Rénovation", "isole et rénove des maisons anciennes"),
        ("Électricité et installations photovoltaïques", "Solaire {commune}", "installe des panneaux solaires chez les particuliers et les agriculteurs"),
        ("Maçonnerie et restauration du bâti ancien", "Briques & Pierres {last}", "restaure des façades en brique et en pierre calcaire"),
    ],
    "restauration": [
        ("Restaurant de cuisine de saison en circuit court", "Le Comptoir de {commune}", "cuisine des produits de saison achetés à moins de 50 km"),
        ("Traiteur pour les événements d'entreprise", "{last} Traiteur", "prépare des buffets et des plateaux-repas pour les entreprises"),
        ("Food truck de spécialités du Nord", "Le Camion Ch'ti", "sert des spécialités régionales sur les marchés et les festivals"),
    ],
    "services aux entreprises": [
        ("Expertise comptable pour les très petites entreprises", "Cabinet {last}", "tient la comptabilité et conseille les artisans et commerçants"),
        ("Ressources humaines à temps partagé", "RH Partagées {commune}", "apporte une fonction RH aux PME qui n'en ont pas"),
        ("Traduction technique français-anglais-néerlandais", "Trilingua {last}", "traduit des documents techniques pour les industriels"),
    ],
    "agriculture": [
        ("Maraîchage biologique en vente directe", "Les Jardins de {commune}", "cultive des légumes biologiques vendus en paniers"),
        ("Élevage de chèvres et fromagerie à la ferme", "Ferme {last}", "élève des chèvres et transforme le lait à la ferme"),
        ("Endives de pleine terre et légumes anciens", "Chicons {last}", "produit des endives de pleine terre et des légumes oubliés"),
    ],
    "économie sociale et solidaire": [
        ("Ressourcerie et ateliers de réemploi", "Ressourcerie de {commune}", "collecte, répare et revend des objets du quotidien"),
        ("Coopérative de réparation de vélos", "Vélo Solidaire {commune}", "répare des vélos et forme des personnes en insertion"),
        ("Épicerie solidaire et ateliers cuisine", "Le Panier Partagé", "propose des produits à petit prix et des ateliers anti-gaspillage"),
    ],
    "tourisme": [
        ("Chambres d'hôtes et gîte rural", "Le Clos {last}", "accueille des voyageurs dans une ancienne ferme rénovée"),
        ("Visites guidées et découverte du patrimoine", "Balades {commune}", "fait découvrir le patrimoine minier, industriel et naturel"),
        ("Location de vélos électriques et circuits", "Roue Libre {commune}", "loue des vélos électriques et conçoit des circuits de découverte"),
    ],
    "santé et bien-être": [
        ("Ostéopathie en cabinet pluridisciplinaire", "Cabinet {last}", "soigne des patients au sein d'une maison de santé"),
        ("Sophrologie et gestion du stress en entreprise", "Souffle {commune}", "anime des séances de sophrologie pour des salariés"),
        ("Studio de yoga et de pilates", "Studio Équilibre {commune}", "propose des cours de yoga et de pilates pour tous les âges"),
    ],
}

BACKGROUNDS = [
    "dix ans d'expérience salariée dans le même secteur",
    "une reconversion professionnelle accompagnée par Élan Entreprendre",
    "un parcours dans la grande distribution",
    "des études à Lille puis plusieurs années à l'étranger",
    "une formation en alternance chez un artisan de la région",
    "une période de chômage mise à profit pour mûrir le projet",
    "quinze ans dans l'industrie",
]
VALUES = [
    "des produits et des services de qualité, faits près de chez vous",
    "une relation de confiance avec chaque client",
    "des achats responsables auprès de fournisseurs locaux",
    "la transmission du savoir-faire à des apprentis",
    "des prix justes et transparents",
    "l'emploi local et l'insertion",
    "la réduction des déchets à chaque étape",
]
