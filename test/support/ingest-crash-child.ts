// A station process for the crash tests, bundled and run as a child so the test can SIGKILL it
// at a chosen moment: mid-copy (after N progress reports) or at a named step of a placement.
// Prints one JSON object per line: {progress}, {placeStep}, {result}.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import { AuditLog } from '../../src-main/custody/audit-log';
import { recorderProfileSchema } from '../../src-main/devices/profile';
import { IngestEngine } from '../../src-main/ingest/engine';
import { fileTimeFacts } from '../../src-main/ingest/media';

interface ChildArgs {
  dataDir: string;
  mountpoint: string;
  serial: string;
  profileFile: string;
  workerScript: string;
  chunkSize: number;
  /** Kill after this many progress reports (0: never). */
  killAfterProgress: number;
  /** Kill when this placement step completes for the `killAtClip`-th time (1-based). */
  killAtStep: string | null;
  killAtClip: number;
}

const args = JSON.parse(process.argv[2]!) as ChildArgs;
const say = (line: unknown) => process.stdout.write(JSON.stringify(line) + '\n');
const die = () => process.kill(process.pid, 'SIGKILL');

const { catalogue } = Catalogue.open(join(args.dataDir, CATALOGUE_FILE));
const audit = new AuditLog(catalogue);
const profile = recorderProfileSchema.parse(JSON.parse(readFileSync(args.profileFile, 'utf8')));
let progressReports = 0;
let stepHits = 0;

const engine = await IngestEngine.open({
  catalogue,
  audit,
  dataDir: args.dataDir,
  workerScript: args.workerScript,
  readMediaFacts: fileTimeFacts,
  makeThumbnail: async () => false,
  chunkSize: args.chunkSize,
  onCopyProgress: (path, phase, bytes) => {
    progressReports += 1;
    say({ progress: { path, phase, bytes } });
    if (args.killAfterProgress > 0 && progressReports >= args.killAfterProgress) die();
  },
  onPlaceStep: (step, path) => {
    say({ placeStep: { step, path } });
    if (step === args.killAtStep && ++stepHits === args.killAtClip) die();
  },
});
say({ recovery: engine.recovery });
const result = await engine.ingest({
  mountpoint: args.mountpoint,
  recorderSerial: args.serial,
  profile,
}).done;
say({ result: { status: result.status, counts: result.counts, error: result.error } });
await engine.close();
catalogue.close();
