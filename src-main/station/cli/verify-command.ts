import { Command } from 'commander';
import { STATION_ACTOR } from '../../custody/audit-log';
import { verifyArchive, type IntegrityProgressReport } from '../../custody/integrity';
import { acquireSweepLock } from '../../custody/sweep-lock';
import { PROGRESS_INTERVAL_MS, type SweepProgressMessage } from '../integrity-child';
import { withCommonOptions, withStation, type CommonOptions } from './context';
import { emit, fail } from './output';

/**
 * The integrity sweep (rule D-NO-TAMPER): every archived original re-hashed against the catalogue
 * and the audit chain's record of every clip archived. The station's scheduled sweep runs this
 * same command in a child process at idle I/O priority; its progress then goes to the station
 * over the IPC channel it was started with.
 */
export function verifyCommand(): Command {
  return withCommonOptions(
    new Command('verify').description(
      're-hash every archived original and hold archive, catalogue and audit chain against each other; exits non-zero naming each clip missing, altered or unaccounted for',
    ),
  ).action(async (options: CommonOptions) => {
    const stop = new AbortController();
    // A terminal's Ctrl+C, or the station stopping: the sweep ends between reads, records nothing.
    const onSignal = () => stop.abort(new Error('the integrity sweep was stopped'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let report;
    try {
      report = await withStation(options, async (session) => {
        const lock = await acquireSweepLock(session.services.dataDir);
        try {
          return await verifyArchive({
            catalogue: session.services.catalogue,
            dataDir: session.services.dataDir,
            audit: session.services.audit,
            actor: STATION_ACTOR,
            signal: stop.signal,
            onProgress: progressToStation(),
          });
        } finally {
          await lock.release();
        }
      });
    } catch (error) {
      if (stop.signal.aborted) {
        fail(
          'CANCELLED',
          'The integrity sweep was stopped before it finished; nothing was recorded.',
        );
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (!report.ok) {
      const named = report.problems.map((p) => `${p.code}: ${p.archivePath} (${p.message})`);
      fail(
        'INTEGRITY_FAILED',
        `${report.problems.length} problem(s) in the archive (D-NO-TAMPER):\n${named.join('\n')}`,
        { report },
      );
    }
    emit(
      options,
      { report },
      () =>
        `archive intact: ${report.clipsChecked} clips, ${report.bytesChecked} bytes re-hashed ` +
        `(${report.readBack.direct} read past the page cache, ${report.readBack.cached} through it), ` +
        `held against the audit chain's ${report.chain.clipsArchived} archived clips`,
    );
  });
}

/** Progress for the station that started this process, at most ~4 a second; none otherwise. */
function progressToStation(): ((progress: IntegrityProgressReport) => void) | undefined {
  const send = process.send?.bind(process);
  if (send === undefined) return undefined;
  let sentAt = 0;
  return (progress) => {
    const at = Date.now();
    if (at - sentAt < PROGRESS_INTERVAL_MS && progress.clipsChecked < progress.clips) return;
    sentAt = at;
    const message: SweepProgressMessage = { type: 'integrity.progress', progress };
    send(message);
  };
}
