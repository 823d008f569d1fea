import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  AutoComplete,
  Badge,
  Button,
  Card,
  Form,
  Input,
  Space,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import {
  LeftOutlined,
  ReloadOutlined,
  RightOutlined,
  SearchOutlined,
  VerticalLeftOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  AUDIT_ACTIONS as KNOWN_AUDIT_ACTIONS,
  type AuditEntry,
  roleHasPermission,
  type User,
} from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { auditActionLabel, failureText, formatLocalTime } from '../../i18n/format';
import { ChainStatus } from './ChainStatus';
import { StationKeysPanel } from './StationKeysPanel';

const PAGE_SIZE = 50;

interface Filter {
  action?: string;
  actor?: string;
}

function cleanFilter(values: Filter): Filter {
  const action = values.action?.trim();
  const actor = values.actor?.trim();
  return {
    ...(action ? { action } : {}),
    ...(actor ? { actor } : {}),
  };
}

function matches(entry: AuditEntry, filter: Filter): boolean {
  return (
    (filter.action === undefined || entry.action === filter.action) &&
    (filter.actor === undefined || entry.actor === filter.actor)
  );
}

function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * The audit log (`audit.read`), newest first, paged backwards with `beforeSeq`.
 * New entries arrive live (`audit.appended`) while the newest page is shown.
 */
export function AuditScreen({ currentUser }: { currentUser: User }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const canVerify = roleHasPermission(currentUser.role, 'audit.verify');
  const [form] = Form.useForm<Filter>();
  const [filter, setFilter] = useState<Filter>({});
  /** beforeSeq of each page from the newest; the last one is the page shown. */
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [missed, setMissed] = useState(0);
  const beforeSeq = cursors[cursors.length - 1];
  const onNewestPage = cursors.length === 1;

  const load = useCallback(
    (signal: AbortSignal) =>
      client.call(
        'audit.list',
        {
          limit: PAGE_SIZE,
          ...(beforeSeq !== undefined ? { beforeSeq } : {}),
          ...filter,
        },
        { signal },
      ),
    [client, beforeSeq, filter],
  );
  const { data, loading, error, reload, setData } = useStationData(load);
  const entries = data?.entries ?? [];
  const total = data?.total ?? 0;
  const loadError = failureText(t, error);

  useEffect(
    () =>
      client.on('audit.appended', ({ entry }) => {
        if (!matches(entry, filter)) return;
        if (!onNewestPage) {
          setMissed((n) => n + 1);
          return;
        }
        setData((current) =>
          current === null
            ? current
            : {
                entries: current.entries.some((e) => e.seq === entry.seq)
                  ? current.entries
                  : [entry, ...current.entries].sort((a, b) => b.seq - a.seq).slice(0, PAGE_SIZE),
                total: current.total + 1,
              },
        );
      }),
    [client, filter, onNewestPage, setData],
  );

  const applyFilter = (values: Filter) => {
    setFilter(cleanFilter(values));
    setCursors([undefined]);
    setMissed(0);
  };

  const newest = () => {
    setCursors([undefined]);
    setMissed(0);
  };
  const newer = () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c));
  const oldest = entries[entries.length - 1];
  const hasOlder = entries.length === PAGE_SIZE && oldest !== undefined && oldest.seq > 1;
  const older = () => {
    if (oldest !== undefined) setCursors((c) => [...c, oldest.seq]);
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.columns.seq'), dataIndex: 'seq', width: 72, align: 'right' },
    {
      title: t('audit.columns.time'),
      dataIndex: 'at',
      width: 168,
      render: (at: string) => formatLocalTime(at),
    },
    {
      title: t('audit.columns.actor'),
      dataIndex: 'actor',
      width: 120,
      ellipsis: true,
      render: (actor: string) =>
        actor === 'station' ? (
          <Typography.Text type="secondary">{t('audit.stationActor')}</Typography.Text>
        ) : (
          actor
        ),
    },
    {
      title: t('audit.columns.action'),
      dataIndex: 'action',
      width: 190,
      ellipsis: true,
      render: (action: string) => (
        <span title={action} data-action={action}>
          {auditActionLabel(t, action)}
        </span>
      ),
    },
    {
      title: t('audit.columns.subject'),
      dataIndex: 'subject',
      width: 150,
      ellipsis: true,
    },
    {
      title: t('audit.columns.details'),
      dataIndex: 'details',
      ellipsis: true,
      render: (details: AuditEntry['details']) => (
        <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
          {Object.keys(details).length === 0 ? '—' : compactJson(details)}
        </Typography.Text>
      ),
    },
  ];

  const actionOptions = KNOWN_AUDIT_ACTIONS.map((action) => ({
    value: action,
    label: (
      <Space>
        {auditActionLabel(t, action)}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {action}
        </Typography.Text>
      </Space>
    ),
  }));

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="audit-screen">
      {canVerify && <ChainStatus />}
      {canVerify && <StationKeysPanel />}
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="audit-tamper-note">
        {t('audit.tamperNote')}
      </Typography.Text>
      <Card size="small">
        <Form<Filter>
          form={form}
          layout="inline"
          onFinish={applyFilter}
          style={{ rowGap: 8, marginBottom: 12 }}
        >
          <Form.Item name="action" label={t('audit.columns.action')}>
            <AutoComplete
              options={actionOptions}
              allowClear
              popupMatchSelectWidth={340}
              style={{ width: 220 }}
              placeholder={t('audit.filter.actionPlaceholder')}
              data-testid="audit-filter-action"
            />
          </Form.Item>
          <Form.Item name="actor" label={t('audit.columns.actor')}>
            <Input
              allowClear
              style={{ width: 160 }}
              placeholder={t('audit.filter.actorPlaceholder')}
              data-testid="audit-filter-actor"
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('audit.filter.apply')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  applyFilter({});
                }}
              >
                {t('audit.filter.reset')}
              </Button>
            </Space>
          </Form.Item>
          <div style={{ flex: 1 }} />
          <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading}>
            {t('common.refresh')}
          </Button>
        </Form>
        {loadError !== null && (
          <Alert type="error" showIcon title={loadError} style={{ marginBottom: 12 }} />
        )}
        <Table<AuditEntry>
          size="small"
          rowKey="seq"
          columns={columns}
          dataSource={entries}
          loading={loading}
          pagination={false}
          scroll={{ y: 'calc(100vh - 370px)' }}
          data-testid="audit-table"
          locale={{ emptyText: t('audit.empty') }}
          expandable={{
            expandedRowRender: (entry) => (
              <div style={{ fontSize: 12 }}>
                <pre
                  style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
                  data-testid={`audit-details-${entry.seq}`}
                >
                  {JSON.stringify(entry.details, null, 2)}
                </pre>
                <Typography.Text type="secondary" style={{ fontSize: 11, fontFamily: 'monospace' }}>
                  {t('audit.hashes', { hash: entry.hash, prevHash: entry.prevHash })}
                </Typography.Text>
              </div>
            ),
          }}
        />
        <div
          style={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            marginTop: 12,
          }}
        >
          <Typography.Text type="secondary" data-testid="audit-total">
            {t('audit.pageInfo', { page: cursors.length, count: total })}
          </Typography.Text>
          <Space>
            <Badge count={missed} size="small">
              <Button
                icon={<VerticalLeftOutlined rotate={90} />}
                disabled={onNewestPage}
                onClick={newest}
              >
                {t('audit.page.newest')}
              </Button>
            </Badge>
            <Button icon={<LeftOutlined />} disabled={onNewestPage} onClick={newer}>
              {t('audit.page.newer')}
            </Button>
            <Button
              disabled={!hasOlder}
              onClick={older}
              data-testid="audit-older"
              icon={<RightOutlined />}
              iconPlacement="end"
            >
              {t('audit.page.older')}
            </Button>
          </Space>
        </div>
      </Card>
    </Space>
  );
}
