import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Space, Table, Tag, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Lookalike, RecorderFact } from '../../../src-main/contract';
import { failureText, formatLocalTime } from '../../i18n/format';
import { LookalikeFacts } from '../../shared/recorders/LookalikeFacts';
import {
  LookalikeDecisionModal,
  type LookalikeDecision,
} from '../../shared/recorders/LookalikeDecisionModal';
import { RuleTag } from '../../shared/RuleTag';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';

/**
 * Volumes held for carrying a registered recorder's serial without its device's facts
 * (D-WHO-RECORDS): what differs, and for custodians the decision. Shown only while any are held;
 * it looks again whenever what is docked changes.
 */
export function HeldLookalikes({
  canDecide,
  onDecided,
}: {
  canDecide: boolean;
  onDecided: () => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { client } = useStation();
  const [deciding, setDeciding] = useState<LookalikeDecision | null>(null);
  const load = useCallback(
    async () => (await client.call('recorders.lookalikes', {})).lookalikes,
    [client],
  );
  const { data, error, reload } = useStationData(load);
  useEffect(() => client.on('dock.volumes', () => void reload()), [client, reload]);
  const lookalikes: Lookalike[] = data ?? [];
  const loadError = failureText(t, error);
  if (lookalikes.length === 0 && loadError === null) return null;

  const columns: TableColumnsType<Lookalike> = [
    {
      title: t('recorders.lookalikes.recorder'),
      dataIndex: 'recorderSerial',
      width: 160,
      render: (serial: string) => <Typography.Text code>{serial}</Typography.Text>,
    },
    {
      title: t('recorders.lookalikes.officer'),
      key: 'officer',
      width: 170,
      render: (_: unknown, l: Lookalike) =>
        l.officerBadge === null ? (
          <Typography.Text type="secondary">{t('recorders.noOfficer')}</Typography.Text>
        ) : (
          <Space size={6}>
            {l.officerName ?? ''}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {l.officerBadge}
            </Typography.Text>
          </Space>
        ),
    },
    {
      title: t('recorders.lookalikes.seenAt'),
      dataIndex: 'seenAt',
      width: 170,
      render: (at: string) => formatLocalTime(at),
    },
    {
      title: t('recorders.lookalikes.differs'),
      dataIndex: 'differs',
      render: (differs: RecorderFact[], l: Lookalike) => (
        <Space size={[4, 4]} wrap>
          {differs.map((fact) => (
            <Tag key={fact} color="error">
              {t(`recorders.facts.${fact}`)}
            </Tag>
          ))}
          <Tag color={l.docked ? 'warning' : undefined}>
            {t(l.docked ? 'recorders.lookalikes.docked' : 'recorders.lookalikes.undocked')}
          </Tag>
        </Space>
      ),
    },
    ...(canDecide
      ? [
          {
            title: '',
            key: 'decide',
            width: 220,
            render: (_: unknown, l: Lookalike) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  onClick={() => setDeciding({ lookalike: l, decision: 'confirm' })}
                  data-testid={`lookalike-confirm-${l.id}`}
                >
                  {t('recorders.lookalikes.confirm')}
                </Button>
                <Button
                  size="small"
                  danger
                  onClick={() => setDeciding({ lookalike: l, decision: 'refuse' })}
                  data-testid={`lookalike-refuse-${l.id}`}
                >
                  {t('recorders.lookalikes.refuse')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="held-lookalikes"
      title={
        <span style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          <WarningFilled style={{ color: token.colorError }} />
          <span style={{ flex: 1 }}>{t('recorders.lookalikes.title')}</span>
          <RuleTag rule="D-WHO-RECORDS" />
        </span>
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('recorders.lookalikes.intro')}
      </Typography.Paragraph>
      {loadError !== null && (
        <Alert type="error" showIcon title={loadError} style={{ marginBottom: 12 }} />
      )}
      <Table<Lookalike>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={lookalikes}
        pagination={false}
        locale={{ emptyText: t('recorders.lookalikes.empty') }}
        expandable={{ expandedRowRender: (l) => <LookalikeFacts lookalike={l} /> }}
      />
      <LookalikeDecisionModal
        decision={deciding}
        onClose={() => setDeciding(null)}
        onDecided={() => {
          void reload();
          onDecided();
        }}
      />
    </Card>
  );
}
