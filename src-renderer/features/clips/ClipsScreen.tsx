import { useCallback, useState } from 'react';
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType, TablePaginationConfig } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { EditOutlined, PlayCircleOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ENFORCEMENT_KINDS, STAGES } from '../../../src-main/contract/filing';
import type { FiledClip } from '../../../src-main/contract/filing-methods';
import { roleHasPermission } from '../../../src-main/contract/roles';
import type { User } from '../../../src-main/contract/types';
import { navigate } from '../../shared/routes';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { errorText, formatLocalTime } from '../../i18n/format';
import { ClipThumbnail, THUMB_WIDTH } from '../../shared/clips/ClipThumbnail';
import { baseName, formatDuration } from '../../shared/format';
import { ThumbnailCache } from '../../shared/clips/thumbnailCache';
import {
  ConfidentialityTag,
  KindTag,
  LabelStatusTag,
  RetentionTag,
  StageTag,
} from '../../shared/filing/FilingTags';
import { LabelModal } from './LabelModal';
import { PlayClipModal } from '../../shared/clips/PlayClipModal';
import { RecordedSpan } from '../../shared/clips/RecordedSpan';
import { ClipDrawer } from './ClipDrawer';
import { clipSearchFor, type ClipFilterValues, type ClipSort } from './clipFilters';
import { CustodyExceptionModal } from './CustodyExceptionModal';

interface FilterForm extends Omit<ClipFilterValues, 'from' | 'to'> {
  range?: [Dayjs | null, Dayjs | null] | null;
}

function toFilters(form: FilterForm): ClipFilterValues {
  const { range, ...rest } = form;
  return {
    ...rest,
    from: range?.[0]?.toISOString() ?? null,
    to: range?.[1]?.toISOString() ?? null,
  };
}

/**
 * The archive's clips (`clips.search`): custodians and supervisors search all of them, officers
 * their own (D-NO-LEAK). Filter, sort, page; open a clip for its label, findings, retention and
 * custody; label from here (custodians) and record a D-24H custody exception.
 */
export function ClipsScreen({ currentUser }: { currentUser: User }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FilterForm>();
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
  const [cache] = useState(
    () => new ThumbnailCache((id) => client.call('clips.thumbnail', { id })),
  );

  const load = useCallback(
    () => client.call('clips.search', clipSearchFor(filters, sort, page, pageSize)),
    [client, filters, sort, page, pageSize],
  );
  const { data, loading, error, reload } = useStationData(load);
  const clips = data?.clips ?? [];
  const total = data?.total ?? 0;
  const loadError = error === null ? null : errorText(t, error);

  const changed = () => {
    setVersion((v) => v + 1);
    void reload();
  };

  const sortOrderOf = (key: ClipSort['sort']) =>
    sort.sort === key ? (sort.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null;

  const columns: TableColumnsType<FiledClip> = [
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
            setPlaying(clip);
          }}
        />
      ),
    },
  ];

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

  const kindOptions = ENFORCEMENT_KINDS.map((kind) => ({
    value: kind,
    label: t(`filing.kinds.${kind}`),
  }));
  const stageOptions = STAGES.map((stage) => ({
    value: stage,
    label: t(`filing.stages.${stage}`),
  }));

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="clips-screen">
      <Card size="small">
        <Form<FilterForm>
          form={form}
          layout="inline"
          onFinish={(values) => {
            setFilters(toFilters(values));
            setPage(1);
          }}
          data-testid="clips-filters"
          style={{ rowGap: 8 }}
        >
          {!isOfficer && (
            <Form.Item name="officerBadge">
              <Input
                placeholder={t('clips.filters.officer')}
                allowClear
                style={{ width: 120 }}
                data-testid="filter-officer"
              />
            </Form.Item>
          )}
          <Form.Item name="recorderSerial">
            <Input placeholder={t('clips.filters.recorder')} allowClear style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name="range">
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              allowEmpty={[true, true]}
              placeholder={[t('clips.filters.from'), t('clips.filters.to')]}
              style={{ width: 330 }}
            />
          </Form.Item>
          <Form.Item name="caseNumber">
            <Input
              placeholder={t('clips.filters.case')}
              allowClear
              style={{ width: 210 }}
              data-testid="filter-case"
            />
          </Form.Item>
          <Form.Item name="kind">
            <Select
              placeholder={t('filing.fields.kind')}
              allowClear
              options={kindOptions}
              style={{ width: 110 }}
            />
          </Form.Item>
          <Form.Item name="stage">
            <Select
              placeholder={t('filing.fields.stage')}
              allowClear
              options={stageOptions}
              style={{ width: 120 }}
            />
          </Form.Item>
          <Form.Item name="place">
            <Input placeholder={t('filing.fields.place')} allowClear style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="labelled">
            <Select
              placeholder={t('clips.filters.labelStatus')}
              allowClear
              style={{ width: 120 }}
              options={[
                { value: 'yes', label: t('filing.status.labelled') },
                { value: 'no', label: t('filing.status.unlabelled') },
              ]}
              data-testid="filter-labelled"
            />
          </Form.Item>
          <Form.Item name="text">
            <Input
              placeholder={t('clips.filters.text')}
              allowClear
              style={{ width: 180 }}
              prefix={<SearchOutlined />}
            />
          </Form.Item>
          <Form.Item name="lateCustody" valuePropName="checked">
            <Checkbox>{t('clips.filters.lateCustody')}</Checkbox>
          </Form.Item>
          <Form.Item name="hasFindings" valuePropName="checked">
            <Checkbox>{t('clips.filters.findings')}</Checkbox>
          </Form.Item>
          <Form.Item name="retentionDue" valuePropName="checked">
            <Checkbox>{t('clips.filters.retentionDue')}</Checkbox>
          </Form.Item>
          <Form.Item>
            <Space>
              <Button
                type="primary"
                htmlType="submit"
                icon={<SearchOutlined />}
                data-testid="clips-search"
              >
                {t('clips.filters.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setFilters({});
                  setPage(1);
                }}
              >
                {t('clips.filters.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
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
