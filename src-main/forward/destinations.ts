import type { TargetRecord } from '../catalogue/forwarding';
import type { Destination } from './destination';
import { FolderDestination } from './folder-destination';
import { ForwardRefused } from './remote-errors';
import { S3Destination } from './s3-destination';
import { S3Store } from './s3-store';
import type { SecretBox } from './secret-box';

/** The destination a target names, its secret opened only for the store that signs with it. */
export async function openDestination(
  target: TargetRecord,
  secrets: SecretBox,
  dataDir: string,
): Promise<Destination> {
  if (target.kind === 'folder') return new FolderDestination(target.folderPath!, dataDir);
  if (target.secretSealed === null) {
    throw new ForwardRefused('NoCredentials', `the target ${target.name} has no keys`, 'stop');
  }
  let secret;
  try {
    secret = secrets.open(target.secretSealed);
  } catch (error) {
    throw new ForwardRefused('SecretUnreadable', (error as Error).message, 'stop');
  }
  const store = await S3Store.open(
    {
      endpoint: target.endpoint!,
      bucket: target.bucket!,
      region: target.region,
      pathStyle: target.pathStyle,
    },
    secret,
  );
  return new S3Destination(store, target.prefix, target.partChecksums === true);
}
