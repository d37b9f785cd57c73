import type { CauseId } from '../core/causes.js';
import { HAR_STEPS } from './tell-apart.js';

/**
 * What tickets say, by symptom (the guide's FAQ is organised the same way): the ways people phrase each, the causes
 * that give it (most likely first), and the one piece of evidence that decides between them. English first; the
 * interface languages `record` reads (Norwegian, Swedish, Danish, German, Dutch, French, Spanish) where a ticket is
 * often written in them.
 */
export interface Symptom {
  id: string;
  /** The symptom restated, for the report: "candidates are not created or not synced". */
  said: string;
  phrasings: readonly RegExp[];
  causes: readonly CauseId[];
  /** The evidence that decides between the causes when what was given does not, the most telling first. */
  decide: readonly Evidence[];
  /** What else to ask the person who wrote the ticket. */
  ask?: string;
}

const WHO_LEARNS =
  String.raw`(?:candidates?|students?|learners?|pupils?|participants?|users?|kandidat(?:er|en|ene|erne|` +
  String.raw`erna)?|student(?:er|ene|erna)|elev(?:er|ene|erna)|teilnehmer|deelnemers|` +
  String.raw`étudiants?|estudiantes?|alumnos?)`;
const TEACHER =
  String.raw`(?:teachers?|instructors?|lecturers?|tutors?|staff|faculty|examiners?|lærere?|lärare|` +
  String.raw`lehrer(?:innen)?|docenten|enseignants?|profesores?)`;
const TEST =
  String.raw`(?:tests?|exams?|assessments?|activit(?:y|ies)|quiz(?:zes)?|prøven?|eksamen|prov(?:et)?|` +
  String.raw`tentan?|prüfung|toets|examen|épreuve)`;
const NOT = String.raw`(?:not|never|\w+n't|no longer|ikke|inte|nicht|niet|pas|no)`;
const UPDATE =
  String.raw`(?:update|upgrade|updating|upgrading|patch|oppdatering(?:en)?|oppgradering(?:en)?|` +
  String.raw`uppdatering(?:en)?|opdatering(?:en)?|aktualisierung|update(?:s)?|mise à jour|` +
  String.raw`actualización)`;
/** The pieces of evidence that tell a symptom's causes apart, each said once however many symptoms want it. */
export const EVIDENCE = {
  har: `a HAR of one failing launch (${HAR_STEPS}), then \`inspera-lti doctor --har <file>\``,
  live:
    '`inspera-lti doctor --live` with the six values recorded: it asks Inspera whether it knows this Moodle, ' +
    "whether the Authorization header reaches Moodle's services, and Moodle's version",
  'teacher-token': "the id_token of that teacher's launch (`inspera-lti doctor --token <file>`): its roles claim",
  'teacher-nrps-token':
    "the id_token of a teacher's launch (`inspera-lti doctor --token <file>`): whether Moodle sent the roster " +
    'service (NRPS claim), custom.enroll_candidates, names and e-mails',
  'learner-token':
    "the id_token of a learner's launch (`inspera-lti doctor --token <file>`): the line item and scopes of its AGS " +
    'claim',
  words: 'the exact words on the error page (`inspera-lti doctor --error "<the words>"`)',
  moodle: '`inspera-lti doctor --moodle` run by a Moodle administrator: the tool as Moodle stores it, field by field',
} as const;
export type Evidence = keyof typeof EVIDENCE;

/** A word boundary that knows letters beyond ASCII (\b does not: "åpne" has none before its å). */
const BOUNDARY = String.raw`(?:(?<=[\p{L}\p{N}_'])(?![\p{L}\p{N}_])|(?<![\p{L}\p{N}_'])(?=[\p{L}\p{N}_]))`;
const re = (source: string) => new RegExp(source.replaceAll(String.raw`\b`, BOUNDARY), 'iu');

export const SYMPTOMS: readonly Symptom[] = [
  {
    id: 'candidates-not-created',
    said: 'candidates are not created or not synced',
    phrasings: [
      re(
        String.raw`${WHO_LEARNS}\b[^.!?\n]{0,60}\b(?:are |were |is |was |get |got |do |does |did |have |` +
          String.raw`has |blir |kommer |skapas |werden |worden |sont )?${NOT}\b[^.!?\n]{0,30}\b(?:created|` +
          String.raw`enrol+ed|synced|synchroni[sz]ed|sync|showing|shown|show|turn up|appearing|appear|added|imported|` +
          String.raw`provisioned|transferred|there|visible|opprettet|synkronisert|importert|skapade|` +
          String.raw`synkroniserade|angelegt|synchronisiert|aangemaakt|gesynchroniseerd|créés|creados)`,
      ),
      re(
        String.raw`${WHO_LEARNS}\b[^.!?\n]{0,40}\b(?:skapas|synkroniseras|importeras|opprettes|synkroniseres|` +
          String.raw`importeres|oprettes|läggs till|legges til)\s+${NOT}\b`,
      ),
      re(
        String.raw`\b(?:auto[- ]?provisioning|auto[- ]?enrol+ment|enrol+_candidates|candidate (?:sync|` +
          String.raw`provisioning|enrol+ment))\b`,
      ),
      re(String.raw`\bno ${WHO_LEARNS}\b[^.!?\n]{0,40}\b(?:in|on) (?:the )?(?:inspera|${TEST})`),
      re(String.raw`${WHO_LEARNS}\b[^.!?\n]{0,30}\b(?:missing|mangler|saknas|fehlen|ontbreken|manquent|faltan)\b`),
      re(
        String.raw`\b(?:roster|membership|participant list|deltakerliste)\b[^.!?\n]{0,40}\b(?:empty|` +
          String.raw`missing|fails?|failing|not)`,
      ),
    ],
    causes: [
      'nrps-off',
      'custom-parameter',
      'authorization-stripped',
      'privacy',
      'scope',
      'token-request',
      'tool-keyset',
      'tool-key',
      'client-unknown',
    ],
    decide: ['teacher-nrps-token', 'live', 'moodle'],
  },
  {
    id: 'marks-not-returned',
    said: 'marks do not come back to Moodle',
    phrasings: [
      re(
        String.raw`\b(?:marks?|grades?|scores?|results?|points|karakter(?:er|ene)?|betyg(?:en)?|poeng|` +
          String.raw`noten|cijfers|notes|calificaciones|resultater)\b[^.!?\n]{0,60}\b(?:are |were |is |was |` +
          String.raw`do |does |did |have |has |get |got |blir |kommer |werden |` +
          String.raw`worden )?${NOT}\b[^.!?\n]{0,40}\b(?:coming|come|returned|return|transferred|transfer|` +
          String.raw`synced|sync|showing|shown|show|turn up|appearing|appear|arriving|arrive|` +
          String.raw`sent|passed|posted|pushed|` +
          String.raw`in (?:the )?(?:moodle )?grade ?book|tilbake|overført|overførte|överförs|übertragen|` +
          String.raw`overgedragen|teruggezet|remontées|transferidas)`,
      ),
      re(
        String.raw`\b(?:karakter(?:er|ene)?|betyg(?:en)?|poeng|resultater|resultaten)\b[^.!?\n]{0,30}\b(?:överförs|` +
          String.raw`overføres|overføres|returneras|returneres|synkroniseras|synkroniseres|visas|vises)\s+${NOT}\b`,
      ),
      re(String.raw`\bgrade ?(?:book|centre|center)\b[^.!?\n]{0,40}\b(?:empty|blank|not updat|no (?:marks|grades))`),
      re(
        String.raw`\b(?:grade|mark|score) ?(?:sync|passback|pass-back|transfer|return|` +
          String.raw`export)\b[^.!?\n]{0,40}\b(?:fail|broken|not work|doesn't work|does not work|error)`,
      ),
      re(String.raw`\b(?:no|missing|empty) (?:marks|grades|scores|results) in (?:the )?moodle\b`),
    ],
    causes: [
      'ags-off',
      'accept-grades',
      'not-fully-graded',
      'authorization-stripped',
      'score-timestamp',
      'scope',
      'token-request',
      'tool-keyset',
      'tool-key',
      'client-unknown',
      'ags-request',
    ],
    decide: ['learner-token', 'live', 'moodle'],
    ask: 'whether grading is confirmed in Inspera',
  },
  {
    id: 'invalid-request',
    said: 'Moodle shows "Invalid request"',
    phrasings: [
      re(
        String.raw`\binvalid[ _]request\b|ugyldig forespørsel|ogiltig (?:begäran|förfrågan)|` +
          String.raw`ungültige anfrage|ongeldig verzoek|requête invalide|solicitud no válida`,
      ),
    ],
    causes: ['redirect-uri', 'launch-state-lost', 'repost'],
    decide: ['har', 'moodle'],
  },
  {
    id: 'authentication-error',
    said: 'an authentication error when the activity is opened',
    phrasings: [
      re(
        String.raw`\b(?:authentication|authorisation|authorization|auth|login|log-in|log in|sign[- ]?in|` +
          String.raw`lti)\b[^.!?\n]{0,20}\b(?:error|errors|failed|fails|failing|failure|issues?|problems?)\b`,
      ),
      re(
        String.raw`\b(?:can ?not|can't|cannot|unable to|could not|couldn't)\b[^.!?\n]{0,20}\b(?:log ?in|` +
          String.raw`sign ?in|authenticate)\b`,
      ),
      re(
        String.raw`\b(?:unauthori[sz]ed|not authori[sz]ed|access denied|forbidden|` +
          String.raw`domain (?:is )?not approved|not approved|unregistered|not registered)\b`,
      ),
      re(
        String.raw`autentiserings?feil|autentisering feilet|inloggningsfel|inloggningen misslyckades|` +
          String.raw`anmeldung fehlgeschlagen|authentifizierungsfehler|authenticatiefout|` +
          String.raw`erreur d'authentification|error de autenticación`,
      ),
    ],
    causes: [
      'tool-registration',
      'issuer-mismatch',
      'client-id',
      'deployment-id',
      'platform-keyset',
      'clock-skew',
      'tool-cookie-attributes',
      'state-cookie',
      'login-hint',
    ],
    decide: ['live', 'words', 'har'],
  },
  {
    id: 'blank-page-or-loop',
    said: 'a blank page or a login loop',
    phrasings: [
      re(String.raw`\b(?:blank|white|empty|grey|gray)\b[^.!?\n]{0,15}\b(?:page|screen|frame|iframe|window|box|area)\b`),
      re(
        String.raw`\b(?:login|log-in|redirect|sign-in|authentication)\b[^.!?\n]{0,10}\bloops?\b|` +
          String.raw`\bloops? (?:back|between|forever)|\bkeeps? (?:asking|redirecting|returning|going back|` +
          String.raw`looping)|\b(?:back|returned|sent) to the (?:moodle )?login\b`,
      ),
      re(
        String.raw`\bnothing (?:happens|loads|shows|appears|opens)\b|\bspins? forever\b|` +
          String.raw`\bendless(?:ly)? (?:loading|spinning)\b|\bnever loads\b`,
      ),
      re(
        String.raw`\bhvit side\b|\btom side\b|\bblank sida\b|\btom sida\b|\bleere seite\b|\bweiße seite\b|` +
          String.raw`\blege pagina\b|\bpage blanche\b|\bpágina en blanco\b`,
      ),
    ],
    causes: ['state-cookie', 'tool-cookie-attributes', 'launch-state-lost', 'repost', 'site-error'],
    decide: ['har', 'live'],
    ask: 'which browser, and whether the tool opens in the Moodle page (Embed) or a new window',
  },
  {
    id: 'broke-after-update',
    said: 'it worked until a Moodle update',
    phrasings: [
      re(
        String.raw`\b(?:worked|working|was fine|used to work|fungerte|fungerade|funktionierte|werkte|` +
          String.raw`fonctionnait|funcionaba)\b[^.!?\n]{0,50}\b(?:until|till|before|up to|fram til|inntil|` +
          String.raw`tills|bis|tot|jusqu'à|hasta)\b[^.!?\n]{0,30}\b${UPDATE}`,
      ),
      re(
        String.raw`\b(?:since|after|following|etter|sedan|efter|seit|sinds|depuis|` +
          String.raw`desde)\b[^.!?\n]{0,30}\b(?:moodle|the|our|last|latest|a|siste|senaste|` +
          String.raw`letzten?)?\b[^.!?\n]{0,20}\b${UPDATE}`,
      ),
      re(String.raw`\b${UPDATE}\b[^.!?\n]{0,40}\b(?:broke|broken|breaks|stopped|stop working|fails?|failing)\b`),
      re(
        String.raw`\b(?:broke|broken|stopped working|stopped)\b[^.!?\n]{0,40}\b(?:after|since|` +
          String.raw`when)\b[^.!?\n]{0,30}\b${UPDATE}`,
      ),
    ],
    causes: ['repost', 'launch-state-lost', 'authorization-stripped', 'redirect-uri'],
    decide: ['live', 'har'],
    ask: "Moodle's version before the update",
  },
  {
    id: 'cannot-open-test',
    said: 'students cannot open a test',
    phrasings: [
      re(
        String.raw`${WHO_LEARNS}\b[^.!?\n]{0,30}\b(?:can ?not|can't|cannot|unable to|are unable to|` +
          String.raw`could not|couldn't|fail to|kan ikke|kan inte|können nicht|kunnen niet|ne peuvent pas|` +
          String.raw`no pueden)\b[^.!?\n]{0,20}\b(?:open|start|access|launch|see|get into|enter|reach|åpne|` +
          String.raw`starte|öppna|öffnen|starten|openen|ouvrir|abrir)\b`,
      ),
      re(
        String.raw`\b${TEST}\b[^.!?\n]{0,30}\b(?:does not|doesn't|won't|will not|cannot|can't|will ikke|` +
          String.raw`går ikke)\b[^.!?\n]{0,10}\b(?:open|start|load|launch|åpne)`,
      ),
      re(String.raw`\b(?:404|not found|page not found|ikke funnet)\b`),
    ],
    causes: [
      'not-configured-test',
      'no-activity',
      'tool-deleted',
      'tool-registration',
      'login-hint',
      'launch-state-lost',
      'state-cookie',
    ],
    decide: ['words', 'har', 'live'],
    ask: 'whether the test is activated in Inspera',
  },
  {
    id: 'teacher-wrong-page',
    said: 'teachers land on the wrong page',
    phrasings: [
      re(
        String.raw`${TEACHER}\b[^.!?\n]{0,40}\b(?:land|lands|landed|end up|ends up|arrive|arrives|` +
          String.raw`are taken|is taken|get|gets|are sent|is sent|come|comes|see|sees|are redirected|` +
          String.raw`is redirected|kommer|havner|hamnar|landen|landet)\b[^.!?\n]{0,30}\b(?:wrong|student|` +
          String.raw`candidate|learner|kandidat|elev|feil|fel|falsche|verkeerde|mauvaise)`,
      ),
      re(String.raw`${TEACHER}\b[^.!?\n]{0,40}\b(?:as|like) (?:a )?(?:student|candidate|learner)`),
      re(String.raw`\bwrong (?:landing page|role|view|start page)\b`),
    ],
    causes: ['teacher-as-learner', 'custom-parameter'],
    decide: ['teacher-token'],
    ask: "the teacher's role in the course (Teacher or Non-editing teacher)",
  },
];

/** A symptom the text names, with the words that named it. */
export interface RecognisedSymptom {
  symptom: Symptom;
  words: string;
}

/** The symptoms a ticket's text names, in the table's order; none for text doctor does not recognise. */
export function recogniseSymptoms(text: string): RecognisedSymptom[] {
  const sample = text.slice(0, 64 * 1024);
  const found: RecognisedSymptom[] = [];
  for (const symptom of SYMPTOMS) {
    for (const phrasing of symptom.phrasings) {
      const match = phrasing.exec(sample);
      if (match) {
        found.push({ symptom, words: match[0].replace(/\s+/g, ' ').trim().slice(0, 120) });
        break;
      }
    }
  }
  return found;
}
