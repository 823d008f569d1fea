import { Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  RECORDER_FACTS,
  type Lookalike,
  type RecorderFact,
  type RecorderFacts,
} from '../../../src-main/contract';
import { formatBytes, hex4 } from '../format';

/** One fact as people read it: USB ids in hex, a capacity in bytes as a size. */
function factText(fact: RecorderFact, facts: RecorderFacts): string | null {
  const value = facts[fact];
  if (value === null) return null;
  if (fact === 'usbVendorId' || fact === 'usbProductId') return hex4(value as number);
  if (fact === 'capacity') return formatBytes(value as number);
  return String(value);
}

interface FactRow {
  fact: RecorderFact;
  bound: string | null;
  seen: string | null;
  differs: boolean;
}

/**
 * The device facts a held look-alike showed next to the ones its recorder is bound to, the
 * differing ones marked (D-WHO-RECORDS): what a custodian weighs before confirming or refusing.
 */
export function LookalikeFacts({ lookalike }: { lookalike: Lookalike }) {
  const { t } = useTranslation();
  const rows: FactRow[] = RECORDER_FACTS.map((fact) => ({
    fact,
    bound: factText(fact, lookalike.bound),
    seen: factText(fact, lookalike.seen),
    differs: lookalike.differs.includes(fact),
  })).filter((row) => row.differs || row.bound !== null || row.seen !== null);
  const cell = (text: string | null, differs: boolean) =>
    text === null ? (
      <Typography.Text type="secondary">{t('recorders.facts.none')}</Typography.Text>
    ) : (
      <Typography.Text
        code
        type={differs ? 'danger' : undefined}
        style={{ wordBreak: 'break-all' }}
      >
        {text}
      </Typography.Text>
    );
  const columns: TableColumnsType<FactRow> = [
    {
      title: t('recorders.facts.fact'),
      dataIndex: 'fact',
      width: 130,
      render: (fact: RecorderFact, row) => (
        <Typography.Text strong={row.differs}>{t(`recorders.facts.${fact}`)}</Typography.Text>
      ),
    },
    {
      title: t('recorders.facts.bound'),
      key: 'bound',
      render: (_: unknown, row) => cell(row.bound, false),
    },
    {
      title: t('recorders.facts.seen'),
      key: 'seen',
      render: (_: unknown, row) => cell(row.seen, row.differs),
    },
  ];
  return (
    <Table<FactRow>
      size="small"
      rowKey="fact"
      columns={columns}
      dataSource={rows}
      pagination={false}
      data-testid={`lookalike-facts-${lookalike.id}`}
    />
  );
}
