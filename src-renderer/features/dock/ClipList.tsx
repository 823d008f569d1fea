import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Alert, Card, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Clip, Docking } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { failureText, formatLocalTime } from '../../i18n/format';
import { ClipThumbnail, THUMB_WIDTH } from '../../shared/clips/ClipThumbnail';
import { RuleTag } from '../../shared/RuleTag';
import {
  abbreviateHash,
  baseName,
  formatBytes,
  formatDuration,
  formatResolution,
  UNKNOWN,
} from '../../shared/format';
import type { ThumbnailCache } from '../../shared/clips/thumbnailCache';

const PAGE_SIZE = 50;

/** How long a burst of progress waits before the list asks again (clips arrive one by one). */
const RELOAD_DELAY_MS = 600;

/** Waits `ms`, or rejects at once when `signal` is aborted (the load is no longer wanted). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = window.setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        window.clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

const NO_CLIPS: Clip[] = [];

/** A recording time and where it came from: container metadata, file name, or file times. */
function TimeWithSource({
  iso,
  source,
  sameDayAs,
}: {
  iso: string | null;
  source: Clip['recordedStartSource'];
  sameDayAs?: string | null;
}) {
  const { t } = useTranslation();
  if (iso === null) return <Typography.Text type="secondary">{UNKNOWN}</Typography.Text>;
  const full = formatLocalTime(iso);
  const shown =
    sameDayAs !== undefined &&
    sameDayAs !== null &&
    formatLocalTime(sameDayAs).slice(0, 10) === full.slice(0, 10)
      ? full.slice(11)
      : full;
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <span title={full}>{shown}</span>
      {source !== null && (
        <Tooltip title={t(`dock.timeSource.hint.${source}`)}>
          <Tag
            bordered={false}
            color={source === 'container' ? 'default' : 'gold'}
            style={{
              marginInlineStart: 4,
              marginInlineEnd: 0,
              fontSize: 11,
              lineHeight: '16px',
              paddingInline: 4,
            }}
            data-time-source={source}
          >
            {t(`dock.timeSource.${source}`)}
          </Tag>
        </Tooltip>
      )}
    </span>
  );
}

/**
 * The clips of one docking (`clips.list {dockingId}`), page by page, refreshed as the docking
 * moves on; officers see only their own (the station narrows the list).
 */
export function ClipList({
  docking,
  title,
  cache,
  extra,
}: {
  docking: Docking;
  title: string;
  cache: ThumbnailCache;
  /** Actions beside the title (label these clips, finish at the dock). */
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const [page, setPage] = useState(1);

  // First load at once; later ones (a clip done, a phase change, another page, a reconnect)
  // after a short pause, which a newer reason to load starts again.
  const loadedOnce = useRef(false);
  const load = useCallback(
    async (signal: AbortSignal) => {
      const delay = loadedOnce.current ? RELOAD_DELAY_MS : 0;
      loadedOnce.current = true;
      await pause(delay, signal);
      return client.call(
        'clips.list',
        { dockingId: docking.id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
        { signal },
      );
    },
    [client, docking.id, page],
  );
  const { data, loading, error } = useStationData(load, {
    reloadKey: `${docking.clipsDone}:${docking.phase}`,
  });
  const clips = data?.clips ?? NO_CLIPS;
  const total = data?.total ?? 0;
  const loadError = failureText(t, error);

  const columns: TableColumnsType<Clip> = [
    {
      title: '',
      key: 'thumb',
      width: THUMB_WIDTH + 12,
      render: (_: unknown, clip: Clip) => <ClipThumbnail clip={clip} cache={cache} />,
    },
    {
      title: t('dock.clips.columns.name'),
      dataIndex: 'originalPath',
      ellipsis: { showTitle: false },
      render: (path: string, clip: Clip) => (
        <Tooltip title={path} placement="topLeft">
          <span data-testid={`clip-name-${clip.id}`}>{baseName(path)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('dock.clips.columns.kind'),
      dataIndex: 'kind',
      width: 60,
      render: (kind: Clip['kind']) => (
        <Tag style={{ marginInlineEnd: 0 }}>{t(`dock.kinds.${kind}`)}</Tag>
      ),
    },
    {
      title: t('dock.clips.columns.recorded'),
      key: 'recorded',
      width: 262,
      render: (_: unknown, clip: Clip) => (
        <span style={{ fontVariantNumeric: 'tabular-nums', fontSize: 12 }}>
          <TimeWithSource iso={clip.recordedStart} source={clip.recordedStartSource} />
          <span style={{ margin: '0 4px' }}>→</span>
          <TimeWithSource
            iso={clip.recordedEnd}
            source={
              clip.recordedEndSource === clip.recordedStartSource ? null : clip.recordedEndSource
            }
            sameDayAs={clip.recordedStart}
          />
        </span>
      ),
    },
    {
      title: t('dock.clips.columns.duration'),
      dataIndex: 'durationMs',
      width: 62,
      align: 'right',
      render: (ms: number | null) => formatDuration(ms),
    },
    {
      title: t('dock.clips.columns.resolution'),
      key: 'resolution',
      width: 96,
      render: (_: unknown, clip: Clip) => (
        <span style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
          {formatResolution(clip.width, clip.height)}
        </span>
      ),
    },
    {
      title: t('dock.clips.columns.size'),
      dataIndex: 'size',
      width: 80,
      align: 'right',
      render: (size: number) => formatBytes(size),
    },
    {
      title: 'SHA-256',
      dataIndex: 'sha256',
      width: 140,
      render: (hash: string) => (
        <Typography.Text
          copyable={{ text: hash, tooltips: [t('dock.clips.copyHash'), t('dock.clips.copied')] }}
          style={{ fontFamily: 'monospace', fontSize: 12 }}
        >
          <span title={hash}>{abbreviateHash(hash)}</span>
        </Typography.Text>
      ),
    },
    {
      title: (
        <span style={{ whiteSpace: 'nowrap' }}>
          {t('dock.clips.columns.custody')} <RuleTag rule="D-24H" />
        </span>
      ),
      key: 'custody',
      width: 104,
      render: (_: unknown, clip: Clip) =>
        clip.lateCustody ? (
          <Tooltip
            title={t('dock.clips.lateTip', {
              end: formatLocalTime(clip.recordedEnd),
              custody: formatLocalTime(clip.custodyAt),
            })}
          >
            <Tag color="error" style={{ marginInlineEnd: 0 }} data-testid={`clip-late-${clip.id}`}>
              {t('dock.clips.late')}
            </Tag>
          </Tooltip>
        ) : (
          <Tooltip title={formatLocalTime(clip.custodyAt)}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatLocalTime(clip.custodyAt).slice(11, 16)}
            </Typography.Text>
          </Tooltip>
        ),
    },
  ];

  return (
    <Card
      size="small"
      data-testid="clip-list"
      title={
        <span>
          {title}
          <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontWeight: 400 }}>
            {t('dock.clips.count', { count: total })}
          </Typography.Text>
        </span>
      }
      extra={
        extra === undefined ? undefined : <div style={{ display: 'flex', gap: 8 }}>{extra}</div>
      }
      styles={{ body: { padding: 0 } }}
    >
      {loadError !== null && (
        <Alert type="error" showIcon title={loadError} style={{ margin: 8 }} />
      )}
      <Table<Clip>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={clips}
        loading={loading && clips.length === 0}
        tableLayout="fixed"
        locale={{ emptyText: t('dock.clips.empty') }}
        data-testid="clip-table"
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total,
          hideOnSinglePage: true,
          showSizeChanger: false,
          size: 'small',
          onChange: setPage,
          style: { marginInline: 12 },
        }}
      />
    </Card>
  );
}
