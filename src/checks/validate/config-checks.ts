import { lintToolDetails } from '../../moodle/lint-tool-details.js';
import type { Check } from '../../core/result.js';
import { result, type ValidateContext } from './context.js';

/** The recorded six values checked against each other, as `record` does (no network). */
export const recordedValuesCheck: Check<ValidateContext> = {
  id: 'config.platform',
  title: 'Recorded Tool configuration details agree',
  run(ctx) {
    const { platform } = ctx.config;
    if (Object.keys(platform).length === 0)
      return result(this.id, this.title, 'skip', 'not checked: nothing recorded yet (run inspera-lti record)');
    const problems = lintToolDetails(platform, {
      allowInsecure: ctx.config.allowInsecure,
      allowIdn: ctx.config.allowIdn,
    });
    const failures = problems.filter((p) => p.status === 'fail');
    const first = failures[0] ?? problems[0];
    if (!first) return result(this.id, this.title, 'pass', 'the six values are consistent (hosts, paths, shapes)');
    return result(this.id, this.title, failures.length ? 'fail' : 'warn', problems.map((p) => p.finding).join('; '), {
      cause: { id: 'recorded-value' },
      ...(first.fix ? { fix: first.fix } : {}),
      ...(first.faq ? { faq: first.faq } : {}),
    });
  },
};
