import type { CSSProperties, ReactNode } from 'react';
import { Tag, theme } from 'antd';
import {
  CheckCircleFilled,
  CloseCircleFilled,
  DisconnectOutlined,
  ExclamationCircleFilled,
  LoadingOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Docking, DockingPhase } from '../../../src-main/contract';
import { displayState, type DisplayState } from './dockState';

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
export function StateBanner({ docking }: { docking: Docking }) {
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
