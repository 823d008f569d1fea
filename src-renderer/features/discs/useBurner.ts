import { useEffect, useRef, useState } from 'react';
import type { DiscRecord, MethodOutput } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { driveForDisc, isImageDrive, type BurnJob } from './discFormat';

/**
 * `disc.burn` answers once the disc is staged, burned and read back four times: a BD of footage
 * takes hours, so the client waits that long, while `disc.progress` shows the work moving.
 */
export const DISC_WORK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export type DiscPasses = MethodOutput<'disc.burn'>['passes'];

/** How one burn ended: the disc as recorded with its passes, or why nothing was recorded. */
export interface BurnOutcome {
  job: BurnJob;
  /** The drive or image file it went to. */
  drive: string;
  disc: DiscRecord | null;
  passes: DiscPasses;
  timings: MethodOutput<'disc.burn'>['timings'] | null;
  error: unknown;
}

export interface Burner {
  /** The burn under way: its disc and copy, where it goes, and when this screen asked for it. */
  running: { job: BurnJob; drive: string; since: number } | null;
  /** Where a run of several burns has come: the burns asked for and the one under way. */
  batch: { index: number; total: number } | null;
  /** How the burns of the latest run ended, in order. */
  outcomes: BurnOutcome[];
  /** The next blank disc the custodian is asked to put in the drive, with the answer to give. */
  asking: { job: BurnJob; drive: string; answer: (go: boolean) => void } | null;
  burn: (jobs: readonly BurnJob[], drive: string) => Promise<void>;
  /** Takes the burn under way back: the station records the disc interrupted. */
  stop: () => void;
}

/**
 * Burns discs one after another to a drive, asking for a blank disc before each one that goes to
 * a real drive; an image file needs no one to change it. A run stops at the first disc that is
 * not verified: a failed disc must be looked at before the next blank is spent.
 */
export function useBurner(onChanged: () => Promise<void>): Burner {
  const { client } = useStation();
  const [running, setRunning] = useState<Burner['running']>(null);
  const [batch, setBatch] = useState<Burner['batch']>(null);
  const [outcomes, setOutcomes] = useState<BurnOutcome[]>([]);
  const [asking, setAsking] = useState<Burner['asking']>(null);
  const controller = useRef<AbortController | null>(null);
  // Leaving the screen does not stop the burn under way (the station goes on with it), only
  // the run: nobody is left here to put in the next disc.
  const present = useRef(true);
  useEffect(() => {
    present.current = true;
    return () => {
      present.current = false;
    };
  }, []);

  const burnOne = async (job: BurnJob, drive: string): Promise<BurnOutcome> => {
    const stopper = new AbortController();
    controller.current = stopper;
    const target = driveForDisc(drive, job.volumeId);
    setRunning({ job, drive: target, since: Date.now() });
    try {
      const { disc, passes, timings } = await client.call(
        'disc.burn',
        { setId: job.setId, n: job.n, copy: job.copy, drive: target },
        { signal: stopper.signal, timeoutMs: DISC_WORK_TIMEOUT_MS },
      );
      return { job, drive: target, disc, passes, timings, error: null };
    } catch (error) {
      return { job, drive: target, disc: null, passes: [], timings: null, error };
    } finally {
      controller.current = null;
    }
  };

  const burn = async (jobs: readonly BurnJob[], drive: string) => {
    setOutcomes([]);
    try {
      for (const [index, job] of jobs.entries()) {
        setBatch({ index, total: jobs.length });
        if (!isImageDrive(drive)) {
          const go = await new Promise<boolean>((answer) => setAsking({ job, drive, answer }));
          setAsking(null);
          if (!go || !present.current) break;
        }
        const outcome = await burnOne(job, drive);
        setOutcomes((was) => [...was, outcome]);
        // The sets and register are read again before the next burn, not while it starts.
        await onChanged();
        if (!present.current || outcome.disc?.state !== 'verified') break;
      }
    } finally {
      setRunning(null);
      setBatch(null);
    }
  };

  const stop = () => controller.current?.abort();

  return { running, batch, outcomes, asking, burn, stop };
}
