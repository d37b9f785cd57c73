import { cause, type CauseId } from '../core/causes.js';
import { finding, mostLikely, type Diagnosis, type DoctorReport, type Finding } from './diagnosis.js';
import type { DoctorInputs } from './inputs.js';
import { EVIDENCE, SYMPTOMS, type Evidence, type RecognisedSymptom } from './symptoms.js';

/** What doctor made of a ticket's words (doctor --symptom): the symptoms named, and for each the causes that fit. */
export interface TicketReading {
  /** The symptoms the words name; none when doctor does not recognise them. */
  symptoms: Array<{
    id: string;
    said: string;
    /** The ticket's own words that named it. */
    words: string;
    /** Its causes, most likely first: whether what was given shows each. */
    causes: Array<{ id: CauseId; title: string; shown: boolean }>;
  }>;
}

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

/**
 * Evidence only the ticket's words make meaningful: a launch whose roles claim is Learner alone is a teacher sent as
 * a learner only when the ticket says it was a teacher's (Moodle sends Learner without mod/lti:manage in the
 * activity: lti_get_ims_role, mod/lti/locallib.php).
 */
export function ticketFindings(
  recognised: readonly RecognisedSymptom[],
  token: { payload: Record<string, unknown> } | undefined,
): Finding[] {
  if (!token || !recognised.some((r) => r.symptom.id === 'teacher-wrong-page')) return [];
  const roles = token.payload['https://purl.imsglobal.org/spec/lti/claim/roles'];
  if (!Array.isArray(roles) || !roles.includes(LEARNER) || roles.includes(INSTRUCTOR)) return [];
  return [
    finding(
      'token',
      'teacher-as-learner',
      'fail',
      "the launch's roles claim is Learner only: Moodle sent this teacher as a learner, so Inspera opens the " +
        "candidate's page",
      { certainty: 20 },
    ),
  ];
}

/** The ticket's symptoms with what the diagnosis shows of each cause. */
export function readTicket(recognised: readonly RecognisedSymptom[], problems: readonly Diagnosis[]): TicketReading {
  const shown = new Set(problems.map((p) => p.cause.id));
  return {
    symptoms: recognised.map(({ symptom, words }) => ({
      id: symptom.id,
      said: symptom.said,
      words,
      causes: symptom.causes.map((id) => ({ id, title: cause(id).title, shown: shown.has(id) })),
    })),
  };
}

/**
 * The diagnosis as the ticket reads it: the causes that give its symptoms first (among failures, then among
 * warnings), and never "healthy" — a ticket reports something broken; when nothing given shows one of its causes,
 * the verdict says so and names the evidence that would decide.
 */
export function applyTicket(
  report: DoctorReport,
  text: string,
  recognised: readonly RecognisedSymptom[],
  inputs: DoctorInputs,
): { report: DoctorReport; ticket: TicketReading; decide?: string } {
  const ticket = readTicket(recognised, report.problems);
  if (!recognised.length) {
    const known = SYMPTOMS.map((s) => s.said).join('; ');
    return {
      ticket,
      report: {
        ...report,
        ok: false,
        unchecked: [
          ...report.unchecked,
          { what: `the ticket's words: no symptom doctor knows (it knows: ${known})`, blocks: true },
        ],
        verdict:
          "Not diagnosed: the ticket's words name no symptom doctor knows " +
          `(${JSON.stringify(text.trim().slice(0, 80))})` +
          (report.problems.some((p) => p.severity === 'fail')
            ? `; what was given shows: ${report.problems[0]!.cause.title}.`
            : '.'),
      },
    };
  }
  const family = new Set(recognised.flatMap((r) => r.symptom.causes));
  // The ticket's own causes first, failures before warnings (a warning such as NRPS off is what a ticket about
  // candidates means); then the other failures, then the other warnings.
  const rank = (p: Diagnosis) => (family.has(p.cause.id) ? 2 : 0) + (p.severity === 'fail' ? 1 : 0);
  const problems = [...report.problems].sort((a, b) => rank(b) - rank(a) || b.score - a.score);
  const said = recognised.map((r) => r.symptom.said).join(' and ');
  const first = problems[0];
  // A symptom the ticket reports is never "healthy", even when what explains it is only a warning.
  if (first && family.has(first.cause.id))
    return { ticket, report: { ...report, problems, ok: false, verdict: mostLikely(first.cause) } };
  const decide = whatDecides(recognised, inputs);
  return {
    ticket,
    decide,
    report: {
      ...report,
      problems,
      ok: false,
      verdict:
        first?.severity === 'fail'
          ? `Most likely: ${first.cause.title} — though it is not one of the ${family.size} usual causes of ` +
            `"${said}" listed above.`
          : `Not diagnosed: the ticket says ${said}; nothing given shows one of its ${family.size} causes ` +
            'listed above.',
    },
  };
}

/** Whether an input already holds a piece of evidence. */
function given(evidence: Evidence, inputs: DoctorInputs): boolean {
  if (evidence === 'har') return inputs.har !== undefined;
  if (evidence === 'live') return inputs.live !== undefined;
  if (evidence === 'words') return inputs.error !== undefined;
  if (evidence === 'moodle') return inputs.moodle !== undefined;
  return inputs.token !== undefined;
}

/** The evidence that would decide, said once each: the most telling first, then the rest, then what to ask. */
function whatDecides(recognised: readonly RecognisedSymptom[], inputs: DoctorInputs): string {
  const wanted = [...new Set(recognised.flatMap((r) => r.symptom.decide))].filter((e) => !given(e, inputs));
  const asks = recognised.map((r) => r.symptom.ask).filter((a): a is string => a !== undefined);
  const [first, ...rest] = wanted.map((e) => EVIDENCE[e]);
  return [
    first
      ? `What would decide: ${first}.`
      : 'What tells these causes apart from outside was given; a Moodle administrator and Inspera support decide now.',
    ...(rest.length ? [`Also: ${rest.join('; ')}.`] : []),
    ...(asks.length ? [`Ask the user ${asks.join(', and ')}.`] : []),
  ].join(' ');
}
