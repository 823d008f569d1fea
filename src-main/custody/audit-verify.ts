import type { Catalogue } from '../catalogue/catalogue';
import type { ChainVerification } from '../contract';
import { Findings } from './audit-findings';
import { walkChain } from './chain-walk';
import { checkSealedEntries, checkSignatures, type FoundCheckpoint } from './checkpoint-checks';
import type { CheckpointSources } from './checkpoint-log';
import { checkLogAgainstCatalogue, readCheckpointLog } from './checkpoint-log-checks';
import { summaryOf } from './checkpoints';
import { beforeKeys, checkKeys, readKeysForCheck } from './key-checks';

/**
 * Checks the audit chain against itself and against every signed checkpoint, in the catalogue and
 * in the checkpoint log, with the public keys in keys/ (rules D-NO-TAMPER, D-SUPERVISION). Each
 * kind of damage is named on its own: a cut tail, a rewritten middle, a checkpoint signed by other
 * keys or edited after signing, lines lost from the log or differing from the catalogue,
 * checkpoints cut from the catalogue, keys missing, damaged or replaced.
 *
 * Without `sources` (a catalogue in memory, with no keys) only the chain itself is checked.
 */
export function verifyAuditChain(
  catalogue: Catalogue,
  sources: CheckpointSources | null,
  checkedAt: string,
): ChainVerification {
  const findings = new Findings();
  // The log first: every line in it was committed to the catalogue before it was written, so a
  // checkpoint sealed meanwhile by another process is never taken for one cut from the catalogue.
  const logged = sources === null ? null : readCheckpointLog(sources.log, findings);
  const onDisk =
    sources === null ? { keys: null, problem: null } : readKeysForCheck(sources.dataDir);

  const { table, issued, walk } = catalogue.snapshot(() => {
    const table = catalogue.checkpoints.all();
    const sealed = new Set(table.map((c) => c.headSeq));
    for (const { checkpoint } of logged?.bySeq.values() ?? []) sealed.add(checkpoint.headSeq);
    return {
      table,
      issued: catalogue.checkpoints.highestIssuedSeq(),
      walk: walkChain(catalogue, sealed),
    };
  });
  if (walk.problem !== null) {
    findings.add(walk.problem.code, walk.problem.message, { entrySeq: walk.problem.seq });
  }

  // Every checkpoint as found, once per distinct content: the catalogue's, and each line of the
  // log that differs from them.
  const found: FoundCheckpoint[] = table.map((checkpoint) => ({
    checkpoint,
    where: 'in the catalogue',
  }));
  if (sources !== null && logged !== null) {
    found.push(...checkLogAgainstCatalogue(findings, sources.log, logged, table, issued));
  }
  found.sort((a, b) => a.checkpoint.seq - b.checkpoint.seq);

  const signer = checkKeys(findings, onDisk, walk, found.length);
  const trusted = checkSignatures(findings, found, signer);
  checkSealedEntries(findings, found, trusted, walk);

  const list = findings.list;
  const firstBad =
    walk.problem?.seq ??
    list.reduce<number | null>(
      (min, f) => (f.entrySeq !== null && (min === null || f.entrySeq < min) ? f.entrySeq : min),
      null,
    );
  const newest = table.at(-1);
  return {
    ok: list.length === 0,
    entries: walk.entries,
    headSeq: walk.problem === null ? walk.lastSeq : walk.intactSeq,
    firstBadSeq: firstBad,
    problemCode: list[0]?.code ?? null,
    problem: list[0]?.message ?? null,
    checkedAt,
    findings: list,
    findingsOmitted: findings.omitted,
    checkpoints: { count: table.length, last: newest === undefined ? null : summaryOf(newest) },
    keys: onDisk.keys?.fingerprints ?? null,
    beforeKeys: sources === null ? null : beforeKeys(walk, found.length),
  };
}
