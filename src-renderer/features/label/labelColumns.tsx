import { Button, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlayCircleOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import type { FiledClip } from '../../../src-main/contract';
import { ClipThumbnail, THUMB_WIDTH } from '../../shared/clips/ClipThumbnail';
import { RecordedSpan } from '../../shared/clips/RecordedSpan';
import type { ThumbnailCache } from '../../shared/clips/thumbnailCache';
import { baseName, formatDuration } from '../../shared/format';

/**
 * The columns of the clips waiting for a label: thumbnail, clip (late custody marked),
 * duration, recorder and docking (with the officer for those who see others' clips), play.
 */
export function labelColumns(
  t: TFunction,
  {
    cache,
    showOfficer,
    onPlay,
  }: {
    cache: ThumbnailCache;
    showOfficer: boolean;
    onPlay: (clip: FiledClip) => void;
  },
): TableColumnsType<FiledClip> {
  return [
    {
      title: '',
      key: 'thumb',
      width: THUMB_WIDTH + 16,
      render: (_: unknown, clip: FiledClip) => <ClipThumbnail clip={clip} cache={cache} />,
    },
    {
      title: t('label.columns.clip'),
      key: 'clip',
      ellipsis: { showTitle: false },
      render: (_: unknown, clip: FiledClip) => (
        <div style={{ minWidth: 0 }}>
          <div>
            <Typography.Text strong data-testid={`label-clip-name-${clip.id}`}>
              {baseName(clip.originalPath)}
            </Typography.Text>{' '}
            {clip.lateCustody && (
              <Tag color="error" style={{ marginInlineEnd: 0 }}>
                {t('dock.clips.late')}
              </Tag>
            )}
          </div>
          <RecordedSpan clip={clip} />
        </div>
      ),
    },
    {
      title: t('label.columns.duration'),
      dataIndex: 'durationMs',
      width: 76,
      align: 'right',
      render: (ms: number | null) => formatDuration(ms),
    },
    {
      title: t('label.columns.recorder'),
      key: 'recorder',
      width: 150,
      ellipsis: true,
      render: (_: unknown, clip: FiledClip) => (
        <div style={{ fontSize: 12, lineHeight: 1.4 }}>
          <Typography.Text code style={{ fontSize: 11 }}>
            {clip.recorderSerial}
          </Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('label.docking', { id: clip.dockingId })}
              {showOfficer && clip.officerBadge !== null && ` · ${clip.officerBadge}`}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: '',
      key: 'play',
      width: 44,
      render: (_: unknown, clip: FiledClip) => (
        <Tooltip
          title={clip.filing.playable ? t('filing.play.button') : t('filing.play.notPlayable')}
        >
          <Button
            type="text"
            size="small"
            icon={<PlayCircleOutlined />}
            onClick={(event) => {
              event.stopPropagation();
              onPlay(clip);
            }}
            data-testid={`label-play-${clip.id}`}
            aria-label={t('filing.play.button')}
          />
        </Tooltip>
      ),
    },
  ];
}
