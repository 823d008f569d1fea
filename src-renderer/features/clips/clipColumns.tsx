import { Button, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlayCircleOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import type { FiledClip } from '../../../src-main/contract';
import { formatLocalTime } from '../../i18n/format';
import { ClipThumbnail, THUMB_WIDTH } from '../../shared/clips/ClipThumbnail';
import { RecordedSpan } from '../../shared/clips/RecordedSpan';
import type { ThumbnailCache } from '../../shared/clips/thumbnailCache';
import {
  ConfidentialityTag,
  KindTag,
  LabelStatusTag,
  RetentionTag,
  StageTag,
} from '../../shared/filing/FilingTags';
import { baseName, formatDuration } from '../../shared/format';
import { navigate } from '../../shared/routes';
import type { ClipSort } from './clipFilters';

/**
 * The archive table's columns: thumbnail, recording, duration, officer (not shown to officers),
 * recorder, case and label, custody (D-24H), retention, play. Recording and custody sort.
 */
export function clipColumns(
  t: TFunction,
  {
    cache,
    isOfficer,
    sort,
    onPlay,
  }: {
    cache: ThumbnailCache;
    isOfficer: boolean;
    sort: ClipSort;
    onPlay: (clip: FiledClip) => void;
  },
): TableColumnsType<FiledClip> {
  const sortOrderOf = (key: ClipSort['sort']) =>
    sort.sort === key ? (sort.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null;

  return [
    {
      title: '',
      key: 'thumb',
      width: THUMB_WIDTH + 16,
      render: (_: unknown, clip: FiledClip) => <ClipThumbnail clip={clip} cache={cache} />,
    },
    {
      title: t('clips.columns.recorded'),
      key: 'recorded',
      sorter: true,
      sortOrder: sortOrderOf('recorded'),
      sortDirections: ['descend', 'ascend'],
      ellipsis: { showTitle: false },
      render: (_: unknown, clip: FiledClip) => (
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong ellipsis style={{ display: 'block' }} title={clip.originalPath}>
            {baseName(clip.originalPath)}
          </Typography.Text>
          <RecordedSpan clip={clip} />
        </div>
      ),
    },
    {
      title: t('clips.columns.duration'),
      dataIndex: 'durationMs',
      width: 60,
      align: 'right',
      render: (ms: number | null) => formatDuration(ms),
    },
    ...(isOfficer
      ? []
      : [
          {
            title: t('clips.columns.officer'),
            dataIndex: 'officerBadge',
            width: 90,
            ellipsis: true,
            render: (badge: string | null) => badge ?? '—',
          },
        ]),
    {
      title: t('clips.columns.recorder'),
      dataIndex: 'recorderSerial',
      width: 110,
      ellipsis: true,
      render: (serial: string) => (
        <Typography.Text code style={{ fontSize: 11 }}>
          {serial}
        </Typography.Text>
      ),
    },
    {
      title: t('clips.columns.case'),
      key: 'case',
      width: 170,
      ellipsis: { showTitle: false },
      render: (_: unknown, clip: FiledClip) => {
        const label = clip.filing.label;
        if (label === null) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <div style={{ minWidth: 0 }}>
            {label.caseNumber !== null ? (
              <Typography.Link
                onClick={(event) => {
                  event.stopPropagation();
                  navigate('cases', label.caseNumber);
                }}
              >
                {label.caseNumber}
              </Typography.Link>
            ) : (
              <Typography.Text type="secondary" ellipsis title={label.matter ?? ''}>
                {t('clips.dailyEnforcement')}
                {label.matter !== null && ` · ${label.matter}`}
              </Typography.Text>
            )}
            <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap' }}>
              <KindTag kind={label.kind} />
              <StageTag stage={label.stage} />
              <ConfidentialityTag level={label.confidentiality} />
            </div>
          </div>
        );
      },
    },
    {
      title: t('clips.columns.label'),
      key: 'label',
      width: 84,
      render: (_: unknown, clip: FiledClip) => <LabelStatusTag clip={clip} />,
    },
    {
      title: t('clips.columns.custody'),
      key: 'custody',
      width: 110,
      sorter: true,
      sortOrder: sortOrderOf('custody'),
      sortDirections: ['descend', 'ascend'],
      render: (_: unknown, clip: FiledClip) => (
        <div style={{ fontSize: 12 }}>
          <div style={{ whiteSpace: 'nowrap' }}>{formatLocalTime(clip.custodyAt).slice(0, 16)}</div>
          {clip.lateCustody && (
            <Tag
              color={clip.filing.custodyException === null ? 'error' : 'default'}
              style={{ marginInlineEnd: 0 }}
            >
              {clip.filing.custodyException === null ? t('dock.clips.late') : t('clips.excepted')}
            </Tag>
          )}
          {clip.filing.findings > 0 && (
            <Tag color="warning" style={{ marginInlineEnd: 0 }}>
              {t('clips.findingsCount', { count: clip.filing.findings })}
            </Tag>
          )}
        </div>
      ),
    },
    {
      title: t('clips.columns.retention'),
      key: 'retention',
      width: 100,
      render: (_: unknown, clip: FiledClip) => <RetentionTag clip={clip} />,
    },
    {
      title: '',
      key: 'play',
      width: 44,
      render: (_: unknown, clip: FiledClip) => (
        <Button
          type="text"
          size="small"
          icon={<PlayCircleOutlined />}
          aria-label={t('filing.play.button')}
          onClick={(event) => {
            event.stopPropagation();
            onPlay(clip);
          }}
        />
      ),
    },
  ];
}
