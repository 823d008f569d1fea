import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Progress, Space, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { IntegrityProblem, IntegrityStatus, IntegritySweep } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { formatBytes, percentDone, UNKNOWN } from '../../shared/format';
import { errorText, failureText, formatLocalTime } from '../../i18n/format';

/** The findings a banner lists before it sends the reader to the audit log. */
const FINDINGS_LISTED = 5;

/** One finding in words: what is wrong, and which clip (recorder, recording date) and where. */
function findingText(t: TFunction, problem: IntegrityProblem): string {
  const what = t(`home.integrity.problem.${problem.code}`);
  const path = problem.archivePath;
  if (problem.clipId === null) return t('home.integrity.finding', { problem: what, path });
  if (problem.details['withheld'] !== undefined) {
    return t('home.integrity.findingWithheld', { problem: what, clipId: problem.clipId });
  }
  const text = (value: unknown) =>
    typeof value === 'string' && value !== '' ? value : t('home.integrity.unknown');
  return t('home.integrity.findingClip', {
    problem: what,
    clipId: problem.clipId,
    serial: text(problem.details['recorderSerial']),
    recordedOn: text(problem.details['recordedOn']),
    path,
  });
}

/**
 * The alarm of a sweep that found something or could not finish (D-NO-TAMPER, D-SUPERVISION): at
 * the top of Home, for custodians and supervisors, until a sweep finds the archive intact.
 */
export function IntegrityAlarm({ sweep }: { sweep: IntegritySweep | null }) {
  const { t } = useTranslation();
  if (sweep === null || sweep.ok) return null;
  const at = formatLocalTime(sweep.finishedAt);
  if (sweep.failure !== null) {
    return (
      <Alert
        type="error"
        showIcon
        banner
        data-testid="integrity-alarm"
        title={t('home.integrity.alarmTitle')}
        description={t('home.integrity.alarmIncomplete', { at, reason: sweep.failure })}
      />
    );
  }
  const listed = sweep.problems.slice(0, FINDINGS_LISTED);
  const more = sweep.problemCount - listed.length;
  return (
    <Alert
      type="error"
      showIcon
      banner
      data-testid="integrity-alarm"
      title={t('home.integrity.alarmTitle')}
      description={
        <Space orientation="vertical" size={4}>
          <span>{t('home.integrity.alarm', { at, count: sweep.problemCount })}</span>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {listed.map((problem, index) => (
              <li key={index} data-testid="integrity-finding">
                {findingText(t, problem)}
              </li>
            ))}
          </ul>
          {more > 0 && <span>{t('home.integrity.more', { count: more })}</span>}
        </Space>
      }
    />
  );
}

function resultTag(t: TFunction, sweep: IntegritySweep) {
  if (sweep.ok) return <Tag color="green">{t('home.integrity.intact')}</Tag>;
  if (sweep.failure !== null) return <Tag color="orange">{t('home.integrity.incomplete')}</Tag>;
  return <Tag color="red">{t('home.integrity.problems', { count: sweep.problemCount })}</Tag>;
}

/**
 * The archive integrity sweep on Home (D-NO-TAMPER): the last one and the next, the one under way
 * with its progress, and for custodians a button that starts one now (D-CUSTODIAN).
 */
export function IntegrityCard({
  status,
  error,
  mayRun,
  onChanged,
}: {
  status: IntegrityStatus | null;
  error: unknown;
  mayRun: boolean;
  onChanged: (status: IntegrityStatus) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = App.useApp();
  const [starting, setStarting] = useState(false);
  const failure = failureText(t, error);
  const last = status?.last ?? null;
  const progress = status?.progress ?? null;

  const start = async () => {
    setStarting(true);
    try {
      onChanged(await client.call('integrity.start', {}));
      void message.info(t('home.integrity.started'));
    } catch (cause) {
      void message.error(errorText(t, cause));
    } finally {
      setStarting(false);
    }
  };

  return (
    <Card
      size="small"
      data-testid="integrity-card"
      title={
        <span>
          <SafetyCertificateOutlined /> {t('home.integrity.title')}
        </span>
      }
      extra={
        mayRun && (
          <Button
            size="small"
            onClick={() => void start()}
            loading={starting}
            disabled={status?.running ?? false}
            data-testid="integrity-start"
          >
            {t('home.integrity.start')}
          </Button>
        )
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('home.integrity.explain')}</Typography.Text>
        {failure !== null && <Alert type="warning" showIcon title={failure} />}
        {status?.running && progress !== null && (
          <div data-testid="integrity-progress">
            <Typography.Text>
              {t('home.integrity.running', {
                done: progress.clipsChecked,
                total: progress.clips,
              })}
            </Typography.Text>
            <Progress percent={percentDone(progress.clipsChecked, progress.clips)} size="small" />
          </div>
        )}
        <Descriptions
          size="small"
          column={2}
          bordered
          items={[
            {
              key: 'last',
              label: t('home.integrity.lastAt'),
              children:
                last === null ? t('home.integrity.never') : formatLocalTime(last.finishedAt),
            },
            {
              key: 'result',
              label: t('home.integrity.result'),
              children: last === null ? UNKNOWN : resultTag(t, last),
            },
            {
              key: 'clips',
              label: t('home.integrity.clipsChecked'),
              children:
                last === null
                  ? UNKNOWN
                  : t('home.integrity.clipsCheckedValue', {
                      count: last.clipsChecked,
                      size: formatBytes(last.bytesChecked),
                    }),
            },
            {
              key: 'next',
              label: t('home.integrity.nextAt'),
              children: status?.nextAt ? formatLocalTime(status.nextAt) : UNKNOWN,
            },
          ]}
        />
      </Space>
    </Card>
  );
}
