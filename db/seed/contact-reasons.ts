import {
  AUDIENCES,
  type Audience,
  CONTACT_LEVELS,
  type ContactServiceKind,
  type Faq,
  type OnlineProcedure,
} from '../../server/domain/contact-reasons.ts';
import type { ServiceKind } from '../../server/domain/types.ts';
import type { ContactReasonRow } from '../../server/store/contact-reasons.ts';
import { MOTIFS, type MotifSeed } from './motifs.ts';

/*
 * The "Contact" cascade of the public site, per audience: "Votre demande concerne" →
 * "Au sujet de" → "Plus précisément". The words of the reference document are kept where it shows
 * them (Particulier → Votre dossier fiscal → Le calcul de vos impôts → …); the rest is plausible.
 *
 * `code` is the stable key the API and the pages use (links such as /contact?motif=…): never reuse
 * a code for another meaning. Only leaves carry what the usager can do next: the frequently asked
 * questions, the online procedure, the kinds of office competent (for "Chercher le service
 * compétent") and the rdv motif the booking wizard preselects, a motif of `serviceKinds[0]`.
 */

interface LeafFields {
  faq: readonly Faq[];
  onlineProcedure: OnlineProcedure | null;
  serviceKinds: readonly ContactServiceKind[];
  motifCode?: string | null;
  /** The usager lives abroad: the DRESG answers, with no address to search. */
  abroad?: boolean;
}

export type ContactReasonSeed = { code: string; label: string } & (
  | { children: readonly ContactReasonSeed[] }
  | LeafFields
);

const SITE = 'https://www.impots.gouv.fr';
const MESSAGERIE_PART: OnlineProcedure = {
  label: 'Nous contacter par la messagerie sécurisée',
  url: 'https://cfspart.impots.gouv.fr/messagerie',
};
const MESSAGERIE_PRO: OnlineProcedure = {
  label: 'Nous contacter par la messagerie sécurisée de votre espace professionnel',
  url: 'https://cfspro.impots.gouv.fr/messagerie',
};
const ASSISTANCE_PART: OnlineProcedure = {
  label: 'Contacter l’assistance technique',
  url: `${SITE}/contacts/assistance-technique-particulier`,
};
const ASSISTANCE_PRO: OnlineProcedure = {
  label: 'Contacter l’assistance technique des professionnels',
  url: `${SITE}/contacts/assistance-technique-professionnel`,
};
const PAIEMENT_PART: OnlineProcedure = {
  label: 'Payer en ligne ou gérer vos prélèvements dans votre espace particulier',
  url: 'https://cfspart.impots.gouv.fr/paiement',
};
const ESPACE_PART: OnlineProcedure = {
  label: 'Consulter vos documents dans votre espace particulier',
  url: 'https://cfspart.impots.gouv.fr/documents',
};
const NON_RESIDENTS: OnlineProcedure = {
  label: 'Nous contacter par la messagerie sécurisée (non-résidents)',
  url: 'https://cfspart.impots.gouv.fr/messagerie',
};

const FAQ_IR_PREMIERE: Faq = {
  question: 'Je paye pour la première fois de l’impôt sur le revenu. Comment dois-je faire ?',
  answer:
    'Votre avis d’impôt indique le montant et les dates d’échéance. Le plus simple est de payer en ligne ou d’adhérer au prélèvement à l’échéance ou à la mensualisation depuis votre espace particulier.',
  url: `${SITE}/particulier/questions/je-paye-pour-la-premiere-fois`,
};
const FAQ_DECLARATION: Faq = {
  question: 'Questions sur la déclaration des revenus pour un particulier',
  url: `${SITE}/particulier/questions/declaration-des-revenus`,
};
const FAQ_CREER_ESPACE: Faq = {
  question: 'Comment créer mon espace particulier ?',
  answer:
    'Munissez-vous de votre numéro fiscal, de votre numéro d’accès en ligne et de votre revenu fiscal de référence (sur votre dernier avis d’impôt), ou passez par FranceConnect.',
};
const FAQ_DELAI: Faq = {
  question: 'Je ne peux pas payer mon impôt à la date prévue. Que faire ?',
  answer:
    'Contactez votre service avant l’échéance par la messagerie sécurisée : un délai de paiement peut vous être accordé selon votre situation.',
};
const FAQ_RECLAMATION: Faq = {
  question: 'Comment contester le montant de mon impôt ?',
  answer:
    'Déposez une réclamation dans votre messagerie sécurisée (« Je signale une erreur sur le calcul de mon impôt »), en joignant vos justificatifs, avant le 31 décembre de la deuxième année qui suit la mise en recouvrement.',
};

const PARTICULIER: readonly ContactReasonSeed[] = [
  {
    code: 'part-technique',
    label: 'Une question technique',
    children: [
      {
        code: 'part-technique-espace',
        label: 'Votre espace particulier (création, mot de passe)',
        faq: [
          FAQ_CREER_ESPACE,
          {
            question: 'J’ai oublié mon mot de passe. Comment le réinitialiser ?',
            answer:
              'Sur la page de connexion, choisissez « Mot de passe oublié » : un lien vous est envoyé par courriel.',
          },
        ],
        onlineProcedure: ASSISTANCE_PART,
        serviceKinds: ['SIP'],
        motifCode: 'SIP-AUTRE',
      },
      {
        code: 'part-technique-declaration',
        label: 'La déclaration en ligne',
        faq: [
          FAQ_DECLARATION,
          {
            question: 'Puis-je corriger ma déclaration en ligne après l’avoir signée ?',
            answer:
              'Oui : le service de correction en ligne est ouvert dans votre espace particulier après la réception de votre avis, jusqu’en décembre.',
          },
        ],
        onlineProcedure: ASSISTANCE_PART,
        serviceKinds: ['SIP'],
        motifCode: 'SIP-IR',
      },
      {
        code: 'part-technique-paiement',
        label: 'Le paiement en ligne',
        faq: [
          {
            question: 'Mon paiement en ligne a été refusé. Que faire ?',
            answer:
              'Vérifiez les coordonnées du compte bancaire enregistré dans votre espace particulier, puis renouvelez le paiement avant la date limite.',
          },
        ],
        onlineProcedure: ASSISTANCE_PART,
        serviceKinds: ['SIP'],
        motifCode: 'SIP-PAIEMENT',
      },
    ],
  },
  {
    code: 'part-general',
    label: 'Une question fiscale d’ordre général',
    children: [
      {
        code: 'part-general-ir',
        label: 'L’impôt sur le revenu et le prélèvement à la source',
        faq: [
          FAQ_DECLARATION,
          {
            question: 'Comment modifier mon taux de prélèvement à la source ?',
            answer:
              'Dans votre espace particulier, rubrique « Gérer mon prélèvement à la source » : actualisez votre taux après un changement de revenus ou de situation.',
          },
        ],
        onlineProcedure: null,
        serviceKinds: ['SIP'],
        motifCode: 'SIP-IR',
      },
      {
        code: 'part-general-locaux',
        label: 'Les impôts locaux',
        faq: [
          {
            question: 'Qui doit payer la taxe foncière ?',
            answer: 'Le propriétaire du bien au 1er janvier de l’année d’imposition.',
          },
          {
            question: 'La taxe d’habitation est-elle supprimée ?',
            answer:
              'Elle est supprimée pour les résidences principales ; elle reste due pour les résidences secondaires et les logements vacants.',
          },
        ],
        onlineProcedure: null,
        serviceKinds: ['SIP'],
        motifCode: 'SIP-TH',
      },
      {
        code: 'part-general-autres',
        label: 'Autres',
        faq: [
          {
            question: 'Toutes les questions fréquentes des particuliers',
            url: `${SITE}/particulier/questions`,
          },
        ],
        onlineProcedure: null,
        serviceKinds: ['SIP'],
        motifCode: 'SIP-AUTRE',
      },
    ],
  },
  {
    code: 'part-etranger',
    label: 'Vous êtes domicilié hors de France',
    children: [
      {
        code: 'part-etranger-ir',
        label: 'Votre impôt sur le revenu',
        faq: [
          {
            question: 'Je pars vivre à l’étranger. Quelles sont mes obligations ?',
            answer:
              'Signalez votre nouvelle adresse dans votre espace particulier. L’année du départ, vous déclarez vos revenus de l’année en indiquant votre adresse à l’étranger.',
          },
          {
            question: 'Je ne réside pas en France : suis-je imposable sur mes revenus de source française ?',
            answer:
              'Oui, sous réserve des conventions fiscales : salaires, pensions et loyers de source française sont imposables en France.',
          },
        ],
        onlineProcedure: NON_RESIDENTS,
        serviceKinds: ['DRESG'],
        motifCode: 'DRESG-IR',
        abroad: true,
      },
      {
        code: 'part-etranger-immobilier',
        label: 'Vos biens immobiliers en France',
        faq: [
          {
            question: 'Je loue un logement en France en vivant à l’étranger. Comment déclarer les loyers ?',
            answer: 'Déclarez-les comme revenus fonciers sur votre déclaration de revenus de non-résident.',
          },
        ],
        onlineProcedure: NON_RESIDENTS,
        serviceKinds: ['DRESG'],
        motifCode: 'DRESG-IMMOBILIER',
        abroad: true,
      },
      {
        code: 'part-etranger-paiement',
        label: 'Le paiement de vos impôts',
        faq: [
          {
            question: 'Comment payer mes impôts français depuis l’étranger ?',
            answer: 'Par paiement en ligne, ou par virement depuis un compte situé dans la zone SEPA.',
          },
        ],
        onlineProcedure: NON_RESIDENTS,
        serviceKinds: ['DRESG'],
        motifCode: 'DRESG-PAIEMENT',
        abroad: true,
      },
      {
        code: 'part-etranger-autres',
        label: 'Autres',
        faq: [
          {
            question: 'Questions sur la fiscalité des non-résidents',
            url: `${SITE}/international-particulier`,
          },
        ],
        onlineProcedure: NON_RESIDENTS,
        serviceKinds: ['DRESG'],
        motifCode: 'DRESG-AUTRE',
        abroad: true,
      },
    ],
  },
  {
    code: 'part-dossier',
    label: 'Votre dossier fiscal',
    children: [
      {
        code: 'part-dossier-copie',
        label: 'Une copie d’avis d’impôt',
        faq: [
          {
            question: 'Comment obtenir une copie de mon avis d’impôt ?',
            answer:
              'Tous vos avis sont disponibles dans votre espace particulier, rubrique « Documents » : vous pouvez les télécharger et les imprimer.',
          },
        ],
        onlineProcedure: ESPACE_PART,
        serviceKinds: ['SIP'],
        motifCode: 'SIP-AUTRE',
      },
      {
        code: 'part-dossier-paiement',
        label: 'Le paiement de vos impôts',
        children: [
          {
            code: 'part-dossier-paiement-ir',
            label: 'Votre impôt sur le revenu/prélèvements sociaux',
            faq: [FAQ_IR_PREMIERE, FAQ_DELAI],
            onlineProcedure: PAIEMENT_PART,
            serviceKinds: ['SIP'],
            motifCode: 'SIP-PAIEMENT',
          },
          {
            code: 'part-dossier-paiement-th',
            label: 'Votre taxe d’habitation/contribution à l’audiovisuel',
            faq: [FAQ_DELAI],
            onlineProcedure: PAIEMENT_PART,
            serviceKinds: ['SIP'],
            motifCode: 'SIP-PAIEMENT',
          },
          {
            code: 'part-dossier-paiement-tf',
            label: 'Votre taxe foncière',
            faq: [
              FAQ_DELAI,
              {
                question: 'Puis-je mensualiser ma taxe foncière ?',
                answer: 'Oui, jusqu’au 30 juin pour l’année en cours, depuis votre espace particulier.',
              },
            ],
            onlineProcedure: PAIEMENT_PART,
            serviceKinds: ['SIP'],
            motifCode: 'SIP-PAIEMENT',
          },
          {
            code: 'part-dossier-paiement-ifi',
            label: 'Votre impôt sur la fortune',
            faq: [FAQ_DELAI],
            onlineProcedure: PAIEMENT_PART,
            serviceKinds: ['SIP'],
            motifCode: 'SIP-PAIEMENT',
          },
        ],
      },
      {
        code: 'part-dossier-calcul',
        label: 'Le calcul de vos impôts',
        children: [
          {
            code: 'part-dossier-calcul-ir',
            label: 'Votre impôt sur le revenu/prélèvements sociaux',
            faq: [FAQ_IR_PREMIERE, FAQ_DECLARATION],
            onlineProcedure: MESSAGERIE_PART,
            serviceKinds: ['SIP'],
            motifCode: 'SIP-IR',
          },
          {
            code: 'part-dossier-calcul-th',
            label: 'Votre taxe d’habitation/contribution à l’audiovisuel',
            faq: [
              {
                question:
                  'Je reçois une taxe d’habitation pour un logement que je n’occupe plus. Que faire ?',
                answer:
                  'Signalez-le par la messagerie sécurisée en indiquant la date de votre départ et votre nouvelle adresse.',
              },
            ],
            onlineProcedure: MESSAGERIE_PART,
            serviceKinds: ['SIP'],
            motifCode: 'SIP-TH',
          },
          {
            code: 'part-dossier-calcul-tf',
            label: 'Votre taxe foncière',
            faq: [
              {
                question: 'Comment est calculée ma taxe foncière ?',
                answer:
                  'À partir de la valeur locative cadastrale de votre bien, déterminée par le centre des impôts foncier, et des taux votés par les collectivités.',
              },
              {
                question: 'J’ai fait des travaux : dois-je les déclarer ?',
                answer:
                  'Oui, dans les 90 jours suivant leur achèvement, depuis « Gérer mes biens immobiliers » dans votre espace particulier.',
              },
            ],
            onlineProcedure: MESSAGERIE_PART,
            // The SIP answers for the tax, the CDIF for the cadastral value it is based on.
            serviceKinds: ['SIP', 'CDIF'],
            motifCode: 'SIP-TF',
          },
          {
            code: 'part-dossier-calcul-ifi',
            label: 'Votre impôt sur la fortune',
            faq: [
              {
                question: 'Suis-je redevable de l’impôt sur la fortune immobilière ?',
                answer:
                  'Oui si la valeur nette de votre patrimoine immobilier dépasse 1,3 million d’euros au 1er janvier.',
              },
            ],
            onlineProcedure: MESSAGERIE_PART,
            serviceKinds: ['SIP'],
            motifCode: 'SIP-AUTRE',
          },
          {
            code: 'part-dossier-calcul-contentieux',
            label: 'Un contentieux',
            faq: [FAQ_RECLAMATION],
            onlineProcedure: MESSAGERIE_PART,
            serviceKinds: ['SIP'],
            // Any tax may be contested: the usager chooses the motif in the wizard.
            motifCode: null,
          },
        ],
      },
      {
        code: 'part-dossier-autres',
        label: 'Autres',
        children: [
          {
            code: 'part-dossier-autres-famille',
            label: 'Un changement de situation de famille',
            faq: [
              {
                question: 'Je me marie, je me pacse ou je divorce : que dois-je faire ?',
                answer:
                  'Signalez le changement dans les 60 jours dans votre espace particulier, rubrique « Gérer mon prélèvement à la source ».',
              },
            ],
            onlineProcedure: MESSAGERIE_PART,
            serviceKinds: ['SIP'],
            motifCode: 'SIP-FAMILLE',
          },
          {
            code: 'part-dossier-autres-biens',
            label: 'Vos biens immobiliers (cadastre, valeur locative)',
            faq: [
              {
                question: 'Comment obtenir un extrait de plan cadastral ?',
                answer: 'Gratuitement sur cadastre.gouv.fr.',
                url: 'https://www.cadastre.gouv.fr',
              },
            ],
            onlineProcedure: MESSAGERIE_PART,
            serviceKinds: ['CDIF'],
            motifCode: 'CDIF-EVALUATION',
          },
          {
            code: 'part-dossier-autres-autre',
            label: 'Une autre demande',
            faq: [
              {
                question: 'Toutes les questions fréquentes des particuliers',
                url: `${SITE}/particulier/questions`,
              },
            ],
            onlineProcedure: MESSAGERIE_PART,
            serviceKinds: ['SIP'],
            motifCode: 'SIP-AUTRE',
          },
        ],
      },
    ],
  },
];

const FAQ_PRO_ESPACE: Faq = {
  question: 'Comment créer mon espace professionnel ?',
  answer:
    'Sur impots.gouv.fr, « Votre espace professionnel » : munissez-vous de votre SIREN ; un code d’activation est envoyé par courrier au siège de l’entreprise.',
};
const FAQ_TVA_DECLARATION: Faq = {
  question: 'Quand dois-je déclarer et payer la TVA ?',
  answer:
    'Selon votre régime : chaque mois (réel normal) ou une fois par an avec des acomptes semestriels (réel simplifié), en ligne depuis votre espace professionnel.',
};

const PROFESSIONNEL: readonly ContactReasonSeed[] = [
  {
    code: 'pro-technique',
    label: 'Une question technique',
    children: [
      {
        code: 'pro-technique-espace',
        label: 'Votre espace professionnel (création, adhésion aux services)',
        faq: [FAQ_PRO_ESPACE],
        onlineProcedure: ASSISTANCE_PRO,
        serviceKinds: ['SIE'],
        motifCode: 'SIE-ESPACE-PRO',
      },
      {
        code: 'pro-technique-teleprocedures',
        label: 'Les téléprocédures (télédéclaration, télérèglement)',
        faq: [
          {
            question: 'Mon télérèglement a été rejeté. Que faire ?',
            answer:
              'Vérifiez que le mandat SEPA interentreprises est signé et enregistré par votre banque, puis contactez votre SIE.',
          },
        ],
        onlineProcedure: ASSISTANCE_PRO,
        serviceKinds: ['SIE'],
        motifCode: 'SIE-ESPACE-PRO',
      },
    ],
  },
  {
    code: 'pro-general',
    label: 'Une question fiscale d’ordre général',
    children: [
      {
        code: 'pro-general-regime',
        label: 'Le choix d’un régime d’imposition',
        faq: [
          {
            question: 'Micro-entreprise ou régime réel : comment choisir ?',
            answer:
              'Le régime dépend de votre chiffre d’affaires et de vos charges ; vous pouvez opter pour le réel en le signalant à votre SIE.',
          },
        ],
        onlineProcedure: null,
        serviceKinds: ['SIE'],
        motifCode: 'SIE-CREATION-REGIME',
      },
      {
        code: 'pro-general-tva',
        label: 'La TVA',
        faq: [FAQ_TVA_DECLARATION],
        onlineProcedure: null,
        serviceKinds: ['SIE'],
        motifCode: 'SIE-TVA-DECLARATION',
      },
      {
        code: 'pro-general-autres',
        label: 'Autres',
        faq: [
          {
            question: 'Toutes les questions fréquentes des professionnels',
            url: `${SITE}/professionnel/questions`,
          },
        ],
        onlineProcedure: null,
        serviceKinds: ['SIE'],
        motifCode: 'SIE-AUTRE',
      },
    ],
  },
  {
    code: 'pro-etranger',
    label: 'Votre entreprise est établie hors de France',
    children: [
      {
        code: 'pro-etranger-tva',
        label: 'La TVA due en France',
        faq: [
          {
            question:
              'Mon entreprise étrangère réalise des opérations en France : dois-je m’immatriculer à la TVA ?',
            answer:
              'Oui si vous réalisez des opérations imposables en France ; le service des impôts des entreprises étrangères vous attribue un numéro de TVA.',
          },
        ],
        onlineProcedure: MESSAGERIE_PRO,
        serviceKinds: ['DRESG'],
        motifCode: 'DRESG-AUTRE',
        abroad: true,
      },
      {
        code: 'pro-etranger-autres',
        label: 'Autres',
        faq: [
          {
            question: 'Questions sur la fiscalité des entreprises étrangères',
            url: `${SITE}/international-professionnel`,
          },
        ],
        onlineProcedure: MESSAGERIE_PRO,
        serviceKinds: ['DRESG'],
        motifCode: 'DRESG-AUTRE',
        abroad: true,
      },
    ],
  },
  {
    code: 'pro-dossier',
    label: 'Votre dossier fiscal',
    children: [
      {
        code: 'pro-dossier-tva',
        label: 'La TVA',
        children: [
          {
            code: 'pro-dossier-tva-declaration',
            label: 'Votre déclaration de TVA',
            faq: [FAQ_TVA_DECLARATION],
            onlineProcedure: MESSAGERIE_PRO,
            serviceKinds: ['SIE'],
            motifCode: 'SIE-TVA-DECLARATION',
          },
          {
            code: 'pro-dossier-tva-remboursement',
            label: 'Un remboursement de crédit de TVA',
            faq: [
              {
                question: 'Comment demander le remboursement d’un crédit de TVA ?',
                answer:
                  'Avec le formulaire 3519 déposé en ligne depuis votre espace professionnel, avec votre déclaration de TVA.',
              },
            ],
            onlineProcedure: MESSAGERIE_PRO,
            serviceKinds: ['SIE'],
            motifCode: 'SIE-TVA-REMBOURSEMENT',
          },
          {
            code: 'pro-dossier-tva-autre',
            label: 'Une autre question sur la TVA',
            faq: [FAQ_TVA_DECLARATION],
            onlineProcedure: MESSAGERIE_PRO,
            serviceKinds: ['SIE'],
            motifCode: 'SIE-TVA-AUTRE',
          },
        ],
      },
      {
        code: 'pro-dossier-resultat',
        label: 'L’impôt sur les sociétés et les bénéfices',
        children: [
          {
            code: 'pro-dossier-resultat-is',
            label: 'L’impôt sur les sociétés',
            faq: [
              {
                question: 'Quand payer les acomptes d’impôt sur les sociétés ?',
                answer: 'Au plus tard les 15 mars, 15 juin, 15 septembre et 15 décembre, par télérèglement.',
              },
            ],
            onlineProcedure: MESSAGERIE_PRO,
            serviceKinds: ['SIE'],
            motifCode: 'SIE-RESULTAT',
          },
          {
            code: 'pro-dossier-resultat-bic-bnc',
            label: 'Les bénéfices industriels et commerciaux ou non commerciaux',
            faq: [
              {
                question: 'Où déclarer mes bénéfices d’entrepreneur individuel ?',
                answer:
                  'La déclaration de résultat se fait depuis l’espace professionnel ; le bénéfice est ensuite reporté sur votre déclaration de revenus.',
              },
            ],
            onlineProcedure: MESSAGERIE_PRO,
            serviceKinds: ['SIE'],
            motifCode: 'SIE-RESULTAT',
          },
          {
            code: 'pro-dossier-resultat-dge',
            label: 'Une entreprise gérée par la Direction des grandes entreprises',
            faq: [
              {
                question: 'Mon entreprise relève-t-elle de la DGE ?',
                answer:
                  'Oui si son chiffre d’affaires hors taxes ou son actif brut dépasse 400 millions d’euros, ou si elle appartient à un groupe qui remplit cette condition.',
              },
            ],
            onlineProcedure: MESSAGERIE_PRO,
            serviceKinds: ['DGE'],
            motifCode: 'DGE-IS',
          },
        ],
      },
      {
        code: 'pro-dossier-cfe',
        label: 'La cotisation foncière des entreprises (CFE)',
        faq: [
          {
            question: 'Je crée mon entreprise : dois-je payer la CFE la première année ?',
            answer:
              'Non, l’entreprise est exonérée l’année de sa création ; elle déclare ses locaux (formulaire 1447-C) avant le 31 décembre.',
          },
          {
            question: 'Où trouver mon avis de CFE ?',
            answer: 'Il n’est plus envoyé par courrier : consultez-le dans votre espace professionnel.',
          },
        ],
        onlineProcedure: MESSAGERIE_PRO,
        serviceKinds: ['SIE'],
        motifCode: 'SIE-CFE',
      },
      {
        code: 'pro-dossier-paiement',
        label: 'Le paiement de vos impôts',
        children: [
          {
            code: 'pro-dossier-paiement-delai',
            label: 'Une difficulté de paiement, un délai',
            faq: [
              {
                question: 'Mon entreprise traverse des difficultés : puis-je obtenir un plan de règlement ?',
                answer: 'Oui, demandez-le à votre SIE par la messagerie sécurisée avant l’échéance.',
              },
            ],
            onlineProcedure: MESSAGERIE_PRO,
            serviceKinds: ['SIE'],
            motifCode: 'SIE-PAIEMENT',
          },
          {
            code: 'pro-dossier-paiement-dge',
            label: 'Les acomptes et restitutions d’une grande entreprise',
            faq: [
              {
                question: 'Qui contacter pour une restitution d’acompte d’une entreprise de la DGE ?',
                answer: 'La Direction des grandes entreprises, votre interlocuteur fiscal unique.',
              },
            ],
            onlineProcedure: MESSAGERIE_PRO,
            serviceKinds: ['DGE'],
            motifCode: 'DGE-PAIEMENT',
          },
        ],
      },
      {
        code: 'pro-dossier-locaux',
        label: 'Vos locaux professionnels (valeur locative)',
        faq: [
          {
            question: 'Comment déclarer la valeur locative de mes locaux professionnels ?',
            answer:
              'En ligne, depuis « Gérer mes biens immobiliers » dans votre espace professionnel ; le centre des impôts foncier peut vous aider.',
          },
        ],
        onlineProcedure: MESSAGERIE_PRO,
        serviceKinds: ['CDIF'],
        motifCode: 'CDIF-EVALUATION-PROFESSIONNEL',
      },
      {
        code: 'pro-dossier-vie',
        label: 'La création, la cession ou la cessation d’activité',
        children: [
          {
            code: 'pro-dossier-vie-creation',
            label: 'Une création d’entreprise',
            faq: [FAQ_PRO_ESPACE],
            onlineProcedure: MESSAGERIE_PRO,
            serviceKinds: ['SIE'],
            motifCode: 'SIE-CREATION',
          },
          {
            code: 'pro-dossier-vie-cessation',
            label: 'Une cession ou une cessation d’activité',
            faq: [
              {
                question: 'Quelles déclarations après une cessation d’activité ?',
                answer:
                  'Une déclaration de résultat dans les 60 jours et la dernière déclaration de TVA ; signalez la cessation à votre SIE.',
              },
            ],
            onlineProcedure: MESSAGERIE_PRO,
            serviceKinds: ['SIE'],
            motifCode: 'SIE-CESSATION',
          },
        ],
      },
    ],
  },
];

export const CONTACT_REASONS: Readonly<Record<Audience, readonly ContactReasonSeed[]>> = {
  particulier: PARTICULIER,
  professionnel: PROFESSIONNEL,
};

function motifKinds(): Map<string, ServiceKind> {
  const kinds = new Map<string, ServiceKind>();
  const walk = (kind: ServiceKind, list: readonly MotifSeed[]) => {
    for (const m of list) {
      kinds.set(m.code, kind);
      if (m.children) walk(kind, m.children);
    }
  };
  for (const [kind, list] of Object.entries(MOTIFS) as [ServiceKind, readonly MotifSeed[]][])
    walk(kind, list);
  return kinds;
}

/**
 * The cascade as rows, parents before children. Checks what the schema cannot: codes unique
 * across audiences, at most three levels, and a preselected motif that exists for the first
 * kind of office (the one the wizard opens).
 */
export function flattenContactReasons(): ContactReasonRow[] {
  const motifs = motifKinds();
  const rows: ContactReasonRow[] = [];
  const seen = new Set<string>();
  const walk = (
    audience: Audience,
    list: readonly ContactReasonSeed[],
    parent: string | null,
    depth: number,
  ) => {
    if (depth > CONTACT_LEVELS.length)
      throw new Error(`Motifs de contact : plus de ${CONTACT_LEVELS.length} niveaux sous ${parent}`);
    list.forEach((r, position) => {
      if (!/^[a-z0-9-]{1,80}$/.test(r.code)) throw new Error(`Motifs de contact : code invalide ${r.code}`);
      if (seen.has(r.code)) throw new Error(`Motifs de contact : code ${r.code} en double`);
      seen.add(r.code);
      if ('children' in r) {
        if (r.children.length === 0) throw new Error(`Motifs de contact : ${r.code} n’a pas de sous-motif`);
        rows.push({
          code: r.code,
          audience,
          parentCode: parent,
          label: r.label,
          position,
          faq: null,
          onlineProcedure: null,
          serviceKinds: null,
          motifCode: null,
          abroad: false,
        });
        walk(audience, r.children, r.code, depth + 1);
        return;
      }
      if (r.serviceKinds.length === 0) throw new Error(`Motifs de contact : ${r.code} sans type de service`);
      const motifCode = r.motifCode ?? null;
      if (motifCode !== null && motifs.get(motifCode) !== r.serviceKinds[0]) {
        throw new Error(
          `Motifs de contact : ${r.code} pointe vers ${motifCode}, qui n’est pas un motif ${r.serviceKinds[0]}`,
        );
      }
      if (r.abroad && !r.serviceKinds.includes('DRESG')) {
        throw new Error(`Motifs de contact : ${r.code} concerne l’étranger sans mener à la DRESG`);
      }
      rows.push({
        code: r.code,
        audience,
        parentCode: parent,
        label: r.label,
        position,
        faq: r.faq.map((f) => ({ ...f })),
        onlineProcedure: r.onlineProcedure ? { ...r.onlineProcedure } : null,
        serviceKinds: [...r.serviceKinds],
        motifCode,
        abroad: r.abroad ?? false,
      });
    });
  };
  for (const audience of AUDIENCES) walk(audience, CONTACT_REASONS[audience], null, 1);
  return rows;
}
