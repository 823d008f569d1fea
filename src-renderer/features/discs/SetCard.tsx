import { Button, Card, Descriptions, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { DiscSet } from '../../../src-main/contract';
import { formatLocalTime } from '../../i18n/format';
import { formatBytes } from '../../shared/format';
import { CopyStateTag } from './CopyStateTag';
import {
  copyState,
  copyText,
  jobOf,
  mediumText,
  needsBurn,
  remainingJobs,
  type BurnJob,
} from './discFormat';

type PlannedDisc = DiscSet['discs'][number];

function selectionText(t: TFunction, set: DiscSet): string {
  const { selection } = set;
  if (selection.kind === 'case') return t('discs.sets.byCase', { number: selection.caseNumber });
  if (selection.kind === 'clips') {
    return t('discs.sets.byClips', { count: selection.clipIds.length });
  }
  return t('discs.sets.byPending');
}

/**
 * One planned set: each disc (n of m) with what it holds and the volume id of each copy, and each
 * copy's latest burn in colour. Custodians burn a copy, or every copy still to burn in turn.
 */
export function SetCard({
  set,
  mayBurn,
  burnable,
  running,
  onBurn,
}: {
  set: DiscSet;
  /** The custodian may burn (disc.manage). */
  mayBurn: boolean;
  /** Nothing stands in the way now: a drive is given and no burn is under way. */
  burnable: boolean;
  running: BurnJob | null;
  onBurn: (jobs: BurnJob[]) => void;
}) {
  const { t } = useTranslation();
  const remaining = remainingJobs(set);
  const whyNot = burnable ? undefined : t('discs.sets.needDrive');

  const copyColumns: TableColumnsType<PlannedDisc> = Array.from({ length: set.copies }, (_, k) => ({
    title: copyText(t, k + 1),
    key: `copy-${k + 1}`,
    width: 230,
    render: (_: unknown, disc: PlannedDisc) => {
      const record = disc.copies[k] ?? null;
      const here =
        running !== null &&
        running.setId === set.id &&
        running.n === disc.n &&
        running.copy === k + 1;
      const state = here ? 'burning' : copyState(record);
      return (
        <Space
          orientation="vertical"
          size={2}
          data-testid={`disc-copy-${set.id}-${disc.n}-${k + 1}`}
          data-state={state}
        >
          <Typography.Text code style={{ fontSize: 12 }}>
            {disc.volumeIds[k]}
          </Typography.Text>
          <Space size={6}>
            <CopyStateTag state={state} />
            {mayBurn && !here && needsBurn(record) && (
              <Tooltip title={whyNot}>
                <Button
                  size="small"
                  disabled={!burnable}
                  onClick={() => onBurn([jobOf(set, disc.n, k + 1)])}
                  data-testid={`burn-${set.id}-${disc.n}-${k + 1}`}
                >
                  {t('discs.sets.burn')}
                </Button>
              </Tooltip>
            )}
          </Space>
          {record !== null && record.finishedAt !== null && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('discs.sets.burnedAt', {
                at: formatLocalTime(record.finishedAt),
                by: record.burnedBy,
              })}
            </Typography.Text>
          )}
        </Space>
      );
    },
  }));

  const columns: TableColumnsType<PlannedDisc> = [
    {
      title: t('discs.sets.disc'),
      key: 'n',
      width: 80,
      render: (_: unknown, disc: PlannedDisc) =>
        t('discs.nOf', { n: disc.n, of: set.discs.length }),
    },
    { title: t('discs.sets.clips'), dataIndex: 'clips', width: 80, align: 'right' },
    {
      title: t('discs.sets.size'),
      dataIndex: 'bytes',
      width: 100,
      align: 'right',
      render: (bytes: number) => formatBytes(bytes),
    },
    {
      title: t('discs.sets.cases'),
      key: 'cases',
      render: (_: unknown, disc: PlannedDisc) =>
        disc.caseNumbers.length === 0 ? (
          <Typography.Text type="secondary">{t('discs.noCase')}</Typography.Text>
        ) : (
          <Space size={4} wrap>
            {disc.caseNumbers.map((number) => (
              <Tag key={number}>{number}</Tag>
            ))}
          </Space>
        ),
    },
    ...copyColumns,
  ];

  return (
    <Card
      size="small"
      type="inner"
      data-testid={`disc-set-${set.tag}`}
      data-set-id={set.id}
      title={
        <Space wrap>
          <span>{t('discs.sets.setTitle', { tag: set.tag })}</span>
          <Tag color="blue">{mediumText(t, set.medium, set.mediumBytes)}</Tag>
          {set.complete ? (
            <Tag color="success">{t('discs.sets.complete')}</Tag>
          ) : (
            <Tag color="warning">{t('discs.sets.toBurn', { count: remaining.length })}</Tag>
          )}
        </Space>
      }
      extra={
        mayBurn &&
        remaining.length > 0 && (
          <Tooltip title={whyNot}>
            <Button
              type="primary"
              size="small"
              disabled={!burnable}
              onClick={() => onBurn(remaining)}
              data-testid={`burn-all-${set.id}`}
            >
              {t('discs.sets.burnAll', { count: remaining.length })}
            </Button>
          </Tooltip>
        )
      }
    >
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Descriptions
          size="small"
          column={3}
          items={[
            { key: 'what', label: t('discs.sets.selection'), children: selectionText(t, set) },
            {
              key: 'shape',
              label: t('discs.sets.shape'),
              children: t('discs.sets.shapeValue', {
                discs: set.discs.length,
                copies: set.copies,
                percent: set.par2Percent,
              }),
            },
            {
              key: 'planned',
              label: t('discs.sets.planned'),
              children: `${set.plannedBy} · ${formatLocalTime(set.plannedAt)}`,
            },
          ]}
        />
        <Table<PlannedDisc>
          size="small"
          rowKey="n"
          columns={columns}
          dataSource={set.discs}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Space>
    </Card>
  );
}
