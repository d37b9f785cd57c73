/** The export's section of the six values under Moodle's own labels; accepted by the loader instead of `platform`. */
export const DETAILS_SECTION = 'Tool configuration details';

/** Stands where a private key was left out of an export; the loader reads it as "no inline key". */
export const SECRET_MARKER = '<left out: private key — export with --include-secrets to include it>';
