import type { CSSProperties, ReactNode } from 'react';
import { Alert, Button, Card, Progress, Tag, Tooltip, Typography, theme } from 'antd';
import {
  CheckCircleFilled,
  CloseCircleFilled,
  DisconnectOutlined,
  ExclamationCircleFilled,
  IdcardOutlined,
  LoadingOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type {
  DockedVolume,
  Docking,
  DockingPhase,
  ProfileSummary,
} from '../../../src-main/contract/docking';
import { profileName } from '../../shared/recorders/profiles';
import { displayState, phaseHasProgress, type DisplayState } from './dockState';
import { FindingsList, SeverityIcon } from '../../shared/clips/FindingsList';
import { RuleTag } from '../../shared/RuleTag';
import { clockOffsetSeverity } from '../../shared/clips/findings';
import {
  formatBytesOf,
  formatEta,
  formatOffset,
  formatRate,
  percentDone,
} from '../../shared/format';

const PHASE_COLOR: Record<DockingPhase, string> = {
  identifying: 'processing',
  planning: 'processing',
  copying: 'processing',
  verifying: 'processing',
  clearing: 'processing',
  complete: 'success',
  interrupted: 'warning',
  failed: 'error',
};

export function PhaseTag({ phase }: { phase: DockingPhase }) {
  const { t } = useTranslation();
  return (
    <Tag color={PHASE_COLOR[phase]} data-phase={phase} style={{ marginInlineEnd: 0 }}>
      {t(`dock.phase.${phase}`)}
    </Tag>
  );
}

/** The one thing an officer must read from across the room: may the recorder come out? */
function StateBanner({ docking }: { docking: Docking }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const state = displayState(docking);
  const look: Record<DisplayState, { bg: string; fg: string; border: string; icon: ReactNode }> = {
    safe: {
      bg: token.colorSuccess,
      fg: '#fff',
      border: token.colorSuccess,
      icon: <CheckCircleFilled />,
    },
    working: {
      bg: token.colorInfoBg,
      fg: token.colorInfoText,
      border: token.colorInfoBorder,
      icon: <LoadingOutlined />,
    },
    incomplete: {
      bg: token.colorWarningBg,
      fg: token.colorWarningText,
      border: token.colorWarningBorder,
      icon: <ExclamationCircleFilled />,
    },
    interrupted: {
      bg: token.colorWarningBg,
      fg: token.colorWarningText,
      border: token.colorWarningBorder,
      icon: <DisconnectOutlined />,
    },
    failed: {
      bg: token.colorErrorBg,
      fg: token.colorErrorText,
      border: token.colorErrorBorder,
      icon: <CloseCircleFilled />,
    },
  };
  const { bg, fg, border, icon } = look[state];
  const big = state === 'safe';
  const style: CSSProperties = {
    background: bg,
    color: fg,
    border: `1px solid ${border}`,
    borderRadius: token.borderRadius,
    padding: big ? '10px 14px' : '6px 10px',
    display: 'flex',
    alignItems: 'center',
    gap: big ? 12 : 8,
  };
  const detail =
    state === 'safe'
      ? t('dock.state.safeDetail', { count: docking.clipsDone })
      : state === 'failed'
        ? (docking.error ?? t('dock.state.failedNoMessage'))
        : t(`dock.state.${state}Detail`);
  return (
    <div style={style} data-testid={`docking-state-${docking.id}`} data-state={state} role="status">
      <span style={{ fontSize: big ? 34 : 18, lineHeight: 1 }}>{icon}</span>
      <div style={{ minWidth: 0 }}>
        <div
          style={{ fontSize: big ? 24 : 14, fontWeight: 700, lineHeight: 1.25 }}
          data-testid={state === 'safe' ? 'safe-to-undock' : undefined}
        >
          {t(`dock.state.${state}`)}
        </div>
        <div style={{ fontSize: 12, opacity: 0.9, wordBreak: 'break-word' }}>{detail}</div>
      </div>
    </div>
  );
}

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

/** Confirmed at the dock (badge + PIN, IC card), not only assigned to the recorder. */
export function isOfficerConfirmed(docking: Docking): boolean {
  return docking.identifiedBy === 'badge-pin' || docking.identifiedBy === 'card';
}

/** Who the docking is attributed to: the officer, and how they were identified. */
export function OfficerText({ docking }: { docking: Docking }) {
  const { t } = useTranslation();
  if (docking.officerBadge === null) {
    return <Typography.Text type="warning">{t('dock.officerUnknown')}</Typography.Text>;
  }
  return (
    <span>
      {docking.officerName ?? ''}{' '}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {docking.officerBadge}
        {docking.identifiedBy !== null && ` · ${t(`dock.identifiedBy.${docking.identifiedBy}`)}`}
      </Typography.Text>
    </span>
  );
}

/** The files being copied or read back now, each with its own bar: where the time goes. */
function ClipsInFlight({ docking }: { docking: Docking }) {
  const { t } = useTranslation();
  if (docking.clipsInFlight.length === 0) return null;
  return (
    <div
      data-testid={`docking-in-flight-${docking.id}`}
      style={{ display: 'flex', flexDirection: 'column', gap: 2, fontSize: 12 }}
    >
      {docking.clipsInFlight.map((clip) => (
        <div
          key={clip.originalPath}
          style={{
            display: 'grid',
            gridTemplateColumns: 'minmax(0, 1fr) 72px 110px',
            gap: 8,
            alignItems: 'center',
          }}
        >
          <Typography.Text ellipsis style={{ fontSize: 12 }} title={clip.originalPath}>
            {clip.originalPath.split('/').pop()}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`dock.clipPhase.${clip.phase}`)}
          </Typography.Text>
          <Progress
            percent={percentDone(clip.bytes, clip.total)}
            size="small"
            showInfo={false}
            style={{ margin: 0 }}
          />
        </div>
      ))}
    </div>
  );
}

/** The recorder's clock against the station's, and where that figure comes from. */
function ClockLine({ docking }: { docking: Docking }) {
  const { t } = useTranslation();
  if (docking.clockOffsetMs === null) return null;
  const severity = clockOffsetSeverity(docking.clockOffsetMs, docking.clockOffsetSource);
  return (
    <div
      style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: 13 }}
      data-testid={`docking-clock-${docking.id}`}
    >
      <SeverityIcon severity={severity} />
      <span style={{ flex: 1, minWidth: 0 }}>
        {t('dock.clock.offset', { offset: formatOffset(t, docking.clockOffsetMs) })}
        {docking.clockOffsetSource !== null && (
          <Tooltip title={t(`dock.clock.sourceHint.${docking.clockOffsetSource}`)}>
            <Tag
              bordered={false}
              color={docking.clockOffsetSource === 'driver' ? 'blue' : 'gold'}
              style={{ marginInlineStart: 6, fontSize: 11, lineHeight: '16px', paddingInline: 4 }}
              data-clock-source={docking.clockOffsetSource}
            >
              {t(`dock.clock.source.${docking.clockOffsetSource}`)}
            </Tag>
          </Tooltip>
        )}
        {docking.clockSetAt !== null && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('dock.clock.set')}
          </Typography.Text>
        )}
      </span>
    </div>
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
  actions,
}: {
  docking: Docking | null;
  volume: DockedVolume | null;
  profiles: readonly ProfileSummary[];
  selected: boolean;
  undocked?: boolean;
  onSelect?: () => void;
  /** Offered while the officer at the dock is not confirmed yet. */
  onConfirmOfficer?: () => void;
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
