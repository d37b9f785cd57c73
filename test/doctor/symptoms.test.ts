import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.js';
import { recogniseSymptoms } from '../../src/doctor/symptoms.js';
import { demoConfig } from '../helpers/sim.js';

/** A ticket's words (issue 32, point 7): each symptom family in the many ways tickets say it. */
const ids = (text: string) => recogniseSymptoms(text).map((r) => r.symptom.id);

describe('the symptoms tickets name, in several phrasings and languages', () => {
  it.each([
    [
      'candidates-not-created',
      [
        'Candidates are not created in Inspera when the teacher opens the test',
        'students do not appear in the test',
        "Our learners aren't being synced to Inspera",
        'Auto provisioning does not work',
        'enroll_candidates seems to do nothing',
        'No candidates in Inspera after the launch',
        'Kandidatene blir ikke opprettet i Inspera',
        'Kandidater skapas inte i Inspera',
        'Die Teilnehmer werden nicht synchronisiert',
        'The participant list is empty',
      ],
    ],
    [
      'marks-not-returned',
      [
        'Marks are not coming back to Moodle',
        "grades don't show up in the gradebook",
        'The grade sync is broken',
        'Results never arrive in Moodle',
        'No grades in Moodle after marking',
        'Karakterene kommer ikke tilbake til Moodle',
        'Betyg överförs inte till Moodle',
        'Die Noten werden nicht übertragen',
        'Gradebook is empty although Inspera shows the scores',
      ],
    ],
    [
      'invalid-request',
      ['Moodle says "Invalid request"', 'INVALID REQUEST when I click the activity', 'Ugyldig forespørsel'],
    ],
    [
      'authentication-error',
      [
        'Authentication error when opening the exam',
        'LTI login failed',
        'students cannot log in to Inspera',
        'It says domain not approved',
        'Unauthorized',
        'Autentiseringsfeil ved åpning av prøven',
        'Inloggningen misslyckades',
        'log in error on the Inspera side',
      ],
    ],
    [
      'blank-page-or-loop',
      [
        'Students get a blank page',
        'Just a white screen after clicking the link',
        'It keeps redirecting back to the Moodle login',
        'an endless login loop',
        'nothing happens when they click the activity',
        'hvit side i Moodle',
        'Leere Seite nach dem Klick',
      ],
    ],
    [
      'broke-after-update',
      [
        'It worked until the Moodle update',
        'Since our upgrade to 4.5.12 launches fail',
        'Everything broke after the update last night',
        'It stopped working after we upgraded Moodle',
        'Det fungerte fram til oppdateringen',
        'Seit dem Update geht es nicht mehr',
      ],
    ],
    [
      'cannot-open-test',
      [
        "Students can't open the test",
        'Candidates are unable to start the exam',
        'The exam will not open for anyone',
        'They get a 404',
        'Elevene kan ikke åpne prøven',
      ],
    ],
    [
      'teacher-wrong-page',
      [
        'Teachers land on the student page',
        'Our instructors end up in the candidate view',
        'the teacher sees the test as a student',
        'Lærere havner på feil side',
        'Wrong landing page for staff',
      ],
    ],
  ])('%s', (id, phrasings) => {
    for (const text of phrasings) expect(ids(text), text).toContain(id);
  });

  it('words of no symptom are recognised as none', () => {
    for (const text of ['The exam went well, thanks', 'Please renew our licence', 'the flux capacitor overheated'])
      expect(ids(text), text).toEqual([]);
  });

  it('a ticket can name two symptoms; the words that named each are kept', () => {
    const found = recogniseSymptoms('Since the Moodle update, students get a blank page.');
    expect(found.map((r) => [r.symptom.id, r.words])).toEqual([
      ['blank-page-or-loop', 'blank page'],
      ['broke-after-update', 'Since the Moodle update'],
    ]);
  });
});

describe('doctor --symptom', () => {
  const config = demoConfig();
  const configSource = 'inspera-lti.yaml';

  it('text it does not recognise is never healthy, whatever passed', async () => {
    const result = await runDoctor({ config, configSource, symptom: 'Please renew our licence' });
    expect(result.passed.length).toBeGreaterThan(0);
    expect(result.ok).toBe(false);
    expect(result.verdict).toMatch(/^Not diagnosed: the ticket's words name no symptom doctor knows/);
    expect(result.ticket).toEqual({ symptoms: [] });
  });

  it('nothing given shows a cause: never healthy, and it ends with the evidence that decides', async () => {
    const result = await runDoctor({ config, configSource, symptom: 'marks are not coming back to Moodle' });
    expect(result.ok).toBe(false);
    expect(result.verdict).toMatch(/^Not diagnosed: the ticket says marks do not come back to Moodle/);
    expect(result.decide).toMatch(/^What would decide: the id_token of a learner's launch/);
    expect(result.decide).toContain('Ask the user whether grading is confirmed in Inspera');
    expect(result.ticket!.symptoms[0]!.causes.map((c) => c.id)).toContain('authorization-stripped');
  });

  it('evidence already given is not asked for again', async () => {
    const result = await runDoctor({ config, configSource, symptom: 'invalid request', live: [] });
    expect(result.decide).toMatch(/^What would decide: a HAR of one failing launch/);
    const words = await runDoctor({ config, configSource, symptom: "students can't open the test", error: 'Oops' });
    expect(words.decide).toMatch(/^What would decide: a HAR of one failing launch/);
    expect(words.decide).not.toContain('--error');
  });

  it("puts the ticket's causes first: NRPS off, only a warning, is what a ticket about candidates means", async () => {
    const nrpsOff = demoConfig({ moodle: { services: { nrps: false } } });
    const plain = await runDoctor({ configSource, config: nrpsOff });
    expect(plain.ok).toBe(true);
    const ticket = await runDoctor({ configSource, config: nrpsOff, symptom: 'Candidates are not created in Inspera' });
    expect(ticket.ok).toBe(false);
    expect(ticket.problems[0]!.cause.id).toBe('nrps-off');
    expect(ticket.verdict).toMatch(/^Most likely: .*fix in Moodle/);
    expect(ticket.ticket!.symptoms[0]!.causes.find((c) => c.id === 'nrps-off')!.shown).toBe(true);
  });

  it("a teacher's launch with the Learner role only is named when the ticket says teachers land wrong", async () => {
    const payload = {
      iss: 'https://moodle.example.edu',
      aud: 'EhdzqulqmXxNDkw',
      'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    };
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const text = `${b64({ alg: 'RS256', kid: 'k' })}.${b64(payload)}.${Buffer.alloc(256, 1).toString('base64url')}`;
    const token = { text, source: 'teacher.jwt' };
    const ticket = await runDoctor({ config, configSource, token, symptom: 'Teachers land on the student page' });
    expect(ticket.problems[0]!.cause.id).toBe('teacher-as-learner');
    expect(ticket.problems[0]!.cause.fix).toMatchObject({ system: 'Moodle', field: 'mod/lti:manage' });
    // Without the ticket's words, a learner's launch is just a learner's.
    const without = await runDoctor({ config, configSource, token });
    expect(without.problems.map((p) => p.cause.id)).not.toContain('teacher-as-learner');
  });
});
