import { Progress, Typography, theme } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, LoadingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DiscProgress } from '../../../src-main/contract';
import { DISC_PASSES } from '../../../src-main/contract';
import type { BurnPhase } from './discFormat';
import { stepsOf, type StepStatus } from './useDiscProgress';

function StepIcon({ status }: { status: StepStatus }) {
  const { token } = theme.useToken();
  if (status === 'done') return <CheckCircleFilled style={{ color: token.colorSuccess }} />;
  if (status === 'active') return <LoadingOutlined style={{ color: token.colorPrimary }} />;
  return <ClockCircleOutlined style={{ color: token.colorTextQuaternary }} />;
}

/**
 * The phases of a burn or a re-check, each with its own bar: staging the set, its recovery data,
 * the burn, then the four passes, numbered as the register numbers them.
 */
export function PhaseSteps({
  phases,
  progress,
  discsInSet,
}: {
  phases: readonly BurnPhase[];
  progress: DiscProgress | null;
  /** How many discs the set has: staging names the one it is at. */
  discsInSet?: number;
}) {
  const { t } = useTranslation();
  const steps = stepsOf(phases, progress);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 4 }} data-testid="disc-phases">
      {steps.map((step) => {
        const pass = (DISC_PASSES as readonly string[]).indexOf(step.phase);
        const name = t(`discs.phases.${step.phase}`);
        const staging =
          (step.phase === 'staging' || step.phase === 'recovery') &&
          step.status === 'active' &&
          progress !== null &&
          discsInSet !== undefined &&
          discsInSet > 1;
        return (
          <div
            key={step.phase}
            data-testid={`disc-phase-${step.phase}`}
            data-status={step.status}
            style={{
              display: 'grid',
              gridTemplateColumns: '20px 300px minmax(0, 1fr)',
              gap: 8,
              alignItems: 'center',
            }}
          >
            <StepIcon status={step.status} />
            <Typography.Text type={step.status === 'wait' ? 'secondary' : undefined}>
              {pass >= 0 ? t('discs.pass.numbered', { number: pass + 1, name }) : name}
              {staging && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {' '}
                  {t('discs.progress.discOf', { n: progress.n, of: discsInSet })}
                </Typography.Text>
              )}
            </Typography.Text>
            <Progress
              percent={step.percent}
              size="small"
              status={
                step.status === 'active' ? 'active' : step.status === 'done' ? 'success' : 'normal'
              }
              showInfo={step.status !== 'wait'}
              style={{ margin: 0 }}
            />
          </div>
        );
      })}
    </div>
  );
}
