import { Card, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../src-main/contract';
import { auditActionLabel, formatLocalTime } from '../../i18n/format';

/** A short line for an audit entry's details: its simple values, key = value. */
function detailsLine(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, v]) => v !== null && ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' · ');
}

/** What happened to a case, from the audit log. */
export function CaseHistory({ entries }: { entries: AuditEntry[] }) {
  const { t } = useTranslation();
  const historyColumns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.columns.time'),
      dataIndex: 'at',
      width: 170,
      render: (at: string) => formatLocalTime(at),
    },
    { title: t('audit.columns.actor'), dataIndex: 'actor', width: 100 },
    {
      title: t('audit.columns.action'),
      dataIndex: 'action',
      width: 180,
      render: (action: string) => auditActionLabel(t, action),
    },
    {
      title: t('audit.columns.details'),
      key: 'details',
      ellipsis: true,
      render: (_: unknown, entry: AuditEntry) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {detailsLine(entry.details)}
        </Typography.Text>
      ),
    },
  ];

  return (
    <Card size="small" title={t('cases.history')} styles={{ body: { padding: 0 } }}>
      <Table<AuditEntry>
        size="small"
        rowKey="seq"
        columns={historyColumns}
        dataSource={entries}
        pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
        locale={{ emptyText: t('audit.empty') }}
        data-testid="case-history"
      />
    </Card>
  );
}
