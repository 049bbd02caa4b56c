#include "bench/action_texts.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"

namespace qpv::bench {
namespace {

namespace cv1 = ::qpv::common::v1;

struct Archetype {
  cv1::Theme theme;
  const char* titles[2];  // ~40-60 characters
  const char* subject;    // what the action is, after "Organiser " or "Mettre en place "
  const char* what[2];    // how it works
  const char* goal[2];    // what it is for, after "L'objectif est de "
};

// clang-format off
const Archetype kTypes[kArchetypes] = {
  {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, {"Forum de l'emploi au cœur du quartier", "Forum emploi et insertion en pied d'immeuble"},
   "un forum de l'emploi", {"avec les entreprises du territoire, la mission locale et France Travail, et des entretiens d'embauche sur place", "où les employeurs du bassin viennent recruter directement dans le quartier, sans CV ni rendez-vous"},
   {"rapprocher les habitants éloignés de l'emploi des recruteurs locaux", "faire connaître les métiers qui recrutent et lever la peur du premier entretien"}},
  {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, {"Permanence emploi au pied des immeubles", "Permanence hebdomadaire de la mission locale"},
   "une permanence emploi", {"tenue chaque semaine dans le hall du centre social par la mission locale et un conseiller France Travail", "itinérante, installée dans un camion aménagé qui stationne à tour de rôle dans chaque secteur"},
   {"aller vers les jeunes qui ne viennent plus aux rendez-vous", "accompagner les demandeurs d'emploi là où ils vivent"}},
  {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, {"Job dating avec les entreprises locales", "Rencontres express jeunes et employeurs"},
   "un job dating", {"de dix minutes par candidat avec une vingtaine d'entreprises qui recrutent en alternance ou en CDD", "préparé en amont par des ateliers CV et simulations d'entretien animés par des bénévoles"},
   {"décrocher un contrat ou un stage dans la journée", "donner confiance aux jeunes face aux employeurs"}},
  {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, {"Couveuse d'entreprises pour les créateurs du quartier", "Accompagnement à la création d'activité"},
   "une couveuse d'entreprises", {"qui héberge les porteurs de projet pendant dix-huit mois et leur donne accès à un local et à un comptable", "avec un parcours de formation, un prêt d'honneur et le parrainage d'un chef d'entreprise"},
   {"transformer l'économie informelle en activité déclarée", "faire émerger des entrepreneurs issus du quartier"}},
  {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, {"Chantier d'insertion espaces verts", "Chantier éducatif rémunéré pour les jeunes"},
   "un chantier d'insertion", {"où les participants entretiennent les espaces verts des résidences encadrés par un chef d'équipe", "rémunéré, d'une semaine, pendant les vacances, pour rénover des locaux communs avec le bailleur"},
   {"remettre le pied à l'étrier à des personnes très éloignées de l'emploi", "valoriser les jeunes aux yeux des habitants"}},
  {cv1::THEME_DISCRIMINATION, {"Testing et sensibilisation des recruteurs", "Formation des employeurs à la non-discrimination"},
   "une formation des recruteurs", {"aux biais de sélection, appuyée sur les résultats d'un testing réalisé sur les offres d'emploi du territoire", "en demi-journée, avec des mises en situation et l'intervention du Défenseur des droits"},
   {"réduire les discriminations à l'embauche liées à l'adresse ou au nom", "faire changer les pratiques de recrutement des entreprises locales"}},
  {cv1::THEME_DISCRIMINATION, {"Ciné-débat sur les discriminations", "Projection et débat autour du racisme ordinaire"},
   "un ciné-débat", {"mensuel au cinéma de quartier, suivi d'un échange avec un juriste et des associations de victimes", "dans les collèges, à partir de courts métrages réalisés par les jeunes eux-mêmes"},
   {"libérer la parole sur les discriminations vécues", "faire connaître les recours et les droits des victimes"}},
  {cv1::THEME_DISCRIMINATION, {"Point d'accès au droit dans le quartier", "Permanence juridique gratuite de proximité"},
   "un point d'accès au droit", {"avec des avocats bénévoles et un délégué du Défenseur des droits deux demi-journées par semaine", "dans la maison de services au public, sans rendez-vous, avec un interprète si besoin"},
   {"aider les habitants à faire valoir leurs droits face aux discriminations", "éviter le non-recours aux droits"}},
  {cv1::THEME_DISCRIMINATION, {"Parrainage vers l'emploi des diplômés du quartier", "Réseau de parrains pour les jeunes diplômés"},
   "un parrainage", {"de jeunes diplômés par des cadres d'entreprise qui ouvrent leur carnet d'adresses pendant six mois", "par des retraités bénévoles qui accompagnent la recherche de stage et d'emploi"},
   {"compenser le manque de réseau des jeunes du quartier", "lutter contre la discrimination à l'adresse"}},
  {cv1::THEME_NEIGHBOURHOOD_IMAGE, {"Journal de quartier écrit par les habitants", "Web radio et journal des habitants"},
   "un journal de quartier", {"écrit par un comité de rédaction d'habitants accompagné par un journaliste professionnel", "doublé d'une web radio animée par les jeunes dans un studio installé à la médiathèque"},
   {"changer le regard porté sur le quartier et valoriser ses réussites", "donner la parole aux habitants plutôt que de parler d'eux"}},
  {cv1::THEME_NEIGHBOURHOOD_IMAGE, {"Fresque murale participative", "Embellissement des façades avec des artistes"},
   "une fresque murale participative", {"sur un pignon d'immeuble, conçue avec les enfants et réalisée avec un collectif d'artistes de street art", "avec un artiste en résidence qui anime des ateliers de dessin ouverts à tous pendant un mois"},
   {"embellir le cadre de vie et créer de la fierté", "faire venir des visiteurs d'autres quartiers"}},
  {cv1::THEME_NEIGHBOURHOOD_IMAGE, {"Visites guidées du quartier par ses habitants", "Balades urbaines et mémoire du quartier"},
   "des visites guidées du quartier", {"menées par des habitants formés comme guides, ouvertes au public lors des journées du patrimoine", "qui racontent l'histoire des cités et des familles arrivées depuis les années soixante"},
   {"faire découvrir le quartier autrement et lutter contre les préjugés", "transmettre la mémoire ouvrière et migrante du quartier"}},
  {cv1::THEME_CITIZEN_PARTICIPATION, {"Budget participatif du quartier", "Budget participatif pour les projets des habitants"},
   "un budget participatif", {"où les habitants proposent des projets puis votent pour choisir ceux que la ville finance", "doté de cinquante mille euros par an, avec des urnes au marché et un vote en ligne"},
   {"associer réellement les habitants aux décisions qui les concernent", "redonner confiance dans l'action publique"}},
  {cv1::THEME_CITIZEN_PARTICIPATION, {"Formation des conseillers citoyens", "Accompagnement du conseil citoyen"},
   "une formation des membres du conseil citoyen", {"à la prise de parole, au fonctionnement du contrat de ville et à la lecture d'un budget", "par le centre de ressources politique de la ville, en soirée, avec une indemnité de garde d'enfants"},
   {"permettre aux conseillers citoyens de peser dans les instances", "éviter l'essoufflement du conseil citoyen"}},
  {cv1::THEME_CITIZEN_PARTICIPATION, {"Porte-à-porte pour recueillir la parole des habitants", "Enquête d'habitants en porte-à-porte"},
   "un porte-à-porte", {"mené par des binômes d'habitants et d'adultes-relais pour recueillir les attentes de chaque foyer", "à chaque cage d'escalier, avec un questionnaire court traduit en plusieurs langues"},
   {"entendre ceux qui ne viennent jamais aux réunions publiques", "construire le programme d'actions avec les habitants"}},
  {cv1::THEME_CITIZEN_PARTICIPATION, {"Marche exploratoire de femmes", "Diagnostic en marchant avec les habitantes"},
   "une marche exploratoire", {"de femmes qui repèrent de nuit les lieux où elles ne se sentent pas en sécurité et proposent des aménagements", "avec les services techniques de la ville et le bailleur, suivie d'une restitution publique"},
   {"améliorer l'éclairage et l'aménagement des espaces publics", "permettre aux femmes de se réapproprier l'espace public"}},
  {cv1::THEME_EDUCATION, {"Petit-déjeuner des parents à l'école", "Café des parents au groupe scolaire"},
   "un café des parents", {"chaque mois à l'école, avec les enseignants et une médiatrice pour parler de la scolarité des enfants", "dans un local de l'école ouvert le matin, avec des interprètes pour les familles non francophones"},
   {"rapprocher les familles de l'école et lever les malentendus", "aider les parents à suivre la scolarité de leurs enfants"}},
  {cv1::THEME_EDUCATION, {"Aide aux devoirs par des étudiants bénévoles", "Accompagnement scolaire en soirée"},
   "une aide aux devoirs", {"assurée par des étudiants bénévoles quatre soirs par semaine dans les locaux du centre social", "en petits groupes de quatre élèves, avec un suivi partagé avec les professeurs principaux"},
   {"prévenir le décrochage scolaire au collège", "donner à chaque élève un lieu calme pour travailler"}},
  {cv1::THEME_EDUCATION, {"Cité éducative et continuité éducative", "Parcours éducatif de la crèche au lycée"},
   "une alliance éducative", {"qui réunit l'éducation nationale, la ville, les associations et les parents autour d'un projet commun", "avec un coordinateur qui suit chaque enfant de la crèche jusqu'à l'insertion professionnelle"},
   {"assurer une continuité éducative de zéro à vingt-cinq ans", "mieux coordonner les acteurs éducatifs du territoire"}},
  {cv1::THEME_EDUCATION, {"Ateliers numériques pour les familles", "Initiation au numérique et aux démarches en ligne"},
   "des ateliers numériques", {"pour les parents, sur l'espace numérique de travail de l'école et les démarches administratives", "avec des ordinateurs reconditionnés prêtés aux familles qui n'en ont pas"},
   {"réduire la fracture numérique dans les familles", "rendre les familles autonomes dans leurs démarches"}},
  {cv1::THEME_SAFETY_PREVENTION, {"Médiation de nuit dans les résidences", "Équipe de médiateurs de soirée"},
   "une médiation de nuit", {"assurée par une équipe de médiateurs de dix-huit heures à deux heures du matin dans les halls et les parkings", "en lien avec le bailleur et la police municipale, avec un numéro d'appel pour les habitants"},
   {"apaiser les conflits de voisinage et les nuisances nocturnes", "rassurer les habitants et prévenir les incivilités"}},
  {cv1::THEME_SAFETY_PREVENTION, {"Prévention spécialisée et sorties éducatives", "Éducateurs de rue et séjours de rupture"},
   "des sorties éducatives", {"encadrées par les éducateurs de prévention spécialisée pour les jeunes repérés dans la rue", "sous forme de séjours de rupture à la montagne ou à la mer pendant les vacances"},
   {"éloigner les jeunes des trafics et de l'oisiveté", "créer un lien de confiance avec les éducateurs"}},
  {cv1::THEME_SAFETY_PREVENTION, {"Cellule de veille tranquillité publique", "Groupe partenarial de tranquillité résidentielle"},
   "une cellule de veille", {"mensuelle qui réunit le bailleur, la police, la ville et les associations autour des situations signalées", "avec un tableau de bord partagé des incidents et un suivi de chaque situation individuelle"},
   {"réagir vite aux dégradations et aux tensions", "mieux coordonner les acteurs de la sécurité"}},
  {cv1::THEME_HOUSING_URBAN_RENEWAL, {"Maison du projet de renouvellement urbain", "Lieu d'information sur la rénovation urbaine"},
   "une maison du projet", {"installée dans un appartement témoin où les habitants consultent les plans et rencontrent les architectes", "ouverte trois jours par semaine, avec des maquettes et des réunions d'information par immeuble"},
   {"informer et associer les habitants au projet de rénovation", "accompagner les familles concernées par le relogement"}},
  {cv1::THEME_HOUSING_URBAN_RENEWAL, {"Jardin partagé au pied des tours", "Jardins familiaux et compost collectif"},
   "un jardin partagé", {"sur une pelouse délaissée du bailleur, avec des parcelles cultivées par les familles et un composteur collectif", "animé par une association d'éducation à l'environnement qui forme les habitants au maraîchage"},
   {"recréer du lien entre voisins autour du jardinage", "transformer un espace délaissé en lieu de vie"}},
  {cv1::THEME_HOUSING_URBAN_RENEWAL, {"Gestion urbaine de proximité", "Diagnostic en marchant avec le bailleur"},
   "une gestion urbaine de proximité", {"avec des diagnostics en marchant trimestriels qui recensent les dysfonctionnements et leur traitement", "appuyée sur une application où les habitants signalent encombrants, pannes d'ascenseur et éclairage défaillant"},
   {"améliorer la propreté et l'entretien des espaces communs", "raccourcir les délais de réparation"}},
  {cv1::THEME_HOUSING_URBAN_RENEWAL, {"Atelier de réparation et d'auto-réhabilitation", "Auto-réhabilitation accompagnée des logements"},
   "un atelier d'auto-réhabilitation", {"où les locataires rénovent eux-mêmes leur logement avec un animateur technique et du matériel prêté", "avec un bricobus qui prête des outils et apprend les petites réparations du quotidien"},
   {"améliorer les logements et réduire les factures d'énergie", "rendre les habitants acteurs de leur cadre de vie"}},
  {cv1::THEME_HEALTH, {"Médiation santé et accès aux soins", "Médiatrice santé pour les habitants"},
   "une médiation santé", {"par une médiatrice qui accompagne les habitants vers les droits, la couverture santé et les rendez-vous médicaux", "dans la maison de santé pluriprofessionnelle, avec des permanences de la caisse primaire"},
   {"réduire le renoncement aux soins", "faciliter l'accès à un médecin traitant"}},
  {cv1::THEME_HEALTH, {"Bus de dépistage et de prévention", "Journées de dépistage dans le quartier"},
   "des journées de dépistage", {"avec un bus qui propose vaccination, dépistage du diabète et bilan bucco-dentaire sur la place du marché", "organisées avec le centre de santé et les associations de patients, sans avance de frais"},
   {"toucher les habitants qui ne consultent jamais", "prévenir les maladies chroniques"}},
  {cv1::THEME_HEALTH, {"Sport santé sur ordonnance", "Activité physique adaptée pour les seniors"},
   "un programme de sport santé", {"prescrit par les médecins et animé par un éducateur sportif deux fois par semaine", "de marche nordique et de gymnastique douce pour les personnes en surpoids ou diabétiques"},
   {"lutter contre la sédentarité et l'obésité", "rompre l'isolement des personnes âgées"}},
  {cv1::THEME_HEALTH, {"Groupe de parole et soutien psychologique", "Point écoute santé mentale"},
   "un point écoute", {"anonyme et gratuit tenu par une psychologue et un infirmier, pour les jeunes et les parents", "avec des groupes de parole pour les mères isolées et les aidants familiaux"},
   {"repérer tôt la souffrance psychique", "orienter vers les soins sans stigmatiser"}},
  {cv1::THEME_CULTURE_SPORT, {"Tournoi de football inter-quartiers", "Tournoi sportif de l'été"},
   "un tournoi de football", {"inter-quartiers pendant l'été, avec une charte de fair-play signée par les équipes et les parents", "mixte, ouvert aux filles, avec des arbitres formés parmi les jeunes du quartier"},
   {"créer des liens entre les quartiers par le sport", "valoriser le respect et l'engagement des jeunes"}},
  {cv1::THEME_CULTURE_SPORT, {"Résidence d'artistes dans le quartier", "Création artistique avec les habitants"},
   "une résidence d'artistes", {"qui crée un spectacle avec les habitants et le joue sur la place puis au théâtre de la ville", "avec des ateliers de théâtre, de danse et d'écriture ouverts aux enfants et aux parents"},
   {"rendre la culture accessible à ceux qui n'y vont jamais", "faire des habitants des créateurs et pas seulement des spectateurs"}},
  {cv1::THEME_CULTURE_SPORT, {"Quartiers d'été et animations en soirée", "Animations estivales en pied d'immeuble"},
   "des animations d'été", {"en pied d'immeuble en soirée, avec des jeux, du cinéma en plein air et des repas partagés", "pendant les vacances scolaires pour les familles qui ne partent pas, avec des sorties à la mer"},
   {"occuper positivement l'espace public en été", "offrir des vacances à ceux qui ne partent pas"}},
  {cv1::THEME_CULTURE_SPORT, {"Bibliothèque hors les murs", "Lecture publique dans les squares"},
   "une bibliothèque hors les murs", {"qui s'installe dans les squares avec des tapis, des livres et des conteurs le mercredi", "avec une médiathèque mobile qui passe chaque semaine au pied des tours"},
   {"donner le goût de la lecture aux enfants", "faire connaître la médiathèque aux familles"}},
  {cv1::THEME_MOBILITY, {"Auto-école sociale et permis de conduire", "Permis solidaire pour les demandeurs d'emploi"},
   "une auto-école sociale", {"qui prépare au permis de conduire à tarif réduit les demandeurs d'emploi suivis par la mission locale", "avec un apprentissage du code adapté aux personnes qui maîtrisent mal l'écrit"},
   {"lever le frein de la mobilité dans l'accès à l'emploi", "permettre d'accepter des emplois en horaires décalés"}},
  {cv1::THEME_MOBILITY, {"Atelier vélo et location solidaire", "Vélos solidaires pour aller travailler"},
   "un atelier vélo", {"participatif où l'on apprend à réparer son vélo, avec une location à un euro par mois pour aller travailler", "avec des cours pour apprendre à faire du vélo destinés aux femmes adultes"},
   {"offrir un moyen de transport économique et autonome", "désenclaver le quartier"}},
  {cv1::THEME_MOBILITY, {"Plateforme de mobilité et transport à la demande", "Conseil en mobilité pour les habitants"},
   "une plateforme de mobilité", {"qui fait un diagnostic des besoins de chaque personne et propose covoiturage, prêt de scooter ou transport à la demande", "avec un conseiller qui accompagne les trajets vers les zones d'emploi mal desservies"},
   {"rendre accessibles les zones d'activité mal desservies", "faciliter le retour à l'emploi par la mobilité"}},
  {cv1::THEME_OTHER, {"Épicerie solidaire et ateliers cuisine", "Épicerie sociale et aide alimentaire"},
   "une épicerie solidaire", {"où les familles achètent à dix pour cent du prix et participent à des ateliers de cuisine", "tenue par des bénévoles et des personnes en insertion, avec un accompagnement budgétaire"},
   {"aider les familles modestes tout en préservant leur dignité", "lutter contre la précarité alimentaire"}},
  {cv1::THEME_OTHER, {"Cours de français pour adultes", "Ateliers sociolinguistiques pour les parents"},
   "des ateliers sociolinguistiques", {"de français pour les adultes, centrés sur la vie quotidienne, l'école et les démarches", "avec une garde d'enfants sur place pour que les mères puissent y participer"},
   {"favoriser l'autonomie des personnes qui ne parlent pas le français", "faciliter l'intégration des nouveaux arrivants"}},
};

const char* const kOpenings[] = {"Organiser ", "Mettre en place ", "Nous proposons ", "Créer ",
                                 "Développer ", "Lancer "};
const char* const kPublics[] = {
    "les jeunes de seize à vingt-cinq ans", "les mères isolées", "les seniors du quartier",
    "les demandeurs d'emploi de longue durée", "les collégiens", "les familles monoparentales",
    "les habitants nouvellement arrivés", "les bénéficiaires du RSA", "les femmes du quartier",
    "les enfants de six à onze ans", "les locataires du bailleur social", "les personnes âgées isolées",
    "les lycéens décrocheurs", "les parents d'élèves", "les jeunes filles", "les travailleurs précaires",
    "les personnes en situation de handicap", "les primo-arrivants", "les commerçants du quartier",
    "les aidants familiaux"};
const char* const kPartners[] = {
    "le centre social", "la mission locale", "le bailleur social", "la caisse d'allocations familiales",
    "le conseil citoyen", "les adultes-relais", "le club de prévention", "la médiathèque",
    "le collège", "la maison de santé", "l'association des locataires", "la régie de quartier",
    "le département", "la préfecture", "les commerçants", "l'office municipal des sports",
    "la protection judiciaire de la jeunesse", "le planning familial", "l'école de musique",
    "la chambre de métiers", "une entreprise d'insertion", "le lycée professionnel",
    "la maison des jeunes et de la culture", "le conservatoire"};
const char* const kPlaces[] = {
    "au centre social", "dans le hall de la tour", "à la maison de quartier", "sur la place du marché",
    "dans un local prêté par le bailleur", "à la médiathèque", "au gymnase", "dans la cour de l'école",
    "dans un ancien commerce de la galerie marchande", "au pied des immeubles", "dans le parc",
    "à la salle polyvalente", "dans un container aménagé", "au foyer de jeunes travailleurs",
    "dans les locaux de la régie de quartier", "à la maison des associations", "sur le parking du centre commercial",
    "dans une péniche amarrée au canal", "au jardin public", "dans l'appartement pédagogique"};
const char* const kRhythms[] = {"chaque semaine", "tous les quinze jours", "une fois par mois",
                                "pendant les vacances scolaires", "le samedi matin", "en soirée",
                                "le mercredi après-midi", "deux fois par semaine"};
const char* const kResults[] = {
    "Près de %d personnes y ont déjà participé.", "Le bilan de la première année compte %d participants.",
    "%d habitants s'y sont inscrits dès le lancement.", "Une évaluation menée avec %d familles est positive.",
    "En deux ans, %d jeunes en ont bénéficié.", "Il touche aujourd'hui %d foyers."};

// Practices composed slot by slot, for the families beyond the catalogue.
const char* const kVerbs[] = {"Ouvrir", "Animer", "Financer", "Équiper", "Soutenir", "Installer",
                              "Proposer", "Coordonner", "Monter", "Faire vivre", "Déployer", "Relancer"};
const char* const kObjects[] = {
    "un atelier de couture", "une ludothèque", "un repair café", "un potager pédagogique",
    "une chorale de quartier", "un club d'échecs", "une cuisine collective", "un atelier de poterie",
    "une friperie solidaire", "un point relais colis", "un ciné-club", "une conciergerie solidaire",
    "un atelier de théâtre-forum", "une bourse aux vêtements", "un groupe de marche", "un studio photo",
    "un fablab", "un club de lecture", "une salle de musculation", "une école de cirque",
    "un atelier de mécanique", "un espace de coworking", "une recyclerie", "un café associatif",
    "un club de robotique", "une troupe de danse", "un atelier de calligraphie", "un poulailler collectif",
    "un rucher", "une radio associative", "une boxe éducative", "un club de basket féminin",
    "une laverie solidaire", "un atelier d'écriture", "un orchestre à l'école", "une bricothèque",
    "un kiosque à journaux associatif", "une épicerie de nuit", "un atelier de sérigraphie",
    "un club de natation pour adultes", "une plateforme de covoiturage", "une garde d'enfants partagée",
    "un atelier de cuisine du monde", "un club de jeux vidéo", "une école du numérique",
    "un chantier de rénovation de vélos", "une banque alimentaire", "un groupe de randonnée",
    "un atelier de réparation d'électroménager", "une web télévision", "un club de photographie",
    "une salle d'escalade", "un atelier de menuiserie", "un jardin aromatique", "un atelier de jonglage",
    "un conseil des enfants", "un bureau des jeunes", "un club de couture pour hommes",
    "une académie de football", "un atelier de slam"};
const char* const kQualifiers[] = {
    "géré par des bénévoles", "ouvert aux familles", "réservé aux adolescentes", "intergénérationnel",
    "gratuit", "itinérant", "labellisé par la ville", "porté par des habitantes", "animé par des retraités",
    "partagé entre deux écoles", "installé dans un ancien commerce", "accessible aux personnes handicapées",
    "ouvert le dimanche", "financé par le contrat de ville", "animé en plusieurs langues",
    "tenu par des jeunes en service civique", "ouvert tard le soir", "mobile", "mutualisé entre trois quartiers",
    "à prix libre", "encadré par des professionnels", "soutenu par une fondation d'entreprise",
    "monté avec les familles", "en autogestion", "adossé à une entreprise", "ouvert l'été",
    "sans inscription", "en lien avec le collège", "avec une crèche sur place", "en binôme parent-enfant",
    "pour les débutants", "en accès libre", "co-animé par les habitants", "dans une démarche zéro déchet",
    "certifié", "numérique", "solidaire", "participatif", "de proximité", "éphémère"};
const char* const kActivities[] = {
    "autour de séances courtes et régulières", "par petits groupes de huit personnes",
    "avec un système de parrainage entre anciens et nouveaux", "sur inscription auprès des gardiens",
    "avec une cotisation symbolique d'un euro", "grâce à du matériel récupéré et remis en état",
    "avec des séances de découverte suivies d'un cycle complet", "en alternant théorie et pratique",
    "avec un carnet de progression remis à chaque participant", "en partenariat avec une école d'ingénieurs",
    "avec un défi collectif en fin d'année", "autour d'un repas partagé à chaque séance",
    "avec une navette qui vient chercher les participants", "avec une interprète en langue des signes",
    "avec des stages intensifs pendant les vacances", "par des habitants formés qui transmettent à leur tour",
    "avec une exposition des réalisations à la mairie", "avec un temps d'accueil des parents",
    "en lien avec les clubs de la ville", "avec des sorties culturelles une fois par trimestre",
    "avec une bourse d'échange d'objets", "avec un tutorat individuel", "avec un atelier pour les tout-petits",
    "autour d'un projet de voyage préparé toute l'année", "avec une fête de quartier pour clôturer",
    "avec des intervenants professionnels rémunérés", "en mixant les générations",
    "avec une application pour réserver un créneau", "en commençant par un diagnostic des besoins",
    "avec une charte signée par chaque participant", "en s'appuyant sur les talents du quartier",
    "en ouvrant les portes aux habitants des autres quartiers", "avec une restitution publique",
    "sans condition de ressources", "avec un suivi par un travailleur social", "avec un prix décerné par un jury d'habitants",
    "autour d'ateliers thématiques tournants", "en s'inspirant d'une expérience québécoise",
    "avec une formation courte des animateurs", "grâce à un appel à projets de la préfecture"};
const char* const kPurposes[] = {
    "rompre l'isolement", "créer du lien entre générations", "valoriser les savoir-faire des habitantes",
    "occuper les jeunes le soir", "réduire le gaspillage", "développer l'entraide",
    "faire découvrir des métiers", "améliorer l'estime de soi", "animer une rue commerçante désertée",
    "accueillir les nouveaux arrivants", "favoriser la mixité", "éveiller la curiosité scientifique",
    "apprendre le français en pratiquant", "redonner vie à un local vide", "soutenir les parents",
    "prévenir le décrochage", "encourager la pratique sportive des filles", "lutter contre la précarité énergétique",
    "rapprocher les habitants des institutions", "faire émerger des bénévoles", "préparer l'insertion professionnelle",
    "réduire les tensions entre voisins", "ouvrir le quartier sur la ville", "développer l'esprit critique",
    "soutenir l'économie locale", "donner accès à la culture", "favoriser l'autonomie des seniors",
    "prévenir les conduites à risque", "valoriser la langue maternelle des familles", "réparer plutôt que jeter"};

// The catalogue's families: (type, what, goal).
constexpr int kCatalogueFamilies = kArchetypes * 4;
// Shared families: family k is chosen with weight 1 / (k + kFamilyOffset),
// so the commonest practice appears a few hundred times nationally, a
// practice of rank 1000 about ten times, and most of them once or twice.
constexpr int kSharedFamilies = 25000;
constexpr double kFamilyOffset = 50;

template <typename T, size_t N>
const T& Pick(Rng& rng, const T (&list)[N]) {
  return list[rng.Below(N)];
}

// Redrawn with probability `p` (a rewording), else the family's choice.
template <typename T, size_t N>
const T& Keep(Rng& family, Rng& own, double p, const T (&list)[N]) {
  const T& base = Pick(family, list);
  return own.Chance(p) ? Pick(own, list) : base;
}

std::string Partners(Rng& family, Rng& own, double p) {
  const char* a = Keep(family, own, p, kPartners);
  const char* b = Keep(family, own, p, kPartners);
  if (a == b) return absl::StrCat("avec ", a);
  return absl::StrCat("avec ", a, " et ", b);
}

std::string Result(Rng& rng) {
  char buf[160];
  snprintf(buf, sizeof(buf), Pick(rng, kResults), static_cast<int>(12 + rng.Below(300)));
  return buf;
}

std::string Capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// A member of a catalogue family: the type's title and core sentences, its
// own opening, public, place and partners.
ActionText CatalogueMember(int family, Rng& own) {
  const Archetype& a = kTypes[family / 4];
  ActionText out;
  out.theme = a.theme;
  out.title = a.titles[own.Below(2)];
  out.text = absl::StrCat(Pick(own, kOpenings), a.subject, " ", a.what[family % 2],
                          ". L'objectif est de ", a.goal[(family / 2) % 2], ". ");
  absl::StrAppend(&out.text, "Pour ", Pick(own, kPublics), ", ", Pick(own, kRhythms), " ",
                  Pick(own, kPlaces), ", ", Partners(own, own, 0), ".");
  if (own.Chance(0.5)) absl::StrAppend(&out.text, " ", Result(own));
  return out;
}

// A member of a composed family: the family's choice for each slot, a few
// redrawn with probability `reword` (0 for the family's first wording).
ActionText ComposedMember(uint64_t family_seed, Rng& own, double reword) {
  Rng family(family_seed);
  ActionText out;
  out.theme = static_cast<cv1::Theme>(1 + family.Below(11));
  const std::string object = Pick(family, kObjects);
  const char* qualifier = Pick(family, kQualifiers);
  const char* verb = Keep(family, own, reword, kVerbs);
  const char* place = Keep(family, own, reword, kPlaces);
  const char* rhythm = Keep(family, own, 1.0, kRhythms);
  const char* publics = Keep(family, own, reword, kPublics);
  const char* activity = Keep(family, own, reword, kActivities);
  const std::string partners = Partners(family, own, reword);
  const char* purpose = Pick(family, kPurposes);
  const char* purpose2 = Keep(family, own, reword, kPurposes);
  out.title = absl::StrCat(Capitalized(object.substr(object.find(' ') + 1)), " ", qualifier,
                           " pour ", purpose);
  out.text = absl::StrCat(verb, " ", object, " ", qualifier, " ", place, ", ", rhythm,
                          ". Destiné à ", publics, ", il fonctionne ", activity, ". Le projet est porté ",
                          partners, ". L'idée est de ", purpose, " et de ", purpose2, ".");
  if (own.Chance(0.6)) absl::StrAppend(&out.text, " ", Result(own));
  return out;
}

}  // namespace

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double Rng::LogNormal(double median, double sigma) {
  // Box-Muller; 1 - Unit() is never 0.
  const double u = 1.0 - Unit();
  const double v = Unit();
  const double normal = std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * v);
  return median * std::exp(sigma * normal);
}

uint64_t MixSeed(uint64_t seed, uint64_t value) {
  Rng rng(seed ^ (value * 0xd1b54a32d192ed03ULL));
  rng.Next();
  return rng.Next();
}

ActionText MakeActionText(Rng& rng, double shared_share) {
  if (!rng.Chance(shared_share)) {
    // A practice of its own: a family nobody else draws.
    ActionText out = ComposedMember(rng.Next(), rng, 0);
    out.family = -1;
    return out;
  }
  // Inverse of the weights' cumulative sum ln((k + a) / a).
  const double span = std::log((kSharedFamilies + kFamilyOffset) / kFamilyOffset);
  const int family = std::min(
      kSharedFamilies - 1,
      static_cast<int>(kFamilyOffset * std::exp(rng.Unit() * span) - kFamilyOffset));
  ActionText out = family < kCatalogueFamilies
                       ? CatalogueMember(family, rng)
                       : ComposedMember(MixSeed(0x51505f47524f5550ULL, family), rng, 0.2);
  out.family = family;
  return out;
}

}  // namespace qpv::bench
