import { Button, Card, Segmented, Space, Table, Tag, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DiscRecord } from '../../../src-main/contract';
import { formatLocalTime } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';
import { UNKNOWN } from '../../shared/format';
import { DiscStateTag } from './CopyStateTag';
import { checkDue, copyText } from './discFormat';

export type RegisterFilter = 'all' | 'due';

/**
 * The disc register (D-LONGTERM, D-SUPERVISION): every burn with its state, who burned it and
 * when, when it is next due for a re-check (red once due), and where it is kept. A row opens the
 * disc; custodians re-check a disc in a drive from here.
 */
export function DiscRegister({
  discs,
  loading,
  filter,
  now,
  mayManage,
  onFilter,
  onOpen,
  onRecheck,
}: {
  discs: DiscRecord[];
  loading: boolean;
  filter: RegisterFilter;
  now: number;
  mayManage: boolean;
  onFilter: (filter: RegisterFilter) => void;
  onOpen: (disc: DiscRecord) => void;
  onRecheck: () => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();

  const columns: TableColumnsType<DiscRecord> = [
    {
      title: t('discs.register.volumeId'),
      dataIndex: 'volumeId',
      render: (volumeId: string) => (
        <Typography.Text code style={{ fontSize: 12 }}>
          {volumeId}
        </Typography.Text>
      ),
    },
    { title: t('discs.register.set'), dataIndex: 'setTag', width: 130 },
    {
      title: t('discs.register.disc'),
      key: 'n',
      width: 70,
      render: (_: unknown, disc: DiscRecord) => t('discs.nOf', { n: disc.n, of: disc.of }),
    },
    {
      title: t('discs.register.copy'),
      key: 'copy',
      width: 80,
      render: (_: unknown, disc: DiscRecord) =>
        disc.copy === 1 ? (
          copyText(t, disc.copy)
        ) : (
          <Tag color="purple" style={{ marginInlineEnd: 0 }}>
            {copyText(t, disc.copy)}
          </Tag>
        ),
    },
    {
      title: t('discs.register.state'),
      key: 'state',
      width: 90,
      render: (_: unknown, disc: DiscRecord) => <DiscStateTag disc={disc} />,
    },
    {
      title: t('discs.register.burned'),
      key: 'burned',
      width: 170,
      render: (_: unknown, disc: DiscRecord) => (
        <Space orientation="vertical" size={0}>
          <span>{formatLocalTime(disc.finishedAt ?? disc.startedAt)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {disc.burnedBy}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: (
        <Space size={4}>
          {t('discs.register.nextCheck')}
          <RuleTag rule="D-LONGTERM" />
        </Space>
      ),
      key: 'next',
      width: 160,
      render: (_: unknown, disc: DiscRecord) =>
        disc.nextCheckDue === null ? (
          UNKNOWN
        ) : (
          <span
            style={
              checkDue(disc.nextCheckDue, now)
                ? { color: token.colorError, fontWeight: 600 }
                : undefined
            }
          >
            {formatLocalTime(disc.nextCheckDue).slice(0, 10)}
          </span>
        ),
    },
    {
      title: t('discs.register.location'),
      dataIndex: 'location',
      width: 140,
      render: (location: string | null) => location ?? UNKNOWN,
    },
  ];

  return (
    <Card
      size="small"
      data-testid="disc-register"
      title={
        <Space>
          {t('discs.register.title')}
          <RuleTag rule="D-LONGTERM" />
        </Space>
      }
      extra={
        <Space>
          <Segmented<RegisterFilter>
            size="small"
            value={filter}
            onChange={onFilter}
            options={[
              { value: 'all', label: t('discs.register.all') },
              { value: 'due', label: t('discs.register.dueOnly') },
            ]}
          />
          {mayManage && (
            <Button
              size="small"
              icon={<SafetyCertificateOutlined />}
              onClick={onRecheck}
              data-testid="register-recheck"
            >
              {t('discs.register.recheck')}
            </Button>
          )}
        </Space>
      }
      styles={{ body: { padding: 0 } }}
    >
      <Table<DiscRecord>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={discs}
        loading={loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true, size: 'small' }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('discs.register.empty') }}
        onRow={(disc) => ({
          onClick: () => onOpen(disc),
          style: { cursor: 'pointer' },
          'data-state': disc.state,
        })}
        data-testid="disc-register-table"
      />
    </Card>
  );
}
