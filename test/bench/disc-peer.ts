// The peer of bench:disc: what an operator who knows xorriso types to burn the same originals to
// an image and prove it, and nothing more: the burn with MD5 tags (the same options evidock burns
// with), then every file against its tag (evidock's pass 2). No recovery data, no manifest or
// signatures, no read-back through a mounted file system, no register.
import { open, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { timedProcess } from './timed-process';

export interface PeerRun {
  /** Both commands and the image's creation, start to exit. */
  seconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  burnSeconds: number;
  checkSeconds: number;
  imageBytes: number;
}

export function peerBurnArgs(folder: string, image: string): string[] {
  return [
    '-no_rc',
    ...['-abort_on', 'FAILURE'],
    ...['-md5', 'on'],
    ...['-outdev', `stdio:${image}`],
    ...['-volid', 'PEER'],
    ...['-joliet', 'on'],
    ...['-rockridge', 'on'],
    ...['-compliance', 'iso_9660_level=3'],
    ...['-map', folder, '/'],
    ...['-close', 'on'],
    '-commit',
  ];
}

export function peerCheckArgs(image: string): string[] {
  return ['-no_rc', '-md5', 'on', '-indev', `stdio:${image}`, '-check_md5_r', 'FAILURE', '/', '--'];
}

/**
 * Burns `folder` to `image` and checks it. xorriso exits non-zero on a failed burn or a file
 * that differs from its tag (its default -return_with SORRY); the check must also say so.
 */
export async function bareXorrisoPair(folder: string, image: string): Promise<PeerRun> {
  const started = performance.now();
  // Created empty first, as evidock does: xorriso takes an empty file as a blank medium.
  await (await open(image, 'wx')).close();
  const burn = await timedProcess('xorriso', peerBurnArgs(folder, image));
  const check = await timedProcess('xorriso', peerCheckArgs(image));
  const seconds = (performance.now() - started) / 1000;
  if (!/File contents and their MD5 checksums match\./.test(check.stdout)) {
    throw new Error(`xorriso -check_md5_r did not report every file matching: ${check.stdout}`);
  }
  return {
    seconds,
    cpuSeconds: burn.cpuSeconds + check.cpuSeconds,
    peakRssBytes: Math.max(burn.peakRssBytes, check.peakRssBytes),
    burnSeconds: burn.seconds,
    checkSeconds: check.seconds,
    imageBytes: (await stat(image)).size,
  };
}
