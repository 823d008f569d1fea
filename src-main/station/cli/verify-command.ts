import { Command } from 'commander';
import { STATION_ACTOR } from '../../custody/audit-log';
import { verifyArchive } from '../../custody/integrity';
import { withCommonOptions, withStation, type CommonOptions } from './context';
import { emit, fail } from './output';

/** The integrity sweep (rule D-NO-TAMPER): every archived original re-hashed against the catalogue. */
export function verifyCommand(): Command {
  return withCommonOptions(
    new Command('verify').description(
      're-hash every archived original against the catalogue; exits non-zero naming each mismatch or missing file',
    ),
  ).action(async (options: CommonOptions) => {
    const report = await withStation(options, (session) =>
      verifyArchive({
        catalogue: session.services.catalogue,
        dataDir: session.services.dataDir,
        audit: session.services.audit,
        actor: STATION_ACTOR,
      }),
    );
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
        `(${report.readBack.direct} read past the page cache, ${report.readBack.cached} through it)`,
    );
  });
}
