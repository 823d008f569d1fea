// Global setup of the device and e2e suites: a removable volume that looks like a recorder stays
// docked under /media for the whole run, as another officer's recorder or a custodian's stick
// would on a real station. A station in a test only considers the volumes that test made, so
// every test must pass with it there (and it proves they do, at every run).
import {
  dockingUnavailable,
  dockRecorder,
  uniqueLabel,
  type DockedRecorder,
} from './dock-recorder';

let stray: DockedRecorder | undefined;

export async function setup(): Promise<void> {
  if (dockingUnavailable() !== undefined) return;
  stray = await dockRecorder({
    fs: 'ext4',
    label: uniqueLabel('STRAY'),
    sizeMiB: 16,
    files: {
      'DCIM/100MEDIA/VID_0001.MP4': 'another recorder, docked meanwhile',
      'DCIM/100MEDIA/VID_0002.MP4': 'another clip',
    },
  });
}

export async function teardown(): Promise<void> {
  await stray?.undock();
}
