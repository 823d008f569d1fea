import foundation from './0001-foundation.sql';
import recordersAndClips from './0002-recorders-and-clips.sql';
import dockingOutcome from './0003-docking-outcome.sql';
import labelsAndCases from './0004-labels-and-cases.sql';
import signInLocks from './0005-sign-in-locks.sql';
import recorderBindings from './0006-recorder-bindings.sql';
import auditCheckpoints from './0007-audit-checkpoints.sql';
import clipFactsGuard from './0008-clip-facts-guard.sql';
import forwarding from './0009-forwarding.sql';
import discs from './0010-discs.sql';

export interface Migration {
  /** The schema version this migration produces; versions are 1, 2, 3, … with no gaps. */
  version: number;
  name: string;
  sql: string;
}

/** Append only: a released migration is never edited, a new one is added. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001-foundation', sql: foundation },
  { version: 2, name: '0002-recorders-and-clips', sql: recordersAndClips },
  { version: 3, name: '0003-docking-outcome', sql: dockingOutcome },
  { version: 4, name: '0004-labels-and-cases', sql: labelsAndCases },
  { version: 5, name: '0005-sign-in-locks', sql: signInLocks },
  { version: 6, name: '0006-recorder-bindings', sql: recorderBindings },
  { version: 7, name: '0007-audit-checkpoints', sql: auditCheckpoints },
  { version: 8, name: '0008-clip-facts-guard', sql: clipFactsGuard },
  { version: 9, name: '0009-forwarding', sql: forwarding },
  { version: 10, name: '0010-discs', sql: discs },
];
