import { Progress, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Docking } from '../../../src-main/contract';
import { SeverityIcon } from '../../shared/clips/FindingsList';
import { clockOffsetSeverity } from '../../shared/clips/findings';
import { formatOffset, percentDone } from '../../shared/format';

/** The files being copied or read back now, each with its own bar: where the time goes. */
export function ClipsInFlight({ docking }: { docking: Docking }) {
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
export function ClockLine({ docking }: { docking: Docking }) {
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
