import type { ReactNode } from 'react';
import { Alert, Button, Card, Progress, Tag, Typography, theme } from 'antd';
import { IdcardOutlined, LoadingOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  isOfficerConfirmed,
  type DockedVolume,
  type Docking,
  type ProfileSummary,
} from '../../../src-main/contract';
import { profileName } from '../../shared/recorders/profiles';
import { displayState, phaseHasProgress } from './dockState';
import { FindingsList, SeverityIcon } from '../../shared/clips/FindingsList';
import { RuleTag } from '../../shared/RuleTag';
import { formatBytesOf, formatEta, formatRate, percentDone } from '../../shared/format';

import { ClipsInFlight, ClockLine } from './DockingProgress';
import { OfficerText } from './OfficerText';
import { PhaseTag, StateBanner } from './PhaseBanner';

function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
      <div
        style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', fontSize: 13 }}
        data-testid={testId}
      >
        {value}
      </div>
    </div>
  );
}

/**
 * A custodian corrects whose a docking is once it is no longer being collected: mostly one
 * confirmed by the wrong officer, which nobody else may change (D-WHO-RECORDS).
 */
export function mayReattribute(docking: Docking): boolean {
  return (
    docking.phase === 'complete' || docking.phase === 'interrupted' || docking.phase === 'failed'
  );
}

/** One docked recorder: what it is, whose, how far, what was found, and whether it may come out. */
export function DockingCard({
  docking,
  volume,
  profiles,
  selected,
  undocked,
  onSelect,
  onConfirmOfficer,
  onReattribute,
  actions,
}: {
  docking: Docking | null;
  volume: DockedVolume | null;
  profiles: readonly ProfileSummary[];
  selected: boolean;
  undocked?: boolean;
  onSelect?: () => void;
  /** Offered to officers while nobody has confirmed the docking yet (D-WHO-RECORDS). */
  onConfirmOfficer?: () => void;
  /** Offered to custodians once the docking has finished (D-CUSTODIAN). */
  onReattribute?: () => void;
  /** What the officer does next once the recorder may come out (label, finish). */
  actions?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const profileId = docking?.profileId ?? volume?.profileId ?? null;
  const serial = docking?.recorderSerial ?? volume?.serial ?? null;
  const model =
    profileId === null ? t('dock.unknownModel') : profileName(profiles, profileId, i18n.language);

  const header = (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
      <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }} title={model}>
        {model}
      </Typography.Text>
      {undocked && <Tag style={{ marginInlineEnd: 0 }}>{t('dock.undocked')}</Tag>}
      <PhaseTag phase={docking?.phase ?? 'identifying'} />
    </div>
  );

  const state = docking === null ? 'working' : displayState(docking);
  const percent =
    docking === null
      ? 0
      : docking.safeToUndock || docking.phase === 'complete'
        ? 100
        : percentDone(docking.progress.bytes, docking.progress.total);
  const progressStatus =
    state === 'safe'
      ? 'success'
      : state === 'failed'
        ? 'exception'
        : state === 'working'
          ? 'active'
          : 'normal';
  const moving = docking !== null && state === 'working' && phaseHasProgress(docking.phase);

  return (
    <Card
      size="small"
      title={header}
      hoverable={onSelect !== undefined}
      onClick={onSelect}
      data-testid={docking === null ? 'volume-card' : `docking-card-${docking.id}`}
      data-serial={serial ?? undefined}
      style={{
        borderColor: selected ? token.colorPrimary : undefined,
        boxShadow: selected ? `0 0 0 1px ${token.colorPrimary}` : undefined,
      }}
      styles={{ body: { display: 'flex', flexDirection: 'column', gap: 8, padding: 12 } }}
    >
      <div style={{ display: 'flex', gap: 12, fontSize: 13, flexWrap: 'wrap' }}>
        <span>
          <Typography.Text type="secondary">{t('dock.serial')} </Typography.Text>
          <Typography.Text code data-testid="docking-serial">
            {serial ?? t('dock.serialUnknown')}
          </Typography.Text>
        </span>
        {docking !== null && (
          <span style={{ minWidth: 0 }}>
            <Typography.Text type="secondary">{t('dock.officer')} </Typography.Text>
            <OfficerText docking={docking} />
            {onConfirmOfficer !== undefined && !isOfficerConfirmed(docking) && (
              <Button
                size="small"
                type="link"
                icon={<IdcardOutlined />}
                onClick={(event) => {
                  event.stopPropagation();
                  onConfirmOfficer();
                }}
                data-testid={`confirm-officer-${docking.id}`}
              >
                {t('dock.confirm.button')}
              </Button>
            )}
            {onReattribute !== undefined && mayReattribute(docking) && (
              <Button
                size="small"
                type="link"
                icon={<UserSwitchOutlined />}
                onClick={(event) => {
                  event.stopPropagation();
                  onReattribute();
                }}
                data-testid={`reattribute-${docking.id}`}
              >
                {t('dock.reattribute.button')}
              </Button>
            )}
          </span>
        )}
      </div>
      {docking === null && volume?.problem ? (
        <Alert type="warning" showIcon title={volume.problem} data-testid="volume-problem" />
      ) : docking === null ? (
        <div
          style={{
            background: token.colorInfoBg,
            border: `1px solid ${token.colorInfoBorder}`,
            borderRadius: token.borderRadius,
            padding: '6px 10px',
            color: token.colorInfoText,
            fontSize: 13,
          }}
        >
          <LoadingOutlined /> {t('dock.state.identifyingVolume')}
        </div>
      ) : (
        <>
          <StateBanner docking={docking} />
          <Progress
            percent={percent}
            status={progressStatus}
            size="small"
            style={{ margin: 0 }}
            data-testid={`docking-progress-${docking.id}`}
          />
          {state === 'working' && <ClipsInFlight docking={docking} />}
          <div
            style={{
              display: 'grid',
              gridTemplateColumns: 'repeat(4, minmax(0, auto))',
              justifyContent: 'space-between',
              gap: 8,
              maxWidth: 560,
            }}
          >
            <Stat
              label={t('dock.stats.clips')}
              value={`${docking.clipsDone} / ${docking.clipsPlanned}`}
              testId={`docking-clips-${docking.id}`}
            />
            <Stat
              label={t('dock.stats.data')}
              value={formatBytesOf(docking.progress.bytes, docking.progress.total)}
            />
            <Stat
              label={t('dock.stats.rate')}
              value={moving ? formatRate(docking.progress.rate) : '—'}
            />
            <Stat
              label={t('dock.stats.eta')}
              value={moving ? formatEta(t, docking.progress.eta) : '—'}
            />
          </div>
          {(docking.clockOffsetMs !== null ||
            docking.findings.length > 0 ||
            docking.lateCustodyClips > 0) && (
            <div
              style={{
                borderTop: `1px solid ${token.colorBorderSecondary}`,
                paddingTop: 6,
                display: 'flex',
                flexDirection: 'column',
                gap: 2,
              }}
            >
              <ClockLine docking={docking} />
              {docking.lateCustodyClips > 0 &&
                !docking.findings.some((f) => f.code === 'late-custody') && (
                  <div style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: 13 }}>
                    <SeverityIcon severity="warning" />
                    <span style={{ flex: 1 }}>
                      {t('dock.lateCustodyClips', { count: docking.lateCustodyClips })}
                    </span>
                    <RuleTag rule="D-24H" />
                  </div>
                )}
              <FindingsList findings={docking.findings} testId={`docking-findings-${docking.id}`} />
              {docking.findingsTotal > docking.findings.length && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('dock.findings.more', {
                    count: docking.findingsTotal - docking.findings.length,
                  })}
                </Typography.Text>
              )}
            </div>
          )}
          {actions !== undefined && actions !== null && (
            <div
              style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}
              onClick={(event) => event.stopPropagation()}
            >
              {actions}
            </div>
          )}
        </>
      )}
    </Card>
  );
}
