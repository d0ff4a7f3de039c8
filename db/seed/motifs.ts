import type { ServiceKind } from '../../server/domain/types.ts';

/*
 * National referential of motifs, per kind of service. Two levels: a motif may have sub-motifs.
 * `code` is the stable key (rdvs keep pointing at a motif across reloads): never reuse a code for
 * another meaning; retire a motif by removing it (it is then deactivated, not deleted).
 * A sub-motif without its own `documents` inherits its parent's.
 */

export interface MotifSeed {
  code: string;
  label: string;
  documents?: string;
  children?: readonly MotifSeed[];
}

const PIECE_IDENTITE = "Une pièce d'identité en cours de validité";
const RIB = "un relevé d'identité bancaire";

// The reference document's own wording, shown on the confirmation of an IR rdv.
const DOCS_IR =
  "Tous les documents pouvant être utiles pour l'examen de votre demande, notamment pour justifier du montant de vos revenus (bulletins de salaires des 3 derniers mois, justificatifs de caisse de retraite...) et de vos charges (loyers, emprunt(s)...), de votre situation de famille (livret de famille, acte de naissance...) et un relevé d'identité bancaire.";

const SIP: readonly MotifSeed[] = [
  {
    code: 'SIP-IR',
    label: "Déclaration et calcul de l'impôt sur le revenu",
    documents: DOCS_IR,
    children: [
      {
        code: 'SIP-IR-AUTRES-REVENUS',
        label: 'Autres revenus particuliers (assistance maternelle...)',
        documents: `${DOCS_IR} Pour une assistante maternelle : les attestations de salaires et d'indemnités de l'année (Pajemploi) et le nombre de jours de garde par enfant.`,
      },
      {
        code: 'SIP-IR-FONCIERS',
        label: 'Investissements locatifs et revenus fonciers',
        documents: `${DOCS_IR} Pour vos biens loués : les baux, le montant des loyers encaissés, les factures de travaux, les échéanciers d'emprunt et l'attestation d'investissement locatif le cas échéant.`,
      },
      {
        code: 'SIP-IR-PREMIERE',
        label: 'Première déclaration de revenus',
        documents: `${PIECE_IDENTITE}, un justificatif de domicile, vos bulletins de salaire ou attestations de revenus de l'année, l'avis d'imposition de vos parents si vous étiez rattaché(e) à leur foyer, et ${RIB}.`,
      },
      {
        code: 'SIP-IR-EXCEPTIONNELS',
        label: 'Revenus exceptionnels ou différés (départ à la retraite, licenciement...)',
        documents: `${DOCS_IR} Le solde de tout compte, l'attestation de l'employeur détaillant les indemnités (départ, licenciement, rupture conventionnelle) ou la notification de votre caisse de retraite.`,
      },
      {
        code: 'SIP-IR-ETRANGER',
        label: "Revenus perçus à l'étranger",
        documents: `${DOCS_IR} Les justificatifs des revenus perçus à l'étranger et de l'impôt payé dans l'autre État, ainsi que vos dates de séjour.`,
      },
      { code: 'SIP-IR-AUTRE', label: "Autre demande sur l'impôt sur le revenu" },
    ],
  },
  {
    code: 'SIP-TF',
    label: 'Déclaration et calcul de la taxe foncière',
    documents: `Votre dernier avis de taxe foncière, l'acte d'achat ou l'attestation notariée, le permis de construire et la déclaration d'achèvement des travaux si votre demande porte sur une construction, et ${RIB}.`,
  },
  {
    code: 'SIP-FAMILLE',
    label:
      "Conséquences d'un changement de situation familiale (naissance, mariage, PACS, divorce, séparation, décès)",
    documents: `Votre livret de famille, l'acte de mariage ou la convention de PACS, le jugement de divorce ou la convention de divorce par consentement mutuel, ou l'acte de décès selon le cas ; votre dernier avis d'impôt sur le revenu et ${RIB}.`,
  },
  {
    code: 'SIP-TH',
    label:
      "Calcul de la taxe d'habitation, contribution à l'audiovisuel public, taxe sur les logements vacants",
    documents:
      "Votre dernier avis de taxe d'habitation, un justificatif d'occupation du logement au 1er janvier (bail, acte d'achat, état des lieux) et, pour un logement vacant, les justificatifs de mise en location ou en vente.",
  },
  {
    code: 'SIP-PAIEMENT',
    label: "Problème de paiement d'un impôt (IR, TH, TF...)",
    documents: `L'avis d'imposition concerné, les éventuelles lettres de relance ou mises en demeure, vos justificatifs de ressources et de charges si vous demandez un délai de paiement, et ${RIB}.`,
  },
  {
    code: 'SIP-AUTRE',
    label: 'Autre demande',
    documents: `${PIECE_IDENTITE} et tous les documents utiles à l'examen de votre demande (avis d'imposition, courriers reçus de l'administration).`,
  },
];

const SIE: readonly MotifSeed[] = [
  {
    code: 'SIE-CREATION',
    label: "Création d'entreprise, début d'activité",
    documents:
      "L'extrait Kbis ou l'avis de situation au répertoire SIRENE, les statuts de la société, le bail commercial et les prévisions de chiffre d'affaires.",
    children: [
      {
        code: 'SIE-CREATION-REGIME',
        label: "Choix du régime d'imposition (micro, réel simplifié, réel normal)",
      },
      { code: 'SIE-CREATION-OBLIGATIONS', label: 'Obligations déclaratives et espace professionnel' },
    ],
  },
  {
    code: 'SIE-TVA',
    label: 'Déclaration et paiement de la TVA',
    documents:
      'Vos dernières déclarations de TVA (CA3 ou CA12), le grand livre des comptes de TVA et les factures concernées.',
    children: [
      {
        code: 'SIE-TVA-REMBOURSEMENT',
        label: 'Remboursement de crédit de TVA',
        documents:
          "La demande de remboursement (formulaire 3519), la liste des factures d'immobilisations et la déclaration de TVA portant le crédit.",
      },
      { code: 'SIE-TVA-DECLARATION', label: 'Régime et obligations déclaratives de TVA' },
      { code: 'SIE-TVA-AUTRE', label: 'Autre question sur la TVA' },
    ],
  },
  {
    code: 'SIE-RESULTAT',
    label: 'Impôt sur les sociétés, bénéfices industriels et commerciaux ou non commerciaux',
    documents:
      "La dernière liasse fiscale, les statuts et les avis d'acompte ou de solde d'impôt sur les sociétés.",
  },
  {
    code: 'SIE-CFE',
    label: 'Cotisation foncière des entreprises (CFE) et CVAE',
    documents:
      "Le dernier avis de CFE, la déclaration 1447-C ou 1447-M, et le bail ou l'acte de propriété des locaux professionnels.",
  },
  {
    code: 'SIE-PAIEMENT',
    label: 'Difficultés de paiement, demande de délai',
    documents:
      "Les avis et relances concernés, le dernier bilan ou une situation comptable récente, un plan de trésorerie et le relevé d'identité bancaire de l'entreprise.",
  },
  {
    code: 'SIE-ESPACE-PRO',
    label: 'Espace professionnel, télédéclaration et télérèglement',
    documents:
      "Le numéro SIREN, l'adresse électronique du représentant légal et le relevé d'identité bancaire de l'entreprise.",
  },
  {
    code: 'SIE-CESSATION',
    label: "Cessation d'activité, cession ou transmission d'entreprise",
    documents:
      "L'acte de cession ou la déclaration de cessation, la dernière liasse fiscale et la déclaration de TVA de cessation.",
  },
  {
    code: 'SIE-AUTRE',
    label: 'Autre demande',
    documents:
      "Le numéro SIREN, un pouvoir si vous représentez l'entreprise, et les documents utiles à votre demande.",
  },
];

const CDIF: readonly MotifSeed[] = [
  {
    code: 'CDIF-EVALUATION',
    label: "Évaluation cadastrale d'un bien (valeur locative)",
    documents:
      "Votre dernier avis de taxe foncière, l'acte de propriété et les références cadastrales du bien (section et numéro de parcelle).",
    children: [
      { code: 'CDIF-EVALUATION-HABITATION', label: "Local d'habitation" },
      { code: 'CDIF-EVALUATION-PROFESSIONNEL', label: 'Local professionnel ou commercial' },
    ],
  },
  {
    code: 'CDIF-PLAN',
    label: 'Plan cadastral, limites et numérotation des parcelles',
    documents:
      "Les références cadastrales des parcelles concernées et, le cas échéant, le document d'arpentage.",
  },
  {
    code: 'CDIF-PROPRIETE',
    label: "Relevé de propriété, identification d'un propriétaire",
    documents: `${PIECE_IDENTITE} et les références cadastrales ou l'adresse du bien.`,
  },
  {
    code: 'CDIF-CONSTRUCTION',
    label: "Déclaration d'une construction nouvelle ou d'un changement (H1, H2, IL...)",
    documents:
      "Le permis de construire ou la déclaration préalable, la déclaration d'achèvement des travaux et les plans du bien.",
  },
  {
    code: 'CDIF-AUTRE',
    label: 'Autre demande',
    documents: `${PIECE_IDENTITE} et les références cadastrales du bien concerné.`,
  },
];

const TRESORERIE: readonly MotifSeed[] = [
  {
    code: 'TRESO-PAIEMENT',
    label: "Paiement d'un impôt ou d'une facture locale",
    documents: "L'avis ou la facture à payer et votre moyen de paiement (chèque, carte bancaire).",
  },
  {
    code: 'TRESO-DELAI',
    label: 'Demande de délai de paiement, difficultés de paiement',
    documents: `L'avis ou la facture concernés, vos justificatifs de ressources et de charges, et ${RIB}.`,
  },
  {
    code: 'TRESO-POURSUITES',
    label: 'Relance, mise en demeure, saisie',
    documents:
      "Le courrier de relance, la mise en demeure ou l'avis de saisie reçu, et vos justificatifs de paiement éventuels.",
  },
  {
    code: 'TRESO-COLLECTIVITE',
    label: 'Factures des collectivités locales (cantine, eau, crèche, hôpital...)',
    documents: 'La facture concernée (avis des sommes à payer) et vos justificatifs de paiement éventuels.',
  },
  { code: 'TRESO-AUTRE', label: 'Autre demande', documents: PIECE_IDENTITE },
];

const SPL: readonly MotifSeed[] = [
  {
    code: 'SPL-FACTURE',
    label: "Paiement d'une facture de collectivité locale (cantine, crèche, eau, assainissement...)",
    documents: "L'avis des sommes à payer et votre moyen de paiement.",
  },
  {
    code: 'SPL-HOSPITALIER',
    label: "Frais d'hospitalisation ou d'hébergement (EHPAD)",
    documents:
      "La facture de l'établissement, les décomptes de votre assurance maladie et de votre complémentaire santé.",
  },
  {
    code: 'SPL-DELAI',
    label: 'Demande de délai de paiement',
    documents: `L'avis des sommes à payer, vos justificatifs de ressources et de charges, et ${RIB}.`,
  },
  {
    code: 'SPL-POURSUITES',
    label: 'Relance, saisie administrative à tiers détenteur',
    documents: "Le courrier de relance ou l'avis de saisie et vos justificatifs de paiement éventuels.",
  },
  { code: 'SPL-AUTRE', label: 'Autre demande', documents: PIECE_IDENTITE },
];

const AMENDE: readonly MotifSeed[] = [
  {
    code: 'AMENDE-PAIEMENT',
    label: "Paiement d'une amende ou d'un forfait post-stationnement majoré",
    documents: "L'avis d'amende ou l'avis de forfait post-stationnement majoré et votre moyen de paiement.",
  },
  {
    code: 'AMENDE-DELAI',
    label: 'Demande de délai de paiement',
    documents: "Les avis d'amende concernés, vos justificatifs de ressources et de charges.",
  },
  {
    code: 'AMENDE-RECLAMATION',
    label: 'Information sur une réclamation ou une contestation',
    documents:
      "L'avis d'amende, la copie de votre réclamation et de la réponse éventuelle de l'officier du ministère public.",
  },
  {
    code: 'AMENDE-SAISIE',
    label: 'Saisie ou opposition administrative',
    documents: "L'avis de saisie ou d'opposition et vos justificatifs de paiement éventuels.",
  },
  { code: 'AMENDE-AUTRE', label: 'Autre demande', documents: PIECE_IDENTITE },
];

const DGE: readonly MotifSeed[] = [
  {
    code: 'DGE-TVA',
    label: 'TVA des grandes entreprises (déclaration, remboursement de crédit)',
    documents:
      'Les déclarations de TVA concernées et la demande de remboursement (formulaire 3519) le cas échéant.',
  },
  {
    code: 'DGE-IS',
    label: 'Impôt sur les sociétés et intégration fiscale',
    documents:
      "La liasse fiscale de la société et, pour un groupe, la convention et le périmètre d'intégration.",
  },
  {
    code: 'DGE-PAIEMENT',
    label: 'Paiement, acomptes et restitutions',
    documents: "Les avis de paiement et le relevé d'identité bancaire de l'entreprise.",
  },
  {
    code: 'DGE-AUTRE',
    label: 'Autre demande',
    documents: 'Le numéro SIREN, un pouvoir du représentant légal et les documents utiles à votre demande.',
  },
];

const DRESG: readonly MotifSeed[] = [
  {
    code: 'DRESG-IR',
    label: 'Impôt sur le revenu des non-résidents',
    documents: `${DOCS_IR} Le justificatif de votre résidence fiscale à l'étranger et les justificatifs de vos revenus de source française.`,
    children: [
      {
        code: 'DRESG-IR-SOURCE-FRANCAISE',
        label: 'Revenus de source française (salaires, pensions, loyers)',
      },
      { code: 'DRESG-IR-DEPART', label: "Départ à l'étranger ou retour en France" },
      { code: 'DRESG-IR-TAUX', label: 'Prélèvement à la source et taux minimum' },
      { code: 'DRESG-IR-AUTRE', label: "Autre demande sur l'impôt sur le revenu" },
    ],
  },
  {
    code: 'DRESG-IMMOBILIER',
    label:
      "Biens immobiliers en France (taxe foncière, taxe d'habitation sur les résidences secondaires, plus-values)",
    documents:
      "Les avis de taxe concernés, l'acte d'achat ou de vente et les références cadastrales du bien.",
  },
  {
    code: 'DRESG-PAIEMENT',
    label: "Paiement d'un impôt depuis l'étranger",
    documents:
      "L'avis d'imposition et les coordonnées bancaires internationales (IBAN, BIC) de votre compte.",
  },
  {
    code: 'DRESG-AUTRE',
    label: 'Autre demande',
    documents: `${PIECE_IDENTITE} et tous les documents utiles à l'examen de votre demande.`,
  },
];

// A merged office does both jobs: its tax motifs, then the cadastral ones, one "Autre demande" last.
function merge(prefix: string, ...lists: (readonly MotifSeed[])[]): MotifSeed[] {
  const rename = (m: MotifSeed): MotifSeed => ({
    ...m,
    code: `${prefix}${m.code}`,
    ...(m.children ? { children: m.children.map(rename) } : {}),
  });
  const merged = lists.flatMap((list) => list.filter((m) => !m.code.endsWith('-AUTRE')).map(rename));
  return [...merged, { ...rename(SIP.at(-1)!) }];
}

export const MOTIFS: Readonly<Record<ServiceKind, readonly MotifSeed[]>> = {
  SIP,
  SIE,
  CDIF,
  'SIP-CDIF': merge('SIPCDIF-', SIP, CDIF),
  TRESORERIE,
  SPL,
  AMENDE,
  DGE,
  DRESG,
};
