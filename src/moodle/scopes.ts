import { SCOPE } from '../lti/claims.js';
import type { MoodleSettings } from './settings.js';

/** lti_get_permitted_service_scopes: what token.php may grant a tool with these settings (facts A.5). */
export function permittedScopes(settings: MoodleSettings): string[] {
  const scopes: string[] = [];
  if (settings.services.ags !== 'off') {
    if (settings.services.ags === 'grade-sync-and-columns') scopes.push(SCOPE.lineItem);
    scopes.push(SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score);
  }
  if (settings.services.nrps) scopes.push(SCOPE.nrps);
  if (settings.privacy.acceptGrades !== 'never') scopes.push(SCOPE.basicOutcome);
  if (settings.services.toolSettings) scopes.push(SCOPE.toolSettings);
  return scopes;
}

/** The AGS claim's scope list: sorted, `lineitem` only with column management. */
export function agsClaimScopes(settings: MoodleSettings): string[] {
  if (settings.services.ags === 'off') return [];
  const scopes = [SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score] as string[];
  if (settings.services.ags === 'grade-sync-and-columns') scopes.push(SCOPE.lineItem);
  return scopes.sort();
}

/** Requested scopes ∩ permitted, in the requested order; unpermitted ones are dropped silently, as Moodle does. */
export function grantScopes(requested: string, settings: MoodleSettings): string[] {
  const permitted = new Set(permittedScopes(settings));
  return requested.split(' ').filter((s) => s !== '' && permitted.has(s));
}
