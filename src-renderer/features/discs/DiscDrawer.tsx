import { useCallback, useState } from 'react';
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Space,
  Spin,
  Timeline,
  Typography,
} from 'antd';
import { PrinterOutlined, SafetyCertificateOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../../src-main/contract';
import { errorText, failureText, formatLocalTime } from '../../i18n/format';
import { downloadFile } from '../../shared/delivery';
import { abbreviateHash, formatBytes, UNKNOWN } from '../../shared/format';
import { RuleTag } from '../../shared/RuleTag';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { DiscStateTag } from './CopyStateTag';
import { PassResults } from './PassResults';
import { copyText, mediumText } from './discFormat';

type DiscDetail = MethodOutput<'disc.get'>;
type Check = DiscDetail['checks'][number];

/** The checks of one occasion: a burn's passes, or one re-check's, by who and when. */
interface CheckRound {
  key: string;
  occasion: Check['occasion'];
  checkedBy: string;
  checkedAt: string;
  passes: Check[];
}

function roundsOf(checks: readonly Check[]): CheckRound[] {
  const rounds = new Map<string, CheckRound>();
  for (const check of checks) {
    const key = `${check.occasion}|${check.checkedAt}|${check.checkedBy}`;
    const round = rounds.get(key) ?? {
      key,
      occasion: check.occasion,
      checkedBy: check.checkedBy,
      checkedAt: check.checkedAt,
      passes: [],
    };
    round.passes.push(check);
    rounds.set(key, round);
  }
  return [...rounds.values()].sort((a, b) => a.checkedAt.localeCompare(b.checkedAt));
}

/**
 * One disc of the register (`disc.get`): what it is and holds, how it was burned, each check pass
 * by pass — at the burn and at every re-check — and each handover. Custodians record a handover,
 * print its label and re-check it from here.
 */
export function DiscDrawer({
  discId,
  version,
  mayManage,
  onClose,
  onHandover,
  onRecheck,
}: {
  discId: number | null;
  /** Bumped by the screen after a change, to fetch again. */
  version: number;
  mayManage: boolean;
  onClose: () => void;
  onHandover: (disc: DiscDetail['disc']) => void;
  onRecheck: (disc: DiscDetail['disc']) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const [printing, setPrinting] = useState(false);
  const load = useCallback(
    (signal: AbortSignal) => client.call('disc.get', { discId: discId! }, { signal }),
    [client, discId],
  );
  const { data, error } = useStationData(discId === null ? null : load, { reloadKey: version });
  const detail = data !== null && data.disc.id === discId ? data : null;
  const failure = failureText(t, error);

  const printLabel = async () => {
    if (detail === null) return;
    setPrinting(true);
    try {
      const address = await client.call('disc.label', { discId: detail.disc.id });
      await downloadFile(
        { ...address, fileName: `${detail.disc.volumeId}-label.pdf` },
        client.token,
      );
      void message.success(t('discs.drawer.labelDone', { volumeId: detail.disc.volumeId }));
    } catch (cause) {
      void message.error(errorText(t, cause));
    } finally {
      setPrinting(false);
    }
  };

  const disc = detail?.disc ?? null;
  const burned = disc !== null && (disc.state === 'verified' || disc.state === 'failed');

  return (
    <Drawer
      open={discId !== null}
      onClose={onClose}
      size={640}
      title={disc?.volumeId ?? ''}
      data-testid="disc-drawer"
      extra={
        disc !== null &&
        mayManage && (
          <Space>
            <Button
              icon={<SendOutlined />}
              disabled={!burned}
              onClick={() => onHandover(disc)}
              data-testid="disc-handover"
            >
              {t('discs.drawer.handover')}
            </Button>
            <Button
              icon={<PrinterOutlined />}
              loading={printing}
              onClick={() => void printLabel()}
              data-testid="disc-label"
            >
              {t('discs.drawer.label')}
            </Button>
            <Button
              icon={<SafetyCertificateOutlined />}
              disabled={!burned}
              onClick={() => onRecheck(disc)}
              data-testid="disc-recheck"
            >
              {t('discs.drawer.recheck')}
            </Button>
          </Space>
        )
      }
    >
      {failure !== null && <Alert type="error" showIcon title={failure} />}
      {detail === null || disc === null ? (
        failure === null && (
          <div style={{ padding: 48, textAlign: 'center' }}>
            <Spin />
          </div>
        )
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              {
                key: 'state',
                label: t('discs.register.state'),
                children: <DiscStateTag disc={disc} />,
              },
              {
                key: 'which',
                label: t('discs.register.disc'),
                children: `${t('discs.nOf', { n: disc.n, of: disc.of })} · ${copyText(t, disc.copy)}`,
              },
              { key: 'set', label: t('discs.register.set'), children: disc.setTag },
              {
                key: 'medium',
                label: t('discs.drawer.medium'),
                children: mediumText(t, disc.medium),
              },
              {
                key: 'clips',
                label: t('discs.drawer.holds'),
                span: 'filled',
                children: t('discs.drawer.holdsValue', {
                  count: disc.clips,
                  size: formatBytes(disc.bytes),
                  cases:
                    disc.caseNumbers.length === 0
                      ? t('discs.noCase')
                      : disc.caseNumbers.join(t('discs.listSeparator')),
                }),
              },
              {
                key: 'burned',
                label: t('discs.drawer.burned'),
                span: 'filled',
                children: t('discs.drawer.burnedValue', {
                  by: disc.burnedBy,
                  from: formatLocalTime(disc.startedAt),
                  to: disc.finishedAt === null ? UNKNOWN : formatLocalTime(disc.finishedAt),
                }),
              },
              {
                key: 'drive',
                label: t('discs.drawer.drive'),
                span: 'filled',
                children: [disc.drive, disc.driveModel, disc.driveFirmware, disc.speed]
                  .filter((part): part is string => part !== null && part !== '')
                  .join(' · '),
              },
              {
                key: 'manifest',
                label: t('discs.drawer.manifest'),
                children: (
                  <Typography.Text code title={disc.manifestSha256}>
                    {abbreviateHash(disc.manifestSha256)}
                  </Typography.Text>
                ),
              },
              {
                key: 'image',
                label: t('discs.drawer.image'),
                children:
                  disc.imageSha256 === null ? (
                    UNKNOWN
                  ) : (
                    <Space size={6} wrap>
                      <Typography.Text code title={disc.imageSha256}>
                        {abbreviateHash(disc.imageSha256)}
                      </Typography.Text>
                      <span>{formatBytes(disc.imageBytes)}</span>
                    </Space>
                  ),
              },
              {
                key: 'next',
                label: (
                  <Space size={4}>
                    {t('discs.register.nextCheck')}
                    <RuleTag rule="D-LONGTERM" />
                  </Space>
                ),
                children: disc.nextCheckDue === null ? UNKNOWN : formatLocalTime(disc.nextCheckDue),
              },
              {
                key: 'last',
                label: t('discs.drawer.lastChecked'),
                children:
                  disc.lastCheckedAt === null ? UNKNOWN : formatLocalTime(disc.lastCheckedAt),
              },
              {
                key: 'location',
                label: t('discs.register.location'),
                span: 'filled',
                children: disc.location ?? UNKNOWN,
              },
            ]}
          />
          {disc.problem !== null && (
            <Alert
              type={disc.state === 'interrupted' ? 'warning' : 'error'}
              showIcon
              title={
                disc.state === 'interrupted'
                  ? t('discs.drawer.interrupted')
                  : t('discs.drawer.failed')
              }
              description={disc.problem}
            />
          )}
          <Card size="small" title={t('discs.drawer.checks')} data-testid="disc-checks">
            {detail.checks.length === 0 ? (
              <Empty description={t('discs.drawer.noChecks')} />
            ) : (
              <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                {roundsOf(detail.checks).map((round) => (
                  <div key={round.key} data-testid={`disc-check-${round.occasion}`}>
                    <Typography.Text strong>
                      {t(`discs.drawer.occasion.${round.occasion}`, {
                        at: formatLocalTime(round.checkedAt),
                        by: round.checkedBy,
                      })}
                    </Typography.Text>
                    <div style={{ marginTop: 6 }}>
                      <PassResults passes={round.passes} />
                    </div>
                  </div>
                ))}
              </Space>
            )}
          </Card>
          <Card size="small" title={t('discs.drawer.handovers')} data-testid="disc-handovers">
            {detail.handovers.length === 0 ? (
              <Typography.Text type="secondary">{t('discs.drawer.noHandovers')}</Typography.Text>
            ) : (
              <Timeline
                items={detail.handovers.map((handover, index) => ({
                  key: index,
                  content: (
                    <Space orientation="vertical" size={0}>
                      <span>
                        {t('discs.drawer.handoverLine', {
                          to: handover.toWhom,
                          at: formatLocalTime(handover.handedAt),
                          by: handover.handedBy,
                        })}
                      </span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {handover.location === null
                          ? handover.reason
                          : t('discs.drawer.handoverWhere', {
                              location: handover.location,
                              reason: handover.reason,
                            })}
                      </Typography.Text>
                    </Space>
                  ),
                }))}
              />
            )}
          </Card>
        </Space>
      )}
    </Drawer>
  );
}
