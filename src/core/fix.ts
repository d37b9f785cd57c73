/** Which system a fix belongs to: where the person has to go to change something. */
export type FixSystem = 'Moodle' | 'Inspera' | 'inspera-lti' | 'network';

export interface Fix {
  system: FixSystem;
  /** The screen or place, e.g. "Site admin > Plugins > External tool > Manage tools > Inspera". */
  where?: string;
  /** The field's label exactly as that system shows it. */
  field?: string;
  /** The value to put there, when we know it. */
  value?: string;
  /** The action in a sentence. */
  action: string;
}
