/** The program's global options, as every command receives them. */
export interface GlobalFlags {
  config?: string;
  color?: boolean;
}

/** Options shared by the commands that write the config (init, record). */
export interface ConfigWriteFlags extends GlobalFlags {
  allowInsecure?: boolean;
  allowIdn?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}
