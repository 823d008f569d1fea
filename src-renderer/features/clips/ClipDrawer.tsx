import { useMemo } from 'react';
import { Alert, Button, Descriptions, Drawer, Space, Spin, Tag, Typography } from 'antd';
import { EditOutlined, FieldTimeOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FiledClip } from '../../../src-main/contract';
import { navigate } from '../../shared/routes';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { failureText, formatLocalTime } from '../../i18n/format';
import { FindingsList } from '../../shared/clips/FindingsList';
import { ClipForwarding } from './ClipForwarding';
import { RuleTag } from '../../shared/RuleTag';
import {
  baseName,
  formatBytes,
  formatDuration,
  formatResolution,
  UNKNOWN,
} from '../../shared/format';
import {
  ConfidentialityTag,
  KindTag,
  LabelStatusTag,
  RetentionTag,
  StageTag,
} from '../../shared/filing/FilingTags';

const dash = (text: string | null | undefined) =>
  text === null || text === undefined || text === '' ? UNKNOWN : text;

/**
 * One clip in full (`clips.get`): what it is, its label, what was found at docking, how long it
 * is kept, its D-24H custody and its way to central storage; from here it is played, labelled, or
 * its late custody explained.
 */
export function ClipDrawer({
  clipId,
  version,
  canLabel,
  onClose,
  onPlay,
  onLabel,
  onException,
}: {
  clipId: number | null;
  /** Bumped by the screen after a change, to fetch again. */
  version: number;
  canLabel: boolean;
  onClose: () => void;
  onPlay: (clip: FiledClip) => void;
  onLabel: (clip: FiledClip) => void;
  onException: (clip: FiledClip) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  // Closed, the drawer asks for nothing and keeps what it last showed.
  const load = useMemo(
    () => (clipId === null ? null : () => client.call('clips.get', { id: clipId })),
    [client, clipId],
  );
  const { data: detail, error: failure } = useStationData(load, { reloadKey: version });
  const error = failureText(t, failure);

  const clip = detail !== null && detail.clip.id === clipId ? detail.clip : null;
  const label = clip?.filing.label ?? null;
  const exception = clip?.filing.custodyException ?? null;

  return (
    <Drawer
      open={clipId !== null}
      onClose={onClose}
      size={560}
      title={clip === null ? '' : baseName(clip.originalPath)}
      data-testid="clip-drawer"
      extra={
        clip === null ? null : (
          <Space>
            <Button
              icon={<PlayCircleOutlined />}
              onClick={() => onPlay(clip)}
              data-testid="drawer-play"
            >
              {t('filing.play.button')}
            </Button>
            {canLabel && (
              <Button
                type="primary"
                icon={<EditOutlined />}
                onClick={() => onLabel(clip)}
                data-testid="drawer-label"
              >
                {t('clips.editLabel')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {error !== null && <Alert type="error" showIcon title={error} />}
      {clip === null && error === null && (
        <div style={{ padding: 48, textAlign: 'center' }}>
          <Spin />
        </div>
      )}
      {clip !== null && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions
            size="small"
            column={1}
            bordered
            title={
              <Space>
                {t('clips.drawer.label')} <RuleTag rule="D-LABEL" />
                <LabelStatusTag clip={clip} />
              </Space>
            }
            data-testid="drawer-label-facts"
            items={[
              {
                key: 'case',
                label: t('filing.fields.case'),
                children:
                  label?.caseNumber != null ? (
                    <Typography.Link onClick={() => navigate('cases', label.caseNumber)}>
                      {label.caseNumber}
                    </Typography.Link>
                  ) : label !== null ? (
                    <Typography.Text type="secondary">
                      {t('clips.dailyEnforcement')}
                    </Typography.Text>
                  ) : (
                    UNKNOWN
                  ),
              },
              { key: 'matter', label: t('filing.fields.matter'), children: dash(label?.matter) },
              {
                key: 'kind',
                label: t('filing.fields.kind'),
                children: label?.kind ? <KindTag kind={label.kind} /> : UNKNOWN,
              },
              {
                key: 'stage',
                label: t('filing.fields.stage'),
                children: label?.stage ? <StageTag stage={label.stage} /> : UNKNOWN,
              },
              { key: 'place', label: t('filing.fields.place'), children: dash(label?.place) },
              {
                key: 'parties',
                label: t('filing.fields.parties'),
                children: dash(label?.parties.join('、')),
              },
              ...(label !== null && label.partyIds.length > 0
                ? [
                    {
                      key: 'partyIds',
                      label: t('filing.fields.partyIds'),
                      children: label.partyIds.join('、'),
                    },
                  ]
                : []),
              {
                key: 'officers',
                label: t('filing.fields.officersPresent'),
                children: dash(label?.officersPresent.join('、')),
              },
              {
                key: 'confidentiality',
                label: t('filing.fields.confidentiality'),
                children:
                  label === null || label.confidentiality === 'none' ? (
                    t('filing.confidentiality.none')
                  ) : (
                    <ConfidentialityTag level={label.confidentiality} />
                  ),
              },
              { key: 'notes', label: t('filing.fields.notes'), children: dash(label?.notes) },
              {
                key: 'longTerm',
                label: t('filing.fields.longTerm'),
                children:
                  label?.longTerm == null
                    ? UNKNOWN
                    : `${t(`filing.longTerm.${label.longTerm.reason}`)}${label.longTerm.text ? `：${label.longTerm.text}` : ''}`,
              },
              {
                key: 'production',
                label: t('filing.fields.productionMethod'),
                children:
                  clip.filing.productionMethod === null
                    ? UNKNOWN
                    : t(`filing.productionMethods.${clip.filing.productionMethod}`, {
                        defaultValue: clip.filing.productionMethod,
                      }),
              },
              ...(label !== null
                ? [
                    {
                      key: 'updated',
                      label: t('clips.drawer.labelledBy'),
                      children: `${label.updatedBy} · ${formatLocalTime(label.updatedAt)}`,
                    },
                  ]
                : []),
            ]}
          />
          <Descriptions
            size="small"
            column={1}
            bordered
            title={
              <Space>
                {t('clips.drawer.custody')} <RuleTag rule="D-24H" />
              </Space>
            }
            items={[
              {
                key: 'recorded',
                label: t('clips.columns.recorded'),
                children: `${formatLocalTime(clip.recordedStart) || UNKNOWN} → ${formatLocalTime(clip.recordedEnd) || UNKNOWN}`,
              },
              {
                key: 'custody',
                label: t('clips.drawer.custodyAt'),
                children: (
                  <Space>
                    {formatLocalTime(clip.custodyAt)}
                    {clip.lateCustody && <Tag color="error">{t('dock.clips.late')}</Tag>}
                  </Space>
                ),
              },
              {
                key: 'exception',
                label: t('clips.drawer.exception'),
                children:
                  exception === null ? (
                    <Space>
                      <span>{UNKNOWN}</span>
                      {canLabel && clip.lateCustody && (
                        <Button
                          size="small"
                          icon={<FieldTimeOutlined />}
                          onClick={() => onException(clip)}
                          data-testid="drawer-exception"
                        >
                          {t('clips.exception.record')}
                        </Button>
                      )}
                    </Space>
                  ) : (
                    <span data-testid="drawer-exception-text">
                      {t(`filing.custodyKinds.${exception.kind}`)} ·{' '}
                      {t('clips.exception.returnedAtShort', {
                        at: formatLocalTime(exception.returnedAt),
                      })}
                      {exception.note !== null && `：${exception.note}`}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {' '}
                        ({exception.recordedBy} · {formatLocalTime(exception.recordedAt)})
                      </Typography.Text>
                    </span>
                  ),
              },
              {
                key: 'retention',
                label: (
                  <span>
                    {t('clips.drawer.retention')} <RuleTag rule="D-RETAIN" />
                  </span>
                ),
                children: <RetentionTag clip={clip} />,
              },
            ]}
          />
          <Descriptions
            size="small"
            column={1}
            bordered
            title={t('clips.drawer.file')}
            items={[
              { key: 'path', label: t('clips.drawer.originalPath'), children: clip.originalPath },
              {
                key: 'recorder',
                label: t('clips.columns.recorder'),
                children: `${clip.recorderSerial} · ${t('label.docking', { id: clip.dockingId })}`,
              },
              {
                key: 'officer',
                label: t('clips.columns.officer'),
                children: dash(clip.officerBadge),
              },
              {
                key: 'media',
                label: t('clips.drawer.media'),
                children: `${t(`dock.kinds.${clip.kind}`)} · ${formatDuration(clip.durationMs)} · ${formatResolution(clip.width, clip.height)} · ${formatBytes(clip.size)}`,
              },
              {
                key: 'sha256',
                label: 'SHA-256',
                children: (
                  <Typography.Text
                    copyable
                    style={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }}
                  >
                    {clip.sha256}
                  </Typography.Text>
                ),
              },
              ...(clip.sm3 !== null
                ? [
                    {
                      key: 'sm3',
                      label: 'SM3',
                      children: (
                        <Typography.Text
                          style={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }}
                        >
                          {clip.sm3}
                        </Typography.Text>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <div>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('clips.drawer.findings', { count: detail?.findings.length ?? 0 })}
            </Typography.Title>
            {detail !== null && detail.findings.length > 0 ? (
              <FindingsList findings={detail.findings} testId="drawer-findings" />
            ) : (
              <Typography.Text type="secondary">{t('clips.drawer.noFindings')}</Typography.Text>
            )}
          </div>
          <ClipForwarding clipId={clip.id} size={clip.size} version={version} />
        </Space>
      )}
    </Drawer>
  );
}
