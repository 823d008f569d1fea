import { useCallback, useState } from 'react';
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Input,
  Segmented,
  Space,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { type Case, CASE_STATUSES, roleHasPermission, type User } from '../../../src-main/contract';
import { navigate } from '../../shared/routes';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { failureText, formatLocalTime } from '../../i18n/format';
import { KindTag } from '../../shared/filing/FilingTags';
import { NewCaseModal } from '../../shared/filing/NewCaseModal';
import { useFilingPolicy } from '../../shared/filing/useFilingPolicy';
import { CaseFlags, CaseStatusTag } from './CaseTags';
import { CaseView } from './CaseView';

const PAGE_SIZE = 50;
type StatusFilter = 'all' | (typeof CASE_STATUSES)[number];

/**
 * Enforcement cases (`cases.list`): search by number or title, filter by status; a case opens
 * in its own view (`#/cases/<number>`).
 */
export function CasesScreen({
  currentUser,
  caseNumber,
}: {
  currentUser: User;
  caseNumber: string | null;
}) {
  if (caseNumber !== null) return <CaseView currentUser={currentUser} number={caseNumber} />;
  return <CaseList currentUser={currentUser} />;
}

function CaseList({ currentUser }: { currentUser: User }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const policy = useFilingPolicy(currentUser.role);
  const canCreate = roleHasPermission(currentUser.role, 'cases.create');
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const load = useCallback(
    (signal: AbortSignal) =>
      client.call(
        'cases.list',
        {
          ...(status === 'all' ? {} : { status }),
          ...(query === '' ? {} : { text: query }),
          limit: PAGE_SIZE,
          offset: (page - 1) * PAGE_SIZE,
        },
        { signal },
      ),
    [client, status, query, page],
  );
  const { data, loading, error, reload } = useStationData(load);
  const cases = data?.cases ?? [];
  const total = data?.total ?? 0;
  const loadError = failureText(t, error);

  const columns: TableColumnsType<Case> = [
    {
      title: t('cases.fields.number'),
      dataIndex: 'number',
      width: 200,
      render: (number: string) => (
        <Typography.Link
          strong
          onClick={() => navigate('cases', number)}
          data-testid={`case-link-${number}`}
        >
          {number}
        </Typography.Link>
      ),
    },
    { title: t('cases.fields.title'), dataIndex: 'title', ellipsis: true, width: 'auto' },
    {
      title: t('cases.fields.kind'),
      dataIndex: 'kind',
      width: 90,
      render: (kind: Case['kind']) => <KindTag kind={kind} />,
    },
    {
      title: t('cases.fields.status'),
      dataIndex: 'status',
      width: 80,
      render: (value: Case['status']) => <CaseStatusTag status={value} />,
    },
    {
      title: t('cases.fields.openedAt'),
      dataIndex: 'openedAt',
      width: 140,
      render: (at: string) => formatLocalTime(at).slice(0, 16),
    },
    {
      title: t('cases.fields.handlingOfficer'),
      dataIndex: 'handlingOfficer',
      width: 90,
      render: (badge: string | null) => badge ?? '—',
    },
    {
      title: t('cases.fields.clips'),
      dataIndex: 'clips',
      width: 80,
      align: 'right',
    },
    {
      title: t('cases.fields.archiveBy'),
      dataIndex: 'archiveBy',
      width: 100,
      render: (at: string | null) => (at === null ? '—' : formatLocalTime(at).slice(0, 10)),
    },
    {
      title: t('cases.fields.flags'),
      key: 'flags',
      width: 150,
      render: (_: unknown, value: Case) => <CaseFlags value={value} />,
    },
  ];

  return (
    <Card
      size="small"
      data-testid="cases-screen"
      title={
        <span>
          {t('cases.title')}
          <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontWeight: 400 }}>
            {t('label.count', { count: total })}
          </Typography.Text>
        </span>
      }
      extra={
        <Space>
          <Input.Search
            value={text}
            onChange={(event) => setText(event.target.value)}
            onSearch={(value) => {
              setQuery(value.trim());
              setPage(1);
            }}
            allowClear
            placeholder={t('cases.searchPlaceholder')}
            style={{ width: 260 }}
            data-testid="cases-search"
          />
          <Segmented<StatusFilter>
            value={status}
            onChange={(value) => {
              setStatus(value);
              setPage(1);
            }}
            options={[
              { value: 'all', label: t('cases.status.all') },
              ...CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.status.${s}`) })),
            ]}
          />
          <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading}>
            {t('common.refresh')}
          </Button>
          {canCreate && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="cases-new"
            >
              {t('cases.new')}
            </Button>
          )}
        </Space>
      }
    >
      {loadError !== null && (
        <Alert type="error" showIcon title={loadError} style={{ marginBottom: 12 }} />
      )}
      <Table<Case>
        size="small"
        rowKey="number"
        columns={columns}
        dataSource={cases}
        loading={loading && cases.length === 0}
        locale={{ emptyText: t('cases.empty') }}
        onRow={(value) => ({
          onClick: () => navigate('cases', value.number),
          style: { cursor: 'pointer' },
        })}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total,
          hideOnSinglePage: true,
          showSizeChanger: false,
          onChange: setPage,
        }}
        data-testid="cases-table"
      />
      <NewCaseModal
        open={creating}
        prefill={null}
        currentUser={currentUser}
        policy={policy}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          void message.success(t('cases.created', { number: created.number }));
          navigate('cases', created.number);
        }}
      />
    </Card>
  );
}
