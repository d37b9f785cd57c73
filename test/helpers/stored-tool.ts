import { toolUrlsFor } from '../../src/inspera/urls.js';
import type { StoredTool } from '../../src/moodle/admin/tool-form.js';

const urls = toolUrlsFor('university.inspera.com');

/** The tenant's tool as Moodle stores it when set up as init prescribes; `changes` make it otherwise. */
export function storedTool(changes: Partial<StoredTool> = {}): StoredTool {
  return {
    id: 3,
    name: 'Inspera Assessment',
    toolUrl: urls.toolUrl,
    ltiVersion: '1.3.0',
    clientId: 'EhdzqulqmXxNDkw',
    keyType: 'JWK_KEYSET',
    keysetUrl: urls.keysetUrl,
    loginInitUrl: urls.loginInitUrl,
    redirectUris: urls.redirectUrls.join('\n'),
    customParameters: 'enroll_candidates=true\nskip_incomplete_members=true\nuse_template_on_create=true',
    usage: 'preconfigured',
    launchContainer: 'new-window',
    deepLinking: false,
    contentSelectionUrl: '',
    ags: 'grade-sync-and-columns',
    nrps: true,
    toolSettings: false,
    shareName: 'always',
    shareEmail: 'always',
    acceptGrades: 'always',
    ...changes,
  };
}
