#!/usr/bin/python3
"""Loads the demo data: first the Nord 2018 demo, the three ateliers thématiques
territoriaux that the Préfecture du Nord held in Lille in February 2018 (see the
founding document):

  6 Feb 2018   emploi et développement économique
  8 Feb 2018   prévention et lutte contre les discriminations
  13 Feb 2018  image des quartiers

with the local actors who took part (collectivités, associations, bailleurs
sociaux, conseils citoyens, adultes-relais, the IREV resource centre, services
de l'État, entreprises), their participants, registrations, attendance,
contributions and votes.

Then, so that national shows several préfectures and regions, two demo
workshops in each of two more préfectures, Bouches-du-Rhône (13, Marseille)
and Rhône (69, Lyon, Vaulx-en-Velin, Vénissieux). These never took place:
their titles and organisations start with "[Démo] " and their descriptions
say so. Some of their reproducible actions repeat Nord ones in other words,
so that national groups them as good practices from several préfectures.

Re-running it creates nothing new: every resource is looked up first (by its
display name, e-mail or title) and every create carries a deterministic
request_id, so a retried or repeated create returns the first result.

    /usr/bin/python3 scripts/load_demo.py --stakeholder 127.0.0.1:50051 \\
        --workshop 127.0.0.1:50052 --python-dir build/python [--prefecture 13]

Facts and fiction: the Nord dates, the themes, Lille, the categories of actors
and the QPV codes and names (2024 list, Décret n° 2023-1314) are real. Every
person is invented (names built from local words, e-mails at example.org,
phone numbers from the range ARCEP reserves for fiction); associations,
bailleurs and businesses are invented too; the texts of the contributions are
illustrative; the workshops of the Bouches-du-Rhône and the Rhône are invented.
"""

import argparse
import hashlib
import os
import sys
import time
import unicodedata

PREFECTURE = "59"
RID = "demo-nord-2018"  # prefix of every request_id

# --------------------------------------------------------------------------
# QPV of the Nord (2024 codes) that the demo uses. For reference only: the
# codes below are written where they are used.
QPV = {
    "QN05981M": "Nouveau Roubaix (Roubaix)",
    "QN05969M": "Hautchamps Longchamp - Lionderie - 3 Baudets (Hem, Lys-lez-Lannoy, Roubaix)",
    "QN05980M": "Roubaix-Tourcoing - Blanc Seau - Croix Bas Saint Pierre - Wattrelos Nord",
    "QN05985M": "La Bourgogne (Tourcoing)",
    "QN05983M": "Phalempins (Tourcoing)",
    "QN05986M": "Pont Rompu (Tourcoing)",
    "QN05989M": "Centralité De Beaulieu (Wattrelos)",
    "QN05971M": "Secteur Ouest (Lille)",
    "QN05972M": "Secteur Sud (Lille, Faches-Thumesnil, Lezennes, Loos)",
    "QN05973M": "Secteur Nord Est (Lille)",
    "QN05974M": "Secteur Nord (Lille)",
    "QN05978M": "Nouveau Mons - Les Sarts - Dombrowski (Mons-en-Barœul, Lille, Villeneuve-d'Ascq)",
    "QN05930M": "Dutemple Chasse Royale Saint Waast - La Sentinelle (Valenciennes, Anzin)",
    "QN05921M": "Zone Intercommunale Rives De L'Escaut (Valenciennes, Anzin, Raismes...)",
    "QN05931M": "Faubourg De Cambrai - La Briquette (Valenciennes, Marly)",
    "QN05915M": "Pont De Pierre (Maubeuge)",
    "QN05916M": "Provinces françaises - La Joyeuse (Maubeuge)",
    "QN05917M": "L'Epinette (Maubeuge)",
    "QN05950M": "Denain (Denain)",
    "QN05954M": "Gambetta (Denain, Escaudain, Lourches)",
    "QN05960M": "Saint Pol Sur Mer Quartiers Ouest (Dunkerque)",
    "QN05962M": "Soubise - Basse Ville (Dunkerque)",
    "QN05963M": "Albeck - Europe - Moulin (Grande-Synthe)",
}

# --------------------------------------------------------------------------
# Organisations: (key, display name, category, QPV codes, number of participants).
# Categories are qpv.common.v1.ActorCategory values without the prefix.
ORGANIZATIONS = [
    # Collectivités territoriales
    ("ville-roubaix", "Ville de Roubaix, direction de la politique de la ville",
     "LOCAL_AUTHORITY", ["QN05981M", "QN05969M", "QN05980M"], 3),
    ("ville-tourcoing", "Ville de Tourcoing, mission politique de la ville",
     "LOCAL_AUTHORITY", ["QN05985M", "QN05983M", "QN05986M"], 2),
    ("ville-lille", "Ville de Lille, développement social des quartiers",
     "LOCAL_AUTHORITY", ["QN05971M", "QN05972M", "QN05973M", "QN05974M"], 3),
    ("mel", "Métropole Européenne de Lille, service politique de la ville",
     "LOCAL_AUTHORITY", ["QN05981M", "QN05985M", "QN05972M", "QN05978M"], 2),
    ("valenciennes-metropole", "Valenciennes Métropole, contrat de ville",
     "LOCAL_AUTHORITY", ["QN05930M", "QN05921M", "QN05931M"], 2),
    ("ville-maubeuge", "Ville de Maubeuge, service cohésion sociale",
     "LOCAL_AUTHORITY", ["QN05915M", "QN05916M", "QN05917M"], 2),
    ("ville-denain", "Ville de Denain, politique de la ville",
     "LOCAL_AUTHORITY", ["QN05950M", "QN05954M"], 2),
    ("cud", "Communauté urbaine de Dunkerque, cohésion sociale",
     "LOCAL_AUTHORITY", ["QN05960M", "QN05962M", "QN05963M"], 2),
    # Associations (invented names)
    ("assoc-tremplin-roubaix", "Les Ateliers du Tremplin (Roubaix)",
     "ASSOCIATION", ["QN05981M"], 2),
    ("assoc-entreprendre-feminin", "Entreprendre au féminin en quartiers (Tourcoing)",
     "ASSOCIATION", ["QN05985M", "QN05986M"], 2),
    ("assoc-mediation-lille-sud", "Médiation et Droits Lille Sud",
     "ASSOCIATION", ["QN05972M"], 2),
    ("assoc-passerelles-valenciennes", "Passerelles Jeunesse du Valenciennois",
     "ASSOCIATION", ["QN05930M", "QN05931M"], 2),
    ("assoc-regie-maubeuge", "Régie de quartier des Provinces (Maubeuge)",
     "ASSOCIATION", ["QN05916M", "QN05915M"], 2),
    ("assoc-memoires-denain", "Mémoires ouvrières du Denaisis",
     "ASSOCIATION", ["QN05950M", "QN05954M"], 2),
    ("assoc-radio-basse-ville", "Radio Basse Ville, média de quartier (Dunkerque)",
     "ASSOCIATION", ["QN05962M"], 2),
    ("assoc-sport-grande-synthe", "Sport et Citoyenneté Grande-Synthe",
     "ASSOCIATION", ["QN05963M"], 2),
    ("assoc-droits-wattrelos", "Point d'accès aux droits de Beaulieu (Wattrelos)",
     "ASSOCIATION", ["QN05989M"], 2),
    # Bailleurs sociaux (invented names)
    ("bailleur-metropole", "Habitat Métropole Nord",
     "SOCIAL_LANDLORD", ["QN05981M", "QN05985M", "QN05971M"], 2),
    ("bailleur-hainaut", "Logement Solidaire du Hainaut",
     "SOCIAL_LANDLORD", ["QN05930M", "QN05950M", "QN05915M"], 2),
    ("bailleur-littoral", "Foyer du Littoral",
     "SOCIAL_LANDLORD", ["QN05960M", "QN05963M"], 2),
    # Conseils citoyens
    ("cc-nouveau-roubaix", "Conseil citoyen Nouveau Roubaix",
     "CITIZEN_COUNCIL", ["QN05981M"], 2),
    ("cc-bourgogne", "Conseil citoyen La Bourgogne (Tourcoing)",
     "CITIZEN_COUNCIL", ["QN05985M"], 2),
    ("cc-lille-sud", "Conseil citoyen Lille Sud",
     "CITIZEN_COUNCIL", ["QN05972M"], 2),
    ("cc-epinette", "Conseil citoyen L'Epinette (Maubeuge)",
     "CITIZEN_COUNCIL", ["QN05917M"], 2),
    ("cc-denain", "Conseil citoyen de Denain",
     "CITIZEN_COUNCIL", ["QN05950M"], 2),
    ("cc-basse-ville", "Conseil citoyen Soubise - Basse Ville (Dunkerque)",
     "CITIZEN_COUNCIL", ["QN05962M"], 2),
    # Adultes-relais
    ("ar-roubaix-tourcoing", "Adultes-relais médiateurs Roubaix-Tourcoing",
     "ADULT_RELAY", ["QN05980M", "QN05981M", "QN05985M"], 3),
    ("ar-valenciennes", "Adultes-relais du Valenciennois",
     "ADULT_RELAY", ["QN05921M", "QN05930M"], 2),
    # Centre de ressources politique de la ville
    ("irev", "IREV, centre de ressources politique de la ville Hauts-de-France",
     "RESOURCE_CENTER", [], 2),
    # Services de l'État
    ("prefecture-nord", "Préfecture du Nord, mission politique de la ville",
     "STATE_SERVICE", [], 3),
    ("delegues-prefet", "Délégués du préfet dans les quartiers (Nord)",
     "STATE_SERVICE", ["QN05981M", "QN05985M", "QN05972M", "QN05930M", "QN05917M",
                       "QN05950M", "QN05962M"], 2),
    ("direccte", "DIRECCTE Hauts-de-France, unité départementale du Nord",
     "STATE_SERVICE", [], 2),
    ("pole-emploi", "Pôle emploi, agences de Roubaix et Tourcoing",
     "STATE_SERVICE", ["QN05981M", "QN05985M", "QN05980M"], 2),
    # Entreprises (invented names)
    ("club-entreprises", "Club des entreprises partenaires des quartiers (Roubaix-Tourcoing)",
     "BUSINESS", ["QN05981M", "QN05980M"], 2),
    ("recyclerie-escaut", "Recyclerie solidaire de l'Escaut (entreprise d'insertion)",
     "BUSINESS", ["QN05921M"], 2),
]

# Participants: the i-th one is GIVEN_NAMES[i] FAMILY_NAMES[i % len], clearly
# invented family names taken from Nord words.
GIVEN_NAMES = [
    "Amina", "Bruno", "Chloé", "Djamel", "Élodie", "Farid", "Gaëlle", "Hugo", "Inès",
    "Julien", "Karima", "Laurent", "Mélanie", "Nordine", "Océane", "Pascal", "Rachida",
    "Sébastien", "Samira", "Thomas", "Yasmina", "Vincent", "Zohra", "Antoine", "Fatou",
    "Benoît", "Leïla", "Christophe", "Nadia", "David", "Aïcha", "Éric", "Sophie",
    "Mohamed", "Isabelle", "Karim", "Valérie", "Mamadou", "Aurélie", "Youssef", "Céline",
    "Jean-Marc", "Soraya", "Olivier", "Malika", "Patrick", "Nathalie", "Rachid", "Émilie",
    "Mickaël", "Hafsa", "Stéphane", "Sandrine", "Abdel", "Justine", "Kévin", "Houria",
    "Ludovic", "Sabrina", "Ibrahima", "Marion", "Frédéric", "Latifa", "Guillaume",
    "Dounia", "Nicolas", "Lucie", "Moussa", "Claire", "Yannick", "Naïma", "Arnaud",
    "Sarah", "Brahim", "Delphine", "Hervé", "Salima", "Quentin",
]
FAMILY_NAMES = [
    "Beffroi", "Carillon", "Estaminet", "Wassingue", "Chicorée", "Maroilles", "Genièvre",
    "Braderie", "Courée", "Filature", "Lainière", "Houblon", "Cramique", "Merveilleux",
    "Waterzoï", "Babelute", "Terril", "Chevalement", "Gaufrette", "Bistouille",
    "Fricadelle", "Carbonnade", "Craquelin", "Spéculoos", "Vergeoise", "Chicon",
    "Dentelle", "Navette", "Bobine", "Escaut", "Sambre", "Deûle", "Yser", "Goyère",
    "Flamiche", "Potjevleesch", "Ch'tiot",
]

CONSENT_TIME = "2018-01-22T09:00:00Z"  # consent given with the invitation

# --------------------------------------------------------------------------
# Workshops. Themes are qpv.common.v1.Theme values without the prefix; kinds
# are Contribution.Kind values without "KIND_". Times are UTC (Lille is UTC+1
# in February). `absent`: how many registered people did not come. Each
# contribution: (kind, organisation key, votes, reproducible, extra themes,
# title, text).
VENUE = "Préfecture du Nord, rue Jean sans Peur, Lille"

WORKSHOPS = [
    {
        "key": "emploi",
        "title": "Atelier thématique territorial : emploi et développement économique",
        "themes": ["EMPLOYMENT_ECONOMIC_DEVELOPMENT"],
        "start": "2018-02-06T08:30:00Z", "end": "2018-02-06T12:00:00Z",
        "qpv_codes": ["QN05981M", "QN05985M", "QN05972M", "QN05930M", "QN05917M",
                      "QN05950M", "QN05962M"],
        "description": (
            "Premier des trois ateliers organisés par la Préfecture du Nord pour la "
            "mobilisation nationale en faveur des quartiers prioritaires : faire remonter "
            "des actions concrètes, innovantes et reproductibles pour l'emploi et le "
            "développement économique des habitants des quartiers."),
        "final_state": "REPORTED",
        "absent": 3,
        "contributions": [
            ("ACTION", "pole-emploi", 18, True, [],
             "Job dating en pied d'immeuble",
             "Organiser chaque trimestre un job dating au pied des immeubles avec le service "
             "public de l'emploi, la mission locale et des entreprises du territoire, pour "
             "aller vers les habitants qui ne poussent plus la porte des agences. À Roubaix, "
             "une matinée a permis de rencontrer une soixantaine de personnes et de décrocher "
             "quatorze entretiens d'embauche."),
            ("GOOD_PRACTICE", "mel", 15, True, ["HOUSING_URBAN_RENEWAL"],
             "Clauses d'insertion dans les chantiers de renouvellement urbain",
             "Réserver systématiquement une part des heures travaillées des chantiers de "
             "renouvellement urbain aux habitants des quartiers, avec un facilitateur de "
             "clauses unique à l'échelle de la métropole qui suit chaque parcours jusqu'à "
             "l'emploi durable et mutualise les heures entre maîtres d'ouvrage."),
            ("OBSTACLE", "cc-denain", 12, False, ["MOBILITY"],
             "Zones d'emploi mal desservies aux horaires décalés",
             "Les zones d'activité et les plateformes logistiques recrutent, mais elles sont "
             "mal desservies tôt le matin et tard le soir. Sans permis ni véhicule, des "
             "habitants refusent des postes en deux-huit."),
            ("ACTION", "assoc-regie-maubeuge", 10, True, ["MOBILITY"],
             "Auto-école sociale adossée à un garage solidaire",
             "Un permis de conduire à coût réduit avec un accompagnement renforcé, puis la "
             "location d'un véhicule à quelques euros par jour pendant les trois premiers "
             "mois d'un nouvel emploi, le temps d'en acheter un."),
            ("IDEA", "bailleur-metropole", 9, True, ["HOUSING_URBAN_RENEWAL"],
             "Des rez-de-chaussée vacants pour les créateurs du quartier",
             "Transformer des locaux vacants en pied d'immeuble en locaux d'activité à loyer "
             "progressif pour les habitants qui créent leur entreprise, avec l'appui d'une "
             "couveuse pendant les deux premières années."),
            ("GOOD_PRACTICE", "club-entreprises", 14, True, [],
             "Parrainage de jeunes diplômés par des salariés d'entreprises",
             "Des salariés volontaires parrainent pendant six mois des jeunes diplômés du "
             "quartier : simulations d'entretien, ouverture de leur carnet d'adresses, visites "
             "d'entreprises. Sur quarante filleuls suivis, vingt-six ont trouvé un emploi ou "
             "une formation qualifiante."),
            ("OBSTACLE", "assoc-entreprendre-feminin", 11, False, [],
             "Pas de garde d'enfants aux horaires atypiques",
             "Les mères seules qui reprennent un emploi ou une formation ne trouvent pas de "
             "solution de garde tôt le matin, le soir ou le week-end : c'est le premier motif "
             "d'abandon des parcours que nous accompagnons."),
            ("RECOMMENDATION", "ville-tourcoing", 8, True, [],
             "Un guichet unique de la création d'activité dans chaque quartier",
             "Réunir une demi-journée par semaine, dans un lieu du quartier, les réseaux "
             "d'accompagnement à la création, le microcrédit et les chambres consulaires, "
             "pour éviter aux porteurs de projet de multiplier les rendez-vous en centre-ville."),
            ("ACTION", "ar-roubaix-tourcoing", 7, True, ["SAFETY_PREVENTION"],
             "Chantiers éducatifs rémunérés pour les 16-25 ans",
             "Proposer aux jeunes repérés par les éducateurs et les adultes-relais des "
             "chantiers courts et rémunérés avec le bailleur (peinture des halls, espaces "
             "verts), comme première marche vers l'emploi ou la formation."),
            ("IDEA", "cc-nouveau-roubaix", 6, True, ["CITIZEN_PARTICIPATION"],
             "Recenser les savoir-faire des habitants",
             "Construire avec le conseil citoyen une cartographie des compétences des "
             "habitants (langues parlées, métiers exercés, engagement bénévole) et la "
             "présenter aux employeurs locaux."),
            ("RECOMMENDATION", "direccte", 5, False, [],
             "Mieux faire connaître les aides à l'embauche des habitants des quartiers",
             "Les petites entreprises connaissent mal les aides à l'embauche des habitants "
             "des quartiers prioritaires : diffuser une fiche simple par bassin d'emploi et "
             "désigner un interlocuteur unique pour les TPE."),
            ("GOOD_PRACTICE", "assoc-passerelles-valenciennes", 9, True, ["EDUCATION"],
             "Des habitants présentent leur métier aux collégiens",
             "Au collège, des habitants du quartier en emploi présentent leur métier aux "
             "élèves et à leurs parents : des modèles proches qui montrent qu'aucun secteur "
             "n'est fermé aux jeunes du quartier."),
        ],
    },
    {
        "key": "discriminations",
        "title": "Atelier thématique territorial : prévention et lutte contre les discriminations",
        "themes": ["DISCRIMINATION"],
        "start": "2018-02-08T13:30:00Z", "end": "2018-02-08T16:30:00Z",
        "qpv_codes": ["QN05972M", "QN05981M", "QN05989M", "QN05930M", "QN05917M",
                      "QN05963M"],
        "description": (
            "Deuxième atelier : repérer les discriminations vécues par les habitants des "
            "quartiers (emploi, logement, accès aux droits, espace public) et recenser les "
            "actions de prévention qui ont fait leurs preuves."),
        "final_state": "HELD",
        "absent": 4,
        "contributions": [
            ("GOOD_PRACTICE", "assoc-mediation-lille-sud", 16, True, ["EMPLOYMENT_ECONOMIC_DEVELOPMENT"],
             "Testing participatif des candidatures",
             "Avec des habitants volontaires et l'appui d'un juriste, envoyer des candidatures "
             "comparables qui ne diffèrent que par l'adresse ou le nom, pour objectiver les "
             "discriminations à l'embauche, puis restituer les résultats aux employeurs du "
             "territoire dans un cadre non stigmatisant."),
            ("ACTION", "ville-lille", 13, True, ["EMPLOYMENT_ECONOMIC_DEVELOPMENT"],
             "Candidatures anonymes pour les emplois saisonniers des collectivités",
             "Les collectivités signataires du contrat de ville anonymisent les candidatures "
             "à leurs emplois saisonniers et à leurs contrats d'apprentissage, et publient "
             "chaque année le bilan des recrutements."),
            ("OBSTACLE", "cc-lille-sud", 14, False, [],
             "La discrimination à l'adresse",
             "Une adresse en quartier prioritaire sur un CV ou un dossier de location reste "
             "un frein : plusieurs jeunes disent utiliser l'adresse d'un proche pour obtenir "
             "un entretien."),
            ("ACTION", "assoc-droits-wattrelos", 12, True, [],
             "Permanences d'accès au droit dans les centres sociaux",
             "Des permanences mensuelles avec un délégué du Défenseur des droits dans les "
             "centres sociaux aident les victimes à qualifier une discrimination et à "
             "constituer un dossier : la plupart ignorent qu'un recours est possible."),
            ("GOOD_PRACTICE", "bailleur-hainaut", 8, True, ["HOUSING_URBAN_RENEWAL"],
             "Former les agents d'accueil aux discriminations involontaires",
             "Former les agents d'accueil des services publics et des bailleurs à repérer les "
             "pratiques discriminatoires involontaires : refus implicites, pièces demandées "
             "sans base légale, orientation différente selon le nom."),
            ("IDEA", "ar-valenciennes", 10, True, ["EDUCATION"],
             "Des binômes collégiens et adultes-relais contre les stéréotypes",
             "Former des binômes de collégiens et d'adultes-relais pour animer en classe de "
             "quatrième des débats sur les stéréotypes, avec les enseignants."),
            ("RECOMMENDATION", "irev", 9, True, [],
             "Un plan territorial de prévention des discriminations par contrat de ville",
             "Inscrire dans chaque contrat de ville un plan de prévention des discriminations "
             "fondé sur un diagnostic partagé, avec des indicateurs suivis en comité de "
             "pilotage."),
            ("OBSTACLE", "delegues-prefet", 7, False, [],
             "Les discriminations sont très peu signalées",
             "Peur des représailles, lassitude, méconnaissance des recours : les victimes "
             "renoncent à signaler, et les chiffres sous-estiment fortement ce que vivent les "
             "habitants des quartiers."),
            ("ACTION", "assoc-sport-grande-synthe", 11, True, ["CULTURE_SPORT"],
             "Des créneaux encadrés pour les filles dans les city-stades",
             "Réserver et encadrer des créneaux sportifs pour les jeunes filles sur les "
             "city-stades, occupés de fait par les seuls garçons : la fréquentation féminine "
             "a triplé en un an."),
            ("RECOMMENDATION", "recyclerie-escaut", 6, True, ["EMPLOYMENT_ECONOMIC_DEVELOPMENT"],
             "Une charte de non-discrimination pour les entreprises partenaires",
             "Proposer aux entreprises qui recrutent par les clauses d'insertion de signer une "
             "charte de non-discrimination et de former leurs recruteurs, avec un suivi par "
             "le service public de l'emploi."),
            ("IDEA", "ar-roubaix-tourcoing", 13, True, ["SAFETY_PREVENTION"],
             "Rencontres encadrées entre jeunes et policiers du secteur",
             "Organiser des rencontres régulières entre jeunes du quartier et policiers du "
             "secteur, animées par des médiateurs, pour désamorcer les tensions liées aux "
             "contrôles."),
            ("GOOD_PRACTICE", "cc-epinette", 5, True, [],
             "Un groupe de parole sur les discriminations vécues",
             "Un groupe de parole mensuel au centre social permet aux habitantes de mettre des "
             "mots sur les discriminations vécues et d'être orientées vers l'accès au droit."),
        ],
    },
    {
        "key": "image",
        "title": "Atelier thématique territorial : image des quartiers",
        "themes": ["NEIGHBOURHOOD_IMAGE"],
        "start": "2018-02-13T08:30:00Z", "end": "2018-02-13T12:00:00Z",
        "qpv_codes": ["QN05981M", "QN05985M", "QN05978M", "QN05950M", "QN05962M",
                      "QN05960M", "QN05916M"],
        "description": (
            "Troisième atelier : changer le regard porté sur les quartiers prioritaires, "
            "valoriser leurs habitants et leurs réussites, associer les habitants au récit "
            "de leur quartier."),
        "final_state": "HELD",
        "absent": 2,
        "contributions": [
            ("GOOD_PRACTICE", "assoc-radio-basse-ville", 17, True, ["CITIZEN_PARTICIPATION"],
             "Un média de quartier animé par les habitants",
             "Une radio et un site animés par des habitants formés au journalisme racontent "
             "la vie du quartier au quotidien ; les médias régionaux reprennent désormais "
             "certains de leurs sujets."),
            ("ACTION", "ville-roubaix", 14, True, [],
             "Journée portes ouvertes des quartiers",
             "Une fois par an, les habitants font visiter leur quartier au reste de "
             "l'agglomération : ateliers d'artistes, jardins partagés, commerces, équipements "
             "rénovés."),
            ("OBSTACLE", "cc-basse-ville", 12, False, [],
             "Une couverture médiatique centrée sur les faits divers",
             "Les médias ne parlent des quartiers qu'à l'occasion des faits divers ; les "
             "créations d'entreprises, les diplômes et les initiatives associatives ne sont "
             "presque jamais relayés."),
            ("IDEA", "assoc-memoires-denain", 11, True, ["CULTURE_SPORT"],
             "Recueillir la mémoire ouvrière du quartier",
             "Recueillir les témoignages des anciens de la mine et de la sidérurgie et de "
             "leurs familles pour une exposition itinérante et un parcours dans le quartier, "
             "qui relient l'histoire du territoire à la fierté de ses habitants."),
            ("ACTION", "ville-denain", 8, True, [],
             "Une page des réussites dans le magazine municipal",
             "Réserver chaque mois une page du magazine municipal aux parcours d'habitants et "
             "aux initiatives associatives des quartiers prioritaires."),
            ("GOOD_PRACTICE", "bailleur-littoral", 13, True, ["HOUSING_URBAN_RENEWAL"],
             "Des fresques participatives sur les pignons rénovés",
             "Associer habitants et artistes à la conception de fresques sur les pignons des "
             "résidences rénovées : les dégradations ont nettement diminué sur les immeubles "
             "concernés."),
            ("RECOMMENDATION", "cc-bourgogne", 9, False,
             ["HOUSING_URBAN_RENEWAL", "CITIZEN_PARTICIPATION"],
             "Associer les conseils citoyens à la communication sur le renouvellement urbain",
             "Les projets de renouvellement urbain sont présentés sans les habitants : "
             "associer les conseils citoyens aux supports de communication et aux visites de "
             "chantier."),
            ("OBSTACLE", "cc-nouveau-roubaix", 10, False, ["HOUSING_URBAN_RENEWAL"],
             "Dépôts sauvages et propreté",
             "Les encombrants et les dépôts sauvages dégradent l'image du quartier plus vite "
             "qu'une campagne de communication ne la restaure : la gestion urbaine de "
             "proximité doit être renforcée."),
            ("IDEA", "valenciennes-metropole", 8, True, ["CULTURE_SPORT"],
             "Accueillir les événements de l'agglomération dans les quartiers",
             "Programmer des événements culturels et sportifs de l'agglomération dans les "
             "équipements des quartiers, pour que le public vienne dans les quartiers et non "
             "l'inverse."),
            ("ACTION", "assoc-tremplin-roubaix", 7, True, [],
             "Des jeunes ambassadeurs numériques du quartier",
             "Former des jeunes à la vidéo et aux réseaux sociaux pour produire des contenus "
             "positifs sur leur quartier, relayés par la ville et les bailleurs."),
            ("RECOMMENDATION", "irev", 12, True, [],
             "Capitaliser et diffuser les actions présentées aux trois ateliers",
             "Le centre de ressources propose de recenser les actions présentées lors des "
             "trois ateliers dans une base partagée, pour les faire connaître aux autres "
             "territoires de la région et aux groupes de travail nationaux."),
            ("GOOD_PRACTICE", "cc-epinette", 6, True, ["CITIZEN_PARTICIPATION"],
             "Une balade d'accueil pour les nouveaux habitants",
             "Un livret et une balade d'accueil préparés par le conseil citoyen présentent "
             "aux nouveaux arrivants les services, les associations et les lieux du quartier."),
        ],
    },
]
REGISTRATIONS_PER_WORKSHOP = 40
CAPACITY = 45
# Always at each workshop: the préfecture's team and the resource centre.
ALWAYS_INVITED = ("prefecture-nord", "irev")


class Demo:
    """One préfecture's demo: its organisations, participants and workshops.

    request_ids are f"{rid}-org-{key}" etc.: never change rid, the keys or the
    order of a list once loaded somewhere, or a re-run would create copies."""

    def __init__(self, code, label, rid, organizations, family_names, workshops, venue,
                 always_invited, registrations_per_workshop, capacity, consent_time,
                 email_tag="", phone_block=0, given_names=None):
        self.code = code
        self.parent = f"prefectures/{code}"
        self.label = label
        self.rid = rid
        self.organizations = organizations
        self.given_names = given_names or GIVEN_NAMES
        self.family_names = family_names
        self.workshops = workshops
        self.venue = venue
        self.always_invited = always_invited
        self.registrations_per_workshop = registrations_per_workshop
        self.capacity = capacity
        self.consent_time = consent_time
        # ".demo13" in e-mails keeps them unique across préfectures; Nord has
        # none (its e-mails are how a re-run finds its persons).
        self.email_tag = email_tag
        # Phone numbers +33 6 39 98 BB NN: BB is the block, NN the person.
        self.phone_block = phone_block


NORD = Demo(PREFECTURE, "Nord 2018 demo (préfecture 59)", RID, ORGANIZATIONS, FAMILY_NAMES, WORKSHOPS,
            VENUE, ALWAYS_INVITED, REGISTRATIONS_PER_WORKSHOP, CAPACITY, CONSENT_TIME)

# --------------------------------------------------------------------------
# Two more préfectures, so that national shows several préfectures and
# regions. These workshops never took place: they are DEMO DATA, labelled
# "[Démo] " in every title and organisation name and explained in each
# workshop's description. Real: the QPV codes and names (2024 list, taken
# from the ANCT file), the cities, the départements and their regions.
# Invented: every organisation, person and contribution. Several
# reproducible actions say what a Nord one says in other words (accents,
# case, wording), so that national groups them as good practices that
# emerged in several préfectures; the others are unique.
DEMO_PREFIX = "[Démo] "
DEMO_NOTICE = (
    "Données de démonstration : cet atelier n'a pas eu lieu. Il illustre ce que la "
    "préfecture {where} pourrait faire remonter à la mobilisation nationale pour les "
    "quartiers. Les codes et noms des QPV sont réels (liste 2024) ; les organisations, "
    "les personnes et les contributions sont inventées.")

# Bouches-du-Rhône (13, region 93 Provence-Alpes-Côte d'Azur), Marseille.
# For reference only, the QPV used:
#   QN01354M La Castellane La Bricarde     QN01355M Plan d'Aou Saint Antoine
#   QN01344M Frais Vallon                   QN01342I Malpassé Corot
#   QN01330M Centre Ville 1er et 2e Arrondissements
#   QN01338I Air Bel                        QN01360M La Savine Bosphore
#   QN01362I Cap Janet La Cabucelle Les Crottes
#   QN01303I Saint Henri
BDR_ORGANIZATIONS = [
    ("ville-marseille", DEMO_PREFIX + "Ville de Marseille, politique de la ville",
     "LOCAL_AUTHORITY", ["QN01354M", "QN01355M", "QN01344M"], 2),
    ("metropole-amp", DEMO_PREFIX + "Métropole Aix-Marseille-Provence, cohésion sociale",
     "LOCAL_AUTHORITY", ["QN01330M", "QN01338I"], 2),
    ("assoc-emploi-nord", DEMO_PREFIX + "Tremplin Emploi Quartiers Nord (association fictive)",
     "ASSOCIATION", ["QN01354M", "QN01355M"], 2),
    ("assoc-media-savine", DEMO_PREFIX + "Radio des Collines, média de quartier (fictif)",
     "ASSOCIATION", ["QN01360M"], 2),
    ("assoc-femmes-frais-vallon", DEMO_PREFIX + "Femmes en action Frais Vallon (fictif)",
     "ASSOCIATION", ["QN01344M"], 2),
    ("assoc-sport-air-bel", DEMO_PREFIX + "Air Bel Sport Ensemble (association fictive)",
     "ASSOCIATION", ["QN01338I"], 2),
    ("bailleur-provence", DEMO_PREFIX + "Habitat Provence Solidaire (bailleur fictif)",
     "SOCIAL_LANDLORD", ["QN01354M", "QN01338I", "QN01360M"], 2),
    ("cc-castellane", DEMO_PREFIX + "Conseil citoyen La Castellane La Bricarde",
     "CITIZEN_COUNCIL", ["QN01354M"], 2),
    ("cc-malpasse", DEMO_PREFIX + "Conseil citoyen Malpassé Corot",
     "CITIZEN_COUNCIL", ["QN01342I"], 2),
    ("ar-quartiers-nord", DEMO_PREFIX + "Adultes-relais médiateurs des quartiers nord",
     "ADULT_RELAY", ["QN01355M", "QN01362I", "QN01303I"], 2),
    ("crpv-paca", DEMO_PREFIX + "Centre de ressources politique de la ville (PACA)",
     "RESOURCE_CENTER", [], 1),
    ("prefecture-13", DEMO_PREFIX + "Préfecture des Bouches-du-Rhône, politique de la ville",
     "STATE_SERVICE", [], 2),
    ("pole-emploi-13", DEMO_PREFIX + "Pôle emploi, agences des quartiers nord de Marseille",
     "STATE_SERVICE", ["QN01354M", "QN01342I"], 2),
    ("entreprises-port", DEMO_PREFIX + "Club d'entreprises du port et des quartiers (fictif)",
     "BUSINESS", ["QN01362I"], 2),
    ("habitants-13", DEMO_PREFIX + "Habitants volontaires des quartiers nord",
     "RESIDENT", ["QN01354M", "QN01344M"], 3),
]
# Invented family names, from Provence words.
BDR_FAMILY_NAMES = [
    "Mistral", "Santon", "Cigale", "Panisse", "Calanque", "Fougasse", "Garrigue", "Tapenade",
    "Pétanque", "Farigoule", "Bastide", "Cabanon", "Galéjade", "Pointu", "Chichi",
]
BDR_WORKSHOPS = [
    {
        "key": "emploi",
        "title": DEMO_PREFIX + "Atelier thématique territorial : emploi et développement "
                               "économique (Marseille)",
        "themes": ["EMPLOYMENT_ECONOMIC_DEVELOPMENT"],
        "start": "2018-02-20T08:30:00Z", "end": "2018-02-20T11:30:00Z",
        "qpv_codes": ["QN01354M", "QN01355M", "QN01344M", "QN01342I", "QN01330M"],
        "description": DEMO_NOTICE.format(where="des Bouches-du-Rhône"),
        "final_state": "REPORTED",
        "absent": 3,
        "contributions": [
            # Near-duplicate of Nord's "Job dating en pied d'immeuble".
            ("ACTION", "pole-emploi-13", 14, True, [],
             "Job-dating au pied des immeubles",
             "Organiser chaque trimestre un job dating au pied des immeubles avec le service "
             "public de l'emploi, la mission locale et des entreprises du territoire, pour "
             "aller vers les habitants qui ne poussent plus la porte des agences. À la "
             "Castellane, une matinée a permis de rencontrer une cinquantaine de personnes et "
             "d'obtenir une dizaine d'entretiens d'embauche."),
            # Near-duplicate of Nord's clauses d'insertion (upper case, other wording).
            ("GOOD_PRACTICE", "metropole-amp", 12, True, ["HOUSING_URBAN_RENEWAL"],
             "CLAUSES D'INSERTION DANS LES CHANTIERS DE RENOUVELLEMENT URBAIN",
             "Réserver systématiquement une part des heures de travail des chantiers de "
             "renouvellement urbain aux habitants des quartiers prioritaires, avec un "
             "facilitateur de clauses unique à l'échelle de la métropole, qui suit chaque "
             "parcours jusqu'à l'emploi durable et mutualise les heures entre maîtres "
             "d'ouvrage."),
            ("ACTION", "assoc-emploi-nord", 10, True, [],
             "Une conciergerie solidaire tenue par des habitants",
             "Une conciergerie de quartier (retouches, petits travaux, livraisons) emploie des "
             "habitants éloignés de l'emploi et rend service aux entreprises de la zone "
             "d'activité voisine ; chaque poste sert de tremplin vers un contrat classique."),
            ("OBSTACLE", "cc-castellane", 9, False, ["MOBILITY"],
             "Des quartiers enclavés, loin des zones d'emploi",
             "Les quartiers du nord de la ville sont mal reliés aux zones d'activité : sans "
             "voiture, quelques kilomètres demandent plus d'une heure aux heures d'embauche."),
            ("IDEA", "entreprises-port", 8, True, ["EDUCATION"],
             "Des stages de troisième garantis dans les entreprises du port",
             "Les entreprises du club s'engagent à accueillir chaque année les collégiens des "
             "quartiers qui ne trouvent pas de stage d'observation de troisième, avec un "
             "tuteur désigné pour chacun."),
            ("OBSTACLE", "assoc-femmes-frais-vallon", 7, False, [],
             "Pas de solution de garde pour reprendre un emploi",
             "Les mères seules qui retrouvent un emploi ou une formation n'ont pas de mode de "
             "garde tôt le matin, le soir ni le week-end."),
        ],
    },
    {
        "key": "image",
        "title": DEMO_PREFIX + "Atelier thématique territorial : image des quartiers et "
                               "participation des habitants (Marseille)",
        "themes": ["NEIGHBOURHOOD_IMAGE", "CITIZEN_PARTICIPATION"],
        "start": "2018-02-22T13:00:00Z", "end": "2018-02-22T16:00:00Z",
        "qpv_codes": ["QN01338I", "QN01360M", "QN01362I", "QN01303I"],
        "description": DEMO_NOTICE.format(where="des Bouches-du-Rhône"),
        "final_state": "HELD",
        "absent": 2,
        "contributions": [
            # Near-duplicate of Nord's "Un média de quartier animé par les habitants".
            ("GOOD_PRACTICE", "assoc-media-savine", 13, True, [],
             "Un média de quartier animé par des habitants",
             "Une radio et un site internet animés par des habitants formés au journalisme "
             "racontent la vie du quartier au quotidien ; la presse régionale reprend "
             "désormais certains de leurs sujets."),
            # Near-duplicate of Nord's fresques (façades instead of pignons).
            ("ACTION", "bailleur-provence", 11, True, ["HOUSING_URBAN_RENEWAL"],
             "Des fresques participatives sur les façades rénovées",
             "Associer habitants et artistes à la conception de fresques sur les pignons des "
             "résidences rénovées : les tags et les dégradations ont nettement diminué sur "
             "les immeubles concernés."),
            ("ACTION", "ville-marseille", 9, True, ["CULTURE_SPORT"],
             "Des randonnées urbaines guidées par les habitants",
             "Des habitants formés comme guides font découvrir leur quartier, son histoire et "
             "ses paysages aux visiteurs de toute la métropole, sur des itinéraires balisés "
             "qui relient les cités aux collines."),
            ("IDEA", "ar-quartiers-nord", 8, True, ["CULTURE_SPORT"],
             "Un festival de quartier programmé par les jeunes",
             "Confier à un collectif de jeunes la programmation et l'organisation d'un "
             "festival annuel, avec un budget dédié et l'appui des équipements culturels de "
             "la ville."),
            ("OBSTACLE", "cc-malpasse", 10, False, [],
             "L'image des quartiers réduite aux faits divers",
             "Les médias nationaux ne parlent de nos quartiers qu'au moment des faits divers ; "
             "les réussites des habitants et des associations ne sont jamais racontées."),
            ("RECOMMENDATION", "crpv-paca", 6, True, [],
             "Former élus et agents à la participation des habitants",
             "Proposer aux élus et aux agents des collectivités un cycle de formation aux "
             "démarches participatives, pour associer les conseils citoyens dès l'amont des "
             "projets."),
        ],
    },
]

# Rhône (69, region 84 Auvergne-Rhône-Alpes), Lyon, Vaulx-en-Velin, Vénissieux.
# For reference only, the QPV used:
#   QN06916M Grande Île (Vaulx-en-Velin)    QN06917I Sud (Vaulx-en-Velin)
#   QN06913M Minguettes - Clochettes (Saint-Fons, Vénissieux)
#   QN06918M Duclos - Barel (Vénissieux)    QN06934M Duchère (Lyon)
#   QN06933I Mermoz (Lyon)                  QN06909M Terraillon - Chenier (Bron, Vaulx-en-Velin)
#   QN06926M Bellevue - Ermitage (Saint-Priest)
RHONE_ORGANIZATIONS = [
    ("ville-vaulx", DEMO_PREFIX + "Ville de Vaulx-en-Velin, politique de la ville",
     "LOCAL_AUTHORITY", ["QN06916M", "QN06917I"], 2),
    ("ville-venissieux", DEMO_PREFIX + "Ville de Vénissieux, développement social urbain",
     "LOCAL_AUTHORITY", ["QN06913M", "QN06918M"], 2),
    ("metropole-lyon", DEMO_PREFIX + "Métropole de Lyon, politique de la ville",
     "LOCAL_AUTHORITY", ["QN06934M", "QN06933I", "QN06916M"], 2),
    ("assoc-droits-grande-ile", DEMO_PREFIX + "Accès aux droits Grande Île (association fictive)",
     "ASSOCIATION", ["QN06916M"], 2),
    ("assoc-egalite-duchere", DEMO_PREFIX + "Égalité Duchère (association fictive)",
     "ASSOCIATION", ["QN06934M"], 2),
    ("assoc-sport-minguettes", DEMO_PREFIX + "Minguettes Sport au féminin (association fictive)",
     "ASSOCIATION", ["QN06913M"], 2),
    ("assoc-mobilite-est", DEMO_PREFIX + "Mobilité Est lyonnais, auto-école solidaire (fictive)",
     "ASSOCIATION", ["QN06909M", "QN06926M"], 2),
    ("bailleur-rhone", DEMO_PREFIX + "Rhône Habitat Solidaire (bailleur fictif)",
     "SOCIAL_LANDLORD", ["QN06916M", "QN06918M", "QN06934M"], 2),
    ("cc-grande-ile", DEMO_PREFIX + "Conseil citoyen Grande Île (Vaulx-en-Velin)",
     "CITIZEN_COUNCIL", ["QN06916M"], 2),
    ("cc-mermoz", DEMO_PREFIX + "Conseil citoyen Mermoz (Lyon)",
     "CITIZEN_COUNCIL", ["QN06933I"], 2),
    ("ar-est-lyonnais", DEMO_PREFIX + "Adultes-relais de l'Est lyonnais",
     "ADULT_RELAY", ["QN06913M", "QN06909M"], 2),
    ("crpv-aura", DEMO_PREFIX + "Centre de ressources politique de la ville (Auvergne-Rhône-Alpes)",
     "RESOURCE_CENTER", [], 1),
    ("prefecture-69", DEMO_PREFIX + "Préfecture du Rhône, mission politique de la ville",
     "STATE_SERVICE", [], 2),
    ("delegues-prefet-69", DEMO_PREFIX + "Délégués du préfet dans les quartiers (Rhône)",
     "STATE_SERVICE", ["QN06916M", "QN06913M", "QN06934M"], 1),
    ("entreprises-est", DEMO_PREFIX + "Club d'entreprises de l'Est lyonnais (fictif)",
     "BUSINESS", ["QN06926M"], 2),
    ("habitants-69", DEMO_PREFIX + "Habitants volontaires de Vaulx-en-Velin et Vénissieux",
     "RESIDENT", ["QN06916M", "QN06918M"], 2),
]
# Invented family names, from Lyon words.
RHONE_FAMILY_NAMES = [
    "Canut", "Traboule", "Bouchon", "Quenelle", "Guignol", "Gnafron", "Bugne", "Praline",
    "Mâchon", "Ficelle", "Gone", "Pogne", "Cocon", "Soierie", "Cervelas",
]
RHONE_WORKSHOPS = [
    {
        "key": "discriminations",
        "title": DEMO_PREFIX + "Atelier thématique territorial : prévention et lutte contre "
                               "les discriminations (Lyon)",
        "themes": ["DISCRIMINATION"],
        "start": "2018-03-06T08:30:00Z", "end": "2018-03-06T12:00:00Z",
        "qpv_codes": ["QN06916M", "QN06917I", "QN06913M", "QN06934M", "QN06933I"],
        "description": DEMO_NOTICE.format(where="du Rhône"),
        "final_state": "REPORTED",
        "absent": 2,
        "contributions": [
            # Near-duplicate of Nord's "Testing participatif des candidatures".
            ("GOOD_PRACTICE", "assoc-egalite-duchere", 13, True,
             ["EMPLOYMENT_ECONOMIC_DEVELOPMENT"],
             "Testing participatif des candidatures à l'embauche",
             "Avec des habitants volontaires et l'appui d'un juriste, envoyer des candidatures "
             "comparables qui ne diffèrent que par le nom ou l'adresse, pour objectiver les "
             "discriminations à l'embauche, puis restituer les résultats aux employeurs du "
             "territoire sans les stigmatiser."),
            # Near-duplicate of Nord's permanences ("aux droits" for "au droit").
            ("ACTION", "assoc-droits-grande-ile", 12, True, [],
             "Permanences d'accès aux droits dans les centres sociaux",
             "Des permanences mensuelles avec un délégué du Défenseur des droits dans les "
             "centres sociaux aident les victimes à qualifier une discrimination et à monter "
             "un dossier : la plupart ignorent qu'un recours est possible."),
            # Near-duplicate of Nord's city-stades (lower case, other figures).
            ("ACTION", "assoc-sport-minguettes", 11, True, ["CULTURE_SPORT"],
             "des créneaux encadrés pour les filles sur les city-stades",
             "Réserver et encadrer des créneaux sportifs pour les filles sur les city-stades, "
             "occupés de fait par les seuls garçons : la fréquentation féminine a doublé en "
             "un an."),
            ("IDEA", "ar-est-lyonnais", 9, True, ["HOUSING_URBAN_RENEWAL"],
             "Accompagner les demandeurs de logement face aux refus répétés",
             "Des adultes-relais formés accompagnent les demandeurs de logement qui se "
             "heurtent à des refus répétés, et signalent les situations au bailleur et au "
             "délégué du Défenseur des droits."),
            ("OBSTACLE", "cc-mermoz", 10, False, [],
             "Changer d'adresse sur son CV pour décrocher un entretien",
             "Habiter un quartier prioritaire reste un frein à l'embauche : plusieurs jeunes "
             "indiquent l'adresse d'un proche sur leur CV pour obtenir un entretien."),
            ("RECOMMENDATION", "metropole-lyon", 7, True, [],
             "Des engagements de non-discrimination dans les marchés publics",
             "Intégrer aux marchés publics de la métropole des engagements de "
             "non-discrimination des titulaires, suivis chaque année avec les habitants."),
        ],
    },
    {
        "key": "emploi-mobilite",
        "title": DEMO_PREFIX + "Atelier thématique territorial : emploi et mobilité "
                               "(Vaulx-en-Velin, Vénissieux)",
        "themes": ["EMPLOYMENT_ECONOMIC_DEVELOPMENT", "MOBILITY"],
        "start": "2018-03-08T13:30:00Z", "end": "2018-03-08T16:30:00Z",
        "qpv_codes": ["QN06916M", "QN06918M", "QN06909M", "QN06926M"],
        "description": DEMO_NOTICE.format(where="du Rhône"),
        "final_state": "HELD",
        "absent": 3,
        "contributions": [
            # Near-duplicate of Nord's job dating (lower case, other wording).
            ("ACTION", "ville-vaulx", 14, True, [],
             "job dating en pied d'immeuble",
             "Chaque trimestre, organiser un job dating en pied d'immeuble avec le service "
             "public de l'emploi, la mission locale et des entreprises du territoire, pour "
             "aller vers les habitants qui ne franchissent plus la porte des agences."),
            # Near-duplicate of Nord's auto-école sociale.
            ("ACTION", "assoc-mobilite-est", 12, True, [],
             "Auto-école solidaire adossée à un garage social",
             "Un permis de conduire à coût réduit avec un accompagnement renforcé, puis la "
             "location d'une voiture à quelques euros par jour pendant les premiers mois d'un "
             "nouvel emploi, le temps d'en acheter une."),
            # Near-duplicate of Nord's parrainage.
            ("GOOD_PRACTICE", "entreprises-est", 11, True, [],
             "Parrainage de jeunes diplômés par des salariés d'entreprise",
             "Des salariés volontaires parrainent pendant six mois des jeunes diplômés du "
             "quartier : simulations d'entretien, ouverture de leur réseau, visites "
             "d'entreprises. Sur trente filleuls suivis, dix-neuf ont trouvé un emploi ou une "
             "formation qualifiante."),
            ("ACTION", "bailleur-rhone", 8, True, [],
             "Une vélo-école et des vélos prêtés pour aller travailler",
             "Apprendre à circuler à vélo en ville et prêter un vélo à assistance électrique "
             "pendant trois mois aux habitants qui reprennent un emploi dans une zone mal "
             "desservie."),
            ("OBSTACLE", "cc-grande-ile", 9, False, [],
             "Aucun bus aux heures d'embauche des plateformes logistiques",
             "Les plateformes logistiques de l'Est lyonnais recrutent, mais aucun bus ne les "
             "dessert avant six heures du matin ni après vingt et une heures."),
            ("RECOMMENDATION", "delegues-prefet-69", 6, True, [],
             "Un conseiller mobilité par bassin d'emploi",
             "Désigner dans chaque bassin d'emploi un conseiller mobilité qui établit un "
             "diagnostic avec chaque demandeur et mobilise les aides existantes : permis, "
             "transport, location de véhicule."),
        ],
    },
]

BDR = Demo("13", "[Démo] Bouches-du-Rhône (préfecture 13)", "demo-bdr-2018",
           BDR_ORGANIZATIONS, BDR_FAMILY_NAMES, BDR_WORKSHOPS,
           "Préfecture des Bouches-du-Rhône, Marseille (lieu de démonstration)",
           ("prefecture-13", "crpv-paca"), 24, 30, "2018-02-05T09:00:00Z",
           email_tag="demo13", phone_block=13)
RHONE = Demo("69", "[Démo] Rhône (préfecture 69)", "demo-rhone-2018",
             RHONE_ORGANIZATIONS, RHONE_FAMILY_NAMES, RHONE_WORKSHOPS,
             "Préfecture du Rhône, Lyon (lieu de démonstration)",
             ("prefecture-69", "crpv-aura"), 24, 30, "2018-02-19T09:00:00Z",
             email_tag="demo69", phone_block=69)
DEMOS = [NORD, BDR, RHONE]

# --------------------------------------------------------------------------
# Below: the loader.

DEADLINE = 10.0  # seconds per call


def die(message):
    print(f"load_demo: error: {message}", file=sys.stderr)
    sys.exit(1)


def ascii_slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def rank(*parts):
    """A stable pseudo-random sort key."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def timestamp(text):
    ts = timestamp_pb2.Timestamp()
    ts.FromJsonString(text)
    return ts


class Tally:
    """Counts, per kind of resource, what was created and what was already there."""

    def __init__(self, start_time):
        self.start_time = start_time
        self.created = {}
        self.existing = {}

    def add(self, kind, resource=None, created=None, count=1):
        if created is None:  # a create answered: new unless created before this run
            created = resource.create_time.ToSeconds() >= self.start_time - 1
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + count

    def line(self, kind):
        c, e = self.created.get(kind, 0), self.existing.get(kind, 0)
        return f"{c + e} ({c} new, {e} already there)"


class Loader:
    """Loads one Demo."""

    def __init__(self, stakeholder, workshop, demo, verbose):
        self.sh = stakeholder
        self.ws = workshop
        self.demo = demo
        self.verbose = verbose
        self.tally = Tally(time.time())
        self.orgs = {}      # key -> Organization
        self.persons = []   # (key, org key, Person)

    # -- plumbing ---------------------------------------------------------
    def call(self, method, request, tolerate=()):
        """Calls with a deadline; retries UNAVAILABLE (creates carry request
        ids, so retrying is safe); returns None on a tolerated code."""
        for attempt in range(6):
            try:
                return method(request, timeout=DEADLINE)
            except grpc.RpcError as e:
                if e.code() in tolerate:
                    if self.verbose:
                        print(f"  ({e.code().name}: {e.details()})")
                    return None
                if e.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED) \
                        and attempt < 5:
                    time.sleep(0.2 * 2 ** attempt)
                    continue
                name = getattr(method, "_method", b"?")
                if isinstance(name, bytes):
                    name = name.decode()
                die(f"{name}: {e.code().name}: {e.details()}\n  request: "
                    f"{text_format.MessageToString(request, as_one_line=True)[:400]}")
        raise AssertionError("unreachable")

    def list_all(self, method, request_type, field, **kwargs):
        items, token = [], ""
        while True:
            reply = self.call(method, request_type(page_size=500, page_token=token, **kwargs))
            items.extend(getattr(reply, field))
            token = reply.next_page_token
            if not token:
                return items

    # -- stakeholder ------------------------------------------------------
    def load_organizations(self):
        existing = {o.display_name: o for o in self.list_all(
            self.sh.ListOrganizations, stakeholder_service_pb2.ListOrganizationsRequest,
            "organizations", parent=self.demo.parent)}
        for key, display_name, category, qpv_codes, _ in self.demo.organizations:
            org = existing.get(display_name)
            if org is not None:
                self.tally.add("organizations", created=False)
            else:
                org = self.call(self.sh.CreateOrganization,
                                stakeholder_service_pb2.CreateOrganizationRequest(
                                    parent=self.demo.parent,
                                    organization=stakeholder_pb2.Organization(
                                        display_name=display_name,
                                        category=common_pb2.ActorCategory.Value(
                                            "ACTOR_CATEGORY_" + category),
                                        qpv_codes=qpv_codes,
                                        email=f"contact.{key}@example.org"),
                                    request_id=f"{self.demo.rid}-org-{key}"))
                self.tally.add("organizations", org)
            self.orgs[key] = org

    def load_persons(self):
        existing = {p.email: p for p in self.list_all(
            self.sh.ListPersons, stakeholder_service_pb2.ListPersonsRequest, "persons",
            parent=self.demo.parent) if p.email}
        demo = self.demo
        tag = f".{demo.email_tag}" if demo.email_tag else ""
        index = 0
        for org_key, _, _, _, count in demo.organizations:
            for _ in range(count):
                given = demo.given_names[index]
                family = demo.family_names[index % len(demo.family_names)]
                email = f"{ascii_slug(given)}.{ascii_slug(family)}{tag}@example.org"
                key = f"{index + 1:02d}"
                person = existing.get(email)
                if person is not None:
                    self.tally.add("persons", created=False)
                else:
                    # Every third person left a phone number (fiction range 06 39 98).
                    phone = (f"+33 6 39 98 {demo.phone_block + index // 100:02d} "
                             f"{index % 100:02d}") if index % 3 == 0 else ""
                    person = self.call(self.sh.CreatePerson,
                                       stakeholder_service_pb2.CreatePersonRequest(
                                           parent=demo.parent,
                                           person=stakeholder_pb2.Person(
                                               organization=self.orgs[org_key].name,
                                               given_name=given, family_name=family,
                                               email=email, phone=phone,
                                               consent_time=timestamp(demo.consent_time)),
                                           request_id=f"{demo.rid}-person-{key}"))
                    self.tally.add("persons", person)
                self.persons.append((key, org_key, person))
                index += 1

    # -- workshops --------------------------------------------------------
    def invited(self, w):
        """The registrations_per_workshop persons registered to workshop w:
        the first participant of each contributing organisation and of
        always_invited, then others in a stable pseudo-random order."""
        must_orgs = list(self.demo.always_invited) + [c[1] for c in w["contributions"]]
        chosen, seen_orgs = [], set()
        for key, org_key, person in self.persons:
            if org_key in must_orgs and org_key not in seen_orgs:
                chosen.append((key, org_key, person))
                seen_orgs.add(org_key)
        others = sorted((p for p in self.persons if p not in chosen),
                        key=lambda p: rank(w["key"], p[0]))
        optional = others[:self.demo.registrations_per_workshop - len(chosen)]
        # The absent ones are taken among the optional, never a contributor.
        absent = {p[0] for p in sorted(optional, key=lambda p: rank("absent", w["key"], p[0]))
                  [:w["absent"]]}
        return chosen + optional, absent

    def get_workshop(self, name):
        return self.call(self.ws.GetWorkshop, workshop_service_pb2.GetWorkshopRequest(name=name))

    def advance(self, workshop, method, request_type, from_state):
        """One lifecycle step, if the workshop is still in from_state."""
        if workshop.state != workshop_pb2.Workshop.State.Value(from_state):
            return workshop
        # No etag: the step is wanted whatever changed meanwhile; a step already
        # taken (a concurrent or earlier run) answers FAILED_PRECONDITION.
        done = self.call(method, request_type(name=workshop.name),
                         tolerate=(grpc.StatusCode.FAILED_PRECONDITION,))
        return done if done is not None else self.get_workshop(workshop.name)

    def load_workshop(self, number, w, existing):
        wkey = f"{number}-{w['key']}"
        State = workshop_pb2.Workshop.State
        workshop = existing.get(w["title"])
        if workshop is not None:
            self.tally.add("workshops", created=False)
        else:
            workshop = self.call(self.ws.CreateWorkshop, workshop_service_pb2.CreateWorkshopRequest(
                parent=self.demo.parent,
                workshop=workshop_pb2.Workshop(
                    title=w["title"],
                    themes=[common_pb2.Theme.Value("THEME_" + t) for t in w["themes"]],
                    start_time=timestamp(w["start"]), end_time=timestamp(w["end"]),
                    venue=self.demo.venue, capacity=self.demo.capacity,
                    qpv_codes=w["qpv_codes"],
                    description=w["description"]),
                request_id=f"{self.demo.rid}-workshop-{wkey}"))
            self.tally.add("workshops", workshop)

        # DRAFT -> SCHEDULED, then registrations (taken while draft or scheduled).
        workshop = self.advance(workshop, self.ws.ScheduleWorkshop,
                                workshop_service_pb2.ScheduleWorkshopRequest, "STATE_DRAFT")
        registrations = {r.person: r for r in self.list_all(
            self.ws.ListRegistrations, workshop_service_pb2.ListRegistrationsRequest,
            "registrations", parent=workshop.name)}
        invited, absent = self.invited(w)
        for key, _, person in invited:
            if person.name in registrations:
                self.tally.add("registrations", created=False)
                continue
            if workshop.state not in (State.Value("STATE_DRAFT"), State.Value("STATE_SCHEDULED")):
                print(f"  warning: {person.given_name} {person.family_name} is not registered "
                      f"and the workshop is already {State.Name(workshop.state)}")
                continue
            reg = self.call(self.ws.RegisterParticipant,
                            workshop_service_pb2.RegisterParticipantRequest(
                                parent=workshop.name, person=person.name,
                                request_id=f"{self.demo.rid}-reg-{wkey}-{key}"),
                            tolerate=(grpc.StatusCode.ALREADY_EXISTS,))
            if reg is None:  # registered meanwhile: read it back below
                self.tally.add("registrations", created=False)
            else:
                self.tally.add("registrations", reg)
                registrations[person.name] = reg
        if len(registrations) < len(invited):
            registrations = {r.person: r for r in self.list_all(
                self.ws.ListRegistrations, workshop_service_pb2.ListRegistrationsRequest,
                "registrations", parent=workshop.name)}

        # SCHEDULED -> HELD, then attendance.
        workshop = self.advance(workshop, self.ws.MarkWorkshopHeld,
                                workshop_service_pb2.MarkWorkshopHeldRequest, "STATE_SCHEDULED")
        Reg = workshop_pb2.Registration.State
        attendees = []
        for key, _, person in invited:
            reg = registrations.get(person.name)
            if reg is None:
                continue
            came = key not in absent
            if reg.state == Reg.Value("STATE_REGISTERED") and workshop.state == State.Value("STATE_HELD"):
                updated = self.call(self.ws.RecordAttendance,
                                    workshop_service_pb2.RecordAttendanceRequest(
                                        name=reg.name, attended=came),
                                    tolerate=(grpc.StatusCode.FAILED_PRECONDITION,))
                reg = updated or reg
                self.tally.add("attendance", created=updated is not None)
            else:
                self.tally.add("attendance", created=False)
            if reg.state == Reg.Value("STATE_ATTENDED"):
                attendees.append((key, person))

        # Contributions and votes (taken while scheduled or held).
        contributions = {c.title: c for c in self.list_all(
            self.ws.ListContributions, workshop_service_pb2.ListContributionsRequest,
            "contributions", parent=workshop.name)}
        open_for_input = workshop.state in (State.Value("STATE_SCHEDULED"), State.Value("STATE_HELD"))
        for i, (kind, org_key, votes, reproducible, extra_themes, title, text) in \
                enumerate(w["contributions"], start=1):
            ckey = f"{wkey}-{i:02d}"
            contribution = contributions.get(title)
            if contribution is not None:
                self.tally.add("contributions", created=False)
            elif not open_for_input:
                print(f"  warning: contribution \"{title}\" missing and the workshop is "
                      f"{State.Name(workshop.state)}")
                continue
            else:
                org = self.orgs[org_key]
                contribution = self.call(
                    self.ws.CreateContribution, workshop_service_pb2.CreateContributionRequest(
                        parent=workshop.name,
                        contribution=workshop_pb2.Contribution(
                            title=title, text=text,
                            kind=workshop_pb2.Contribution.Kind.Value("KIND_" + kind),
                            themes=[common_pb2.Theme.Value("THEME_" + t)
                                    for t in w["themes"] + extra_themes],
                            reproducible=reproducible,
                            qpv_codes=list(org.qpv_codes)[:2],
                            organization=org.name),
                        request_id=f"{self.demo.rid}-contribution-{ckey}"))
                self.tally.add("contributions", contribution)
            if contribution.vote_count >= votes or not open_for_input:
                self.tally.add("votes", created=False, count=contribution.vote_count)
                continue
            voters = sorted(attendees, key=lambda a: rank(ckey, a[0]))[:votes]
            for _, person in voters:
                voted = self.call(self.ws.VoteContribution,
                                  workshop_service_pb2.VoteContributionRequest(
                                      name=contribution.name, person=person.name),
                                  tolerate=(grpc.StatusCode.ALREADY_EXISTS,
                                            grpc.StatusCode.FAILED_PRECONDITION))
                self.tally.add("votes", created=voted is not None)

        # HELD -> REPORTED for the workshops whose report was validated.
        if w["final_state"] == "REPORTED":
            workshop = self.advance(workshop, self.ws.MarkWorkshopReported,
                                    workshop_service_pb2.MarkWorkshopReportedRequest, "STATE_HELD")
        return self.get_workshop(workshop.name)

    def run(self):
        self.load_organizations()
        self.load_persons()
        existing = {w.title: w for w in self.list_all(
            self.ws.ListWorkshops, workshop_service_pb2.ListWorkshopsRequest, "workshops",
            parent=self.demo.parent)}
        summaries = []
        for number, w in enumerate(self.demo.workshops, start=1):
            workshop = self.load_workshop(number, w, existing)
            contributions = self.list_all(
                self.ws.ListContributions, workshop_service_pb2.ListContributionsRequest,
                "contributions", parent=workshop.name)
            summaries.append((workshop, contributions))

        t = self.tally
        print(f"{self.demo.label}:")
        for kind in ("organizations", "persons", "workshops", "registrations", "attendance",
                     "contributions", "votes"):
            print(f"  {kind + ':':15s} {t.line(kind)}")
        for workshop, contributions in summaries:
            day = workshop.start_time.ToDatetime().strftime("%d/%m/%Y")
            print(f"  {day} {workshop.name}: "
                  f"{workshop_pb2.Workshop.State.Name(workshop.state).replace('STATE_', '')}, "
                  f"{workshop.registered_count} registered, {workshop.attended_count} attended, "
                  f"{len(contributions)} contributions, "
                  f"{sum(c.vote_count for c in contributions)} votes")
            print(f"      {workshop.title}")
        return t


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(
        description="Load the Nord 2018 demo and the demo workshops of two more préfectures "
                    "(idempotent).")
    parser.add_argument("--stakeholder", default="127.0.0.1:50051",
                        help="qpv-stakeholder gRPC address (default %(default)s)")
    parser.add_argument("--workshop", default="127.0.0.1:50052",
                        help="qpv-workshop gRPC address (default %(default)s)")
    parser.add_argument("--python-dir", default=os.path.join(here, "..", "build", "python"),
                        help="generated Python modules (default build/python)")
    parser.add_argument("--prefecture", action="append", metavar="CODE",
                        choices=[d.code for d in DEMOS],
                        help="load only this préfecture's demo (repeatable; default: "
                             + ", ".join(d.code for d in DEMOS) + ")")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show the tolerated errors of a re-run")
    args = parser.parse_args()

    if not os.path.isdir(os.path.join(args.python_dir, "qpv")):
        die(f"{args.python_dir} has no generated modules: "
            "cmake --build build --target qpv_python_protos")
    sys.path.insert(0, os.path.abspath(args.python_dir))
    global grpc, text_format, timestamp_pb2, common_pb2, stakeholder_pb2
    global stakeholder_service_pb2, workshop_pb2, workshop_service_pb2
    try:
        import grpc
        from google.protobuf import text_format, timestamp_pb2
        from qpv.common.v1 import common_pb2
        from qpv.stakeholder.v1 import (stakeholder_pb2, stakeholder_service_pb2,
                                        stakeholder_service_pb2_grpc)
        from qpv.workshop.v1 import (workshop_pb2, workshop_service_pb2,
                                     workshop_service_pb2_grpc)
    except ImportError as e:
        die(f"{e} (apt-get install python3-grpcio python3-protobuf, and build "
            "the qpv_python_protos target)")

    stubs = []
    for label, address, stub_type in (
            ("stakeholder", args.stakeholder, stakeholder_service_pb2_grpc.StakeholderServiceStub),
            ("workshop", args.workshop, workshop_service_pb2_grpc.WorkshopServiceStub)):
        channel = grpc.insecure_channel(address)
        try:
            grpc.channel_ready_future(channel).result(timeout=15)
        except grpc.FutureTimeoutError:
            die(f"cannot reach the {label} service at {address}")
        stubs.append(stub_type(channel))
    wanted = set(args.prefecture or [d.code for d in DEMOS])
    demos = [d for d in DEMOS if d.code in wanted]
    created = 0
    for i, demo in enumerate(demos):
        if i > 0:
            print()
        tally = Loader(*stubs, demo=demo, verbose=args.verbose).run()
        created += sum(tally.created.values())
    print(f"\n{len(demos)} préfecture(s) loaded: "
          f"{', '.join(d.code for d in demos)}; {created} resources created by this run.")


if __name__ == "__main__":
    main()
