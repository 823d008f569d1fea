import { useCallback, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Space, Table, Tooltip, Typography } from 'antd';
import type { TablePaginationConfig } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { type FiledClip, roleHasPermission, type User } from '../../../src-main/contract';
import { failureText } from '../../i18n/format';
import { PlayClipModal } from '../../shared/clips/PlayClipModal';
import { useThumbnailCache } from '../../shared/clips/thumbnailCache';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { ClipDrawer } from './ClipDrawer';
import { clipColumns } from './clipColumns';
import { ClipFilterForm } from './ClipFilterForm';
import { clipSearchFor, type ClipFilterValues, type ClipSort } from './clipFilters';
import { CustodyExceptionModal } from './CustodyExceptionModal';
import { LabelModal } from './LabelModal';

/**
 * The archive's clips (`clips.search`): custodians and supervisors search all of them, officers
 * their own (D-NO-LEAK). Filter, sort, page; open a clip for its label, findings, retention and
 * custody; label from here (custodians) and record a D-24H custody exception.
 */
export function ClipsScreen({ currentUser }: { currentUser: User }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const canLabel = roleHasPermission(currentUser.role, 'clips.label');
  const isOfficer = currentUser.role === 'officer';
  const [filters, setFilters] = useState<ClipFilterValues>({});
  const [sort, setSort] = useState<ClipSort>({ sort: 'recorded', order: 'desc' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [selected, setSelected] = useState<number[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [playing, setPlaying] = useState<FiledClip | null>(null);
  const [labelling, setLabelling] = useState<{ ids: number[]; clip: FiledClip | null } | null>(
    null,
  );
  const [excepting, setExcepting] = useState<number[] | null>(null);
  const cache = useThumbnailCache();

  const load = useCallback(
    // A search the officer has moved on from is taken back: the station stops it.
    (signal: AbortSignal) =>
      client.call('clips.search', clipSearchFor(filters, sort, page, pageSize), { signal }),
    [client, filters, sort, page, pageSize],
  );
  const { data, loading, error, reload } = useStationData(load);
  const clips = data?.clips ?? [];
  const total = data?.total ?? 0;
  const loadError = failureText(t, error);

  const changed = () => {
    setVersion((v) => v + 1);
    void reload();
  };

  const columns = clipColumns(t, {
    cache,
    isOfficer,
    sort,
    onPlay: setPlaying,
  });

  const onTableChange = (
    pagination: TablePaginationConfig,
    _filters: unknown,
    sorter: SorterResult<FiledClip> | SorterResult<FiledClip>[],
  ) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = one?.columnKey === 'custody' ? 'custody' : 'recorded';
    const order = one?.order === 'ascend' ? 'asc' : 'desc';
    if (key !== sort.sort || order !== sort.order) {
      setSort({ sort: key, order });
      setPage(1);
      return;
    }
    setPage(pagination.current ?? 1);
    if (pagination.pageSize !== undefined && pagination.pageSize !== pageSize) {
      setPageSize(pagination.pageSize);
      setPage(1);
    }
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="clips-screen">
      <ClipFilterForm
        isOfficer={isOfficer}
        onSearch={(next) => {
          setFilters(next);
          setPage(1);
        }}
      />
      <Card
        size="small"
        title={
          <span>
            {isOfficer ? t('clips.titleOwn') : t('clips.title')}
            <Typography.Text
              type="secondary"
              style={{ marginInlineStart: 8, fontWeight: 400 }}
              data-testid="clips-total"
            >
              {t('label.count', { count: total })}
            </Typography.Text>
          </span>
        }
        extra={
          canLabel && (
            <Space>
              <Tooltip title={selected.length === 0 ? t('clips.selectFirst') : undefined}>
                <Button
                  icon={<EditOutlined />}
                  disabled={selected.length === 0}
                  onClick={() => setLabelling({ ids: selected, clip: null })}
                  data-testid="clips-label-selected"
                >
                  {t('clips.labelSelected', { count: selected.length })}
                </Button>
              </Tooltip>
              <Button disabled={selected.length === 0} onClick={() => setExcepting(selected)}>
                {t('clips.exception.record')}
              </Button>
            </Space>
          )
        }
        styles={{ body: { padding: 0 } }}
      >
        {loadError !== null && (
          <Alert type="error" showIcon title={loadError} style={{ margin: 8 }} />
        )}
        <Table<FiledClip>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={clips}
          loading={loading}
          tableLayout="fixed"
          locale={{ emptyText: t('clips.empty') }}
          onChange={onTableChange}
          rowSelection={
            canLabel
              ? {
                  selectedRowKeys: selected,
                  columnWidth: 36,
                  onChange: (keys) => setSelected(keys.map(Number)),
                }
              : undefined
          }
          onRow={(clip) => ({ onClick: () => setOpen(clip.id), style: { cursor: 'pointer' } })}
          pagination={{
            current: page,
            pageSize,
            total,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            size: 'small',
            showTotal: (count) => t('label.count', { count }),
            style: { marginInline: 12 },
          }}
          data-testid="clips-table"
        />
      </Card>
      <ClipDrawer
        clipId={open}
        version={version}
        canLabel={canLabel}
        onClose={() => setOpen(null)}
        onPlay={setPlaying}
        onLabel={(clip) => setLabelling({ ids: [clip.id], clip })}
        onException={(clip) => setExcepting([clip.id])}
      />
      <PlayClipModal clip={playing} onClose={() => setPlaying(null)} />
      <LabelModal
        clipIds={labelling?.ids ?? null}
        label={labelling?.clip?.filing.label ?? null}
        currentUser={currentUser}
        onClose={() => setLabelling(null)}
        onApplied={(result) => {
          setLabelling(null);
          setSelected([]);
          void message.success(t('label.applied', { count: result.updated }));
          changed();
        }}
      />
      <CustodyExceptionModal
        clipIds={excepting}
        onClose={() => setExcepting(null)}
        onRecorded={(stillLate) => {
          setExcepting(null);
          void message.success(
            stillLate === 0
              ? t('clips.exception.saved')
              : t('clips.exception.savedStillLate', { count: stillLate }),
          );
          changed();
        }}
      />
    </div>
  );
}
