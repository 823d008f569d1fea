import { Card, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../src-main/contract';
import { auditActionLabel, formatLocalTime } from '../../i18n/format';

const isSimple = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * A short line for an audit entry's details: its simple values, key = value, and what a change
 * made of each field (`closedAt: — → 2026-…`) where the entry says before and after.
 */
function detailsLine(details: Record<string, unknown>): string {
  const { before, after, enteredTime: _entered, ...rest } = details;
  const was = asRecord(before);
  const changed = Object.entries(asRecord(after))
    .filter(([k, v]) => was[k] !== v && (v === null || isSimple(v)))
    .map(([k, v]) => `${k}: ${String(was[k] ?? '—')} → ${String(v ?? '—')}`);
  const simple = Object.entries(rest)
    .filter(([, v]) => v !== null && isSimple(v))
    .map(([k, v]) => `${k}=${String(v)}`);
  return [...changed, ...simple].join(' · ');
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
          {/* A time a person typed rather than the station's clock: what a supervisor checks. */}
          {entry.details['enteredTime'] === true && ` ${t('cases.enteredTime')}`}
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
