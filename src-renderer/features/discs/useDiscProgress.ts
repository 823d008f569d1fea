import { useEffect, useState } from 'react';
import type { DiscProgress } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import type { BurnJob, BurnPhase } from './discFormat';

/** A progress report as it arrived here, with when (a burn started later ignores older ones). */
export interface SeenProgress extends DiscProgress {
  at: number;
}

/**
 * The latest `disc.progress` the station sent (~4 a second while a disc is staged, burned or
 * checked). The station burns or checks one disc at a time per data folder, so the latest report
 * is about the work under way.
 */
export function useDiscProgress(): SeenProgress | null {
  const { client } = useStation();
  const [seen, setSeen] = useState<SeenProgress | null>(null);
  useEffect(
    () => client.on('disc.progress', ({ progress }) => setSeen({ ...progress, at: Date.now() })),
    [client],
  );
  return seen;
}

/**
 * Whether a report is about this burn: staging and recovery data are made for the whole set
 * at once (they name the disc of the set being staged), the burn and passes for one disc copy.
 */
export function isAboutJob(progress: SeenProgress, job: BurnJob, since: number): boolean {
  if (progress.at < since || progress.setId !== job.setId) return false;
  if (progress.phase === 'staging' || progress.phase === 'recovery') return true;
  return progress.n === job.n && progress.copy === job.copy;
}

export type StepStatus = 'wait' | 'active' | 'done';

export interface Step {
  phase: BurnPhase;
  status: StepStatus;
  percent: number;
}

/**
 * Each phase's state from the latest report: those before it are done, those after it wait.
 * Passes 1 and 2 run together (the station reads the disc for both at once), so the MD5 pass is
 * under way while the block pass is.
 */
export function stepsOf(phases: readonly BurnPhase[], progress: DiscProgress | null): Step[] {
  const at = progress === null ? -1 : phases.indexOf(progress.phase);
  return phases.map((phase, index): Step => {
    if (progress === null || at < 0 || index > at) {
      if (phase === 'md5' && progress?.phase === 'blocks') {
        return { phase, status: 'active', percent: 0 };
      }
      return { phase, status: 'wait', percent: 0 };
    }
    if (index < at) return { phase, status: 'done', percent: 100 };
    return {
      phase,
      status: progress.percent >= 100 ? 'done' : 'active',
      percent: Math.floor(progress.percent),
    };
  });
}
