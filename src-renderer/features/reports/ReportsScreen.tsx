import { useCallback, useState, type ReactNode } from 'react';
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  DatePicker,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ComplianceFigures, ComplianceReport, User } from '../../../src-main/contract';
import { navigate } from '../../shared/routes';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { isLanguage } from '../../i18n';
import { errorText, failureText, formatLocalTime } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';
import { downloadFile } from '../../shared/delivery';
import { lastMonth, thisMonth, type ReportPeriod } from './period';

type OfficerRow = ComplianceReport['officers'][number];

/**
 * Whether an officer's figures fall short of the rules (what the row highlights). Clips missing
 * from central storage are not among them: forwarding is the station's duty, not the officer's.
 */
export function shortfalls(figures: ComplianceFigures): string[] {
  const out: string[] = [];
  if (figures.unlabelled > 0) out.push('unlabelled');
  if (figures.lateCustodyUnexcepted > 0) out.push('lateCustody');
  if (figures.continuityFindings > 0) out.push('continuity');
  if (figures.deferrals > 0) out.push('deferrals');
  return out;
}

/** Hours recorded: two decimals below ten hours (a few short clips are not "0.0"). */
export function formatHours(hours: number): string {
  return hours.toFixed(hours < 10 ? 2 : 1);
}

function Bad({ value, children }: { value: number; children?: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <span
      style={{
        color: value > 0 ? token.colorError : undefined,
        fontWeight: value > 0 ? 600 : undefined,
      }}
    >
      {children ?? value}
    </span>
  );
}

/**
 * D-SUPERVISION: how recording was done over a period — the unit's figures, each officer's
 * (shortfalls highlighted), cases missing required footage (D-AV-REQUIRED) and cases past their
 * archive-by date (D-ARCHIVE); exported as CSV or PDF.
 */
export function ReportsScreen({ currentUser }: { currentUser: User }) {
  const { t, i18n } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const { token } = theme.useToken();
  const [period, setPeriod] = useState<ReportPeriod>(() => lastMonth());
  const [exporting, setExporting] = useState<'csv' | 'pdf' | null>(null);
  void currentUser;

  const load = useCallback(
    (signal: AbortSignal) => client.call('report.compliance', period, { signal }),
    [client, period],
  );
  const { data: report, loading, error: failure, reload } = useStationData(load);
  const error = failureText(t, failure);

  const exportAs = async (format: 'csv' | 'pdf') => {
    setExporting(format);
    try {
      const locale = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
      const file = await client.call('report.export', { ...period, format, locale });
      await downloadFile(file, client.token);
      void message.success(t('reports.exported', { name: file.fileName }));
    } catch (cause) {
      void message.error(errorText(t, cause));
    } finally {
      setExporting(null);
    }
  };

  const columns: TableColumnsType<OfficerRow> = [
    {
      title: t('reports.columns.officer'),
      key: 'officer',
      width: 150,
      fixed: 'start',
      render: (_: unknown, row: OfficerRow) => (
        <span>
          {row.name ?? ''}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.badge}
          </Typography.Text>
        </span>
      ),
    },
    { title: t('reports.columns.dockings'), dataIndex: 'dockings', width: 80, align: 'right' },
    { title: t('reports.columns.clips'), dataIndex: 'clips', width: 80, align: 'right' },
    {
      title: t('reports.columns.hours'),
      dataIndex: 'hoursRecorded',
      width: 80,
      align: 'right',
      render: (h: number) => formatHours(h),
    },
    {
      title: (
        <span>
          {t('reports.columns.lateCustody')} <RuleTag rule="D-24H" />
        </span>
      ),
      key: 'late',
      width: 110,
      align: 'right',
      render: (_: unknown, row: OfficerRow) => (
        <span>
          <Bad value={row.lateCustodyUnexcepted}>{row.lateCustody}</Bad>
          {row.lateCustodyExcepted > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {' '}
              {t('reports.excepted', { count: row.lateCustodyExcepted })}
            </Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: (
        <Tooltip title={t('reports.lateCentralHint')}>
          <span>
            {t('reports.columns.lateCentral')} <RuleTag rule="D-24H" />
          </span>
        </Tooltip>
      ),
      dataIndex: 'lateCentralStorage',
      width: 130,
      align: 'right',
      render: (n: number | null) => (n === null ? '—' : <Bad value={n} />),
    },
    {
      title: (
        <span>
          {t('reports.columns.unlabelled')} <RuleTag rule="D-LABEL" />
        </span>
      ),
      dataIndex: 'unlabelled',
      width: 100,
      align: 'right',
      render: (n: number) => <Bad value={n} />,
    },
    {
      title: t('reports.columns.oldest'),
      dataIndex: 'unlabelledOldestDays',
      width: 90,
      align: 'right',
      render: (days: number | null) =>
        days === null ? '—' : t('reports.days', { count: Math.floor(days) }),
    },
    {
      title: t('reports.columns.byAge'),
      key: 'age',
      width: 170,
      render: (_: unknown, row: OfficerRow) =>
        row.unlabelled === 0 ? (
          '—'
        ) : (
          <span style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
            ≤1d {row.unlabelledByAge.upTo1Day} · ≤7d {row.unlabelledByAge.upTo7Days} · ≤30d{' '}
            {row.unlabelledByAge.upTo30Days} · &gt;30d{' '}
            <Bad value={row.unlabelledByAge.over30Days} />
          </span>
        ),
    },
    { title: t('reports.columns.deferrals'), dataIndex: 'deferrals', width: 90, align: 'right' },
    {
      title: (
        <span>
          {t('reports.columns.continuity')} <RuleTag rule="D-CONTINUOUS" />
        </span>
      ),
      dataIndex: 'continuityFindings',
      width: 110,
      align: 'right',
      render: (n: number) => <Bad value={n} />,
    },
  ];

  const unit = report?.unit ?? null;
  const discs = report?.discs ?? null;

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="reports-screen">
      <Card size="small">
        <Space wrap>
          <Typography.Text strong>{t('reports.period')}</Typography.Text>
          <DatePicker.RangePicker
            value={[dayjs(period.from), dayjs(period.to)]}
            allowClear={false}
            onChange={(range) => {
              const [from, to] = range ?? [];
              if (from && to)
                setPeriod({ from: from.format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') });
            }}
            data-testid="report-period"
          />
          <Button onClick={() => setPeriod(lastMonth())}>{t('reports.lastMonth')}</Button>
          <Button onClick={() => setPeriod(thisMonth())} data-testid="report-this-month">
            {t('reports.thisMonth')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading}>
            {t('common.refresh')}
          </Button>
          <div style={{ width: 16 }} />
          <Button
            icon={<DownloadOutlined />}
            loading={exporting === 'csv'}
            disabled={report === null}
            onClick={() => void exportAs('csv')}
            data-testid="report-export-csv"
          >
            {t('reports.exportCsv')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            loading={exporting === 'pdf'}
            disabled={report === null}
            onClick={() => void exportAs('pdf')}
            data-testid="report-export-pdf"
          >
            {t('reports.exportPdf')}
          </Button>
        </Space>
        {report !== null && (
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
            {t('reports.generated', {
              from: report.from,
              to: report.to,
              at: formatLocalTime(report.generatedAt),
              by: report.generatedBy,
            })}
          </Typography.Paragraph>
        )}
      </Card>
      {error !== null && <Alert type="error" showIcon title={error} />}
      {unit === null ? (
        error === null && (
          <div style={{ padding: 48, textAlign: 'center' }}>
            <Spin />
          </div>
        )
      ) : (
        <>
          <Card
            size="small"
            title={
              <span>
                {t('reports.unitTitle')} <RuleTag rule="D-SUPERVISION" />
              </span>
            }
            data-testid="report-unit"
          >
            <div
              style={{
                display: 'grid',
                gridTemplateColumns: 'repeat(auto-fit, minmax(130px, 1fr))',
                gap: 12,
              }}
            >
              <Statistic title={t('reports.columns.officers')} value={unit.officers} />
              <Statistic title={t('reports.columns.dockings')} value={unit.dockings} />
              <Statistic title={t('reports.columns.clips')} value={unit.clips} />
              <Statistic
                title={t('reports.columns.hours')}
                value={formatHours(unit.hoursRecorded)}
              />
              <Statistic
                title={t('reports.columns.unlabelled')}
                value={unit.unlabelled}
                styles={{
                  content: { color: unit.unlabelled > 0 ? token.colorError : token.colorSuccess },
                }}
                data-testid="report-unit-unlabelled"
              />
              <Statistic
                title={t('reports.columns.lateUnexcepted')}
                value={unit.lateCustodyUnexcepted}
                styles={{
                  content: { color: unit.lateCustodyUnexcepted > 0 ? token.colorError : undefined },
                }}
              />
              <Statistic
                title={
                  <Tooltip title={t('reports.lateCentralHint')}>
                    <span>
                      {t('reports.columns.lateCentral')} <RuleTag rule="D-24H" />
                    </span>
                  </Tooltip>
                }
                // No central storage in the period: nothing counted, and that is the finding.
                value={unit.lateCentralStorage ?? t('reports.noCentralStorage')}
                styles={{
                  content: {
                    color:
                      unit.lateCentralStorage === null || unit.lateCentralStorage > 0
                        ? token.colorError
                        : token.colorSuccess,
                    fontSize: unit.lateCentralStorage === null ? 16 : undefined,
                  },
                }}
                suffix={
                  unit.lateCentralStorage === null ? undefined : (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('reports.centralTargets', { count: unit.centralTargets })}
                    </Typography.Text>
                  )
                }
                data-testid="report-unit-central"
              />
              {discs !== null && (
                <Statistic
                  title={
                    <span>
                      {t('reports.longTermNotOnDisc')} <RuleTag rule="D-LONGTERM" />
                    </span>
                  }
                  value={discs.longTermNotOnDisc}
                  styles={{
                    content: {
                      color: discs.longTermNotOnDisc > 0 ? token.colorError : token.colorSuccess,
                    },
                  }}
                  suffix={
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('reports.discsDue', { count: discs.dueForCheck })}
                    </Typography.Text>
                  }
                  data-testid="report-unit-discs"
                />
              )}
              <Statistic title={t('reports.columns.deferrals')} value={unit.deferrals} />
              <Statistic
                title={t('reports.columns.continuity')}
                value={unit.continuityFindings}
                styles={{
                  content: { color: unit.continuityFindings > 0 ? token.colorWarning : undefined },
                }}
              />
            </div>
          </Card>
          <Card size="small" title={t('reports.officersTitle')} styles={{ body: { padding: 0 } }}>
            <Table<OfficerRow>
              size="small"
              rowKey="badge"
              columns={columns}
              dataSource={report?.officers ?? []}
              pagination={false}
              scroll={{ x: 1190 }}
              locale={{ emptyText: t('reports.noOfficers') }}
              rowClassName={(row) => (shortfalls(row).length > 0 ? 'report-row-short' : '')}
              data-testid="report-officers"
            />
          </Card>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
            <Card
              size="small"
              title={
                <span>
                  {t('reports.missingFootage')} <RuleTag rule="D-AV-REQUIRED" />
                </span>
              }
              data-testid="report-missing-footage"
            >
              {unit.casesMissingFootage.length === 0 ? (
                <Typography.Text type="secondary">{t('reports.none')}</Typography.Text>
              ) : (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {unit.casesMissingFootage.map((c) => (
                    <div key={c.number}>
                      <Typography.Link onClick={() => navigate('cases', c.number)}>
                        {c.number}
                      </Typography.Link>{' '}
                      {c.title}{' '}
                      {c.missing.map((act) => (
                        <Tag key={act} color="error">
                          {t(`filing.acts.${act}`)}
                        </Tag>
                      ))}
                    </div>
                  ))}
                </Space>
              )}
            </Card>
            <Card
              size="small"
              title={
                <span>
                  {t('reports.pastArchiveBy')} <RuleTag rule="D-ARCHIVE" />
                </span>
              }
              data-testid="report-past-archive"
            >
              {unit.casesPastArchiveBy.length === 0 ? (
                <Typography.Text type="secondary">{t('reports.none')}</Typography.Text>
              ) : (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {unit.casesPastArchiveBy.map((c) => (
                    <div key={c.number}>
                      <Typography.Link onClick={() => navigate('cases', c.number)}>
                        {c.number}
                      </Typography.Link>{' '}
                      {c.title}{' '}
                      <Tag color="error">
                        {t('reports.archiveByWas', {
                          at: formatLocalTime(c.archiveBy).slice(0, 10),
                        })}
                      </Tag>
                    </div>
                  ))}
                </Space>
              )}
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
