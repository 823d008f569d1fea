import { useCallback, useMemo, useState } from 'react';
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Case, CaseAct } from '../../../src-main/contract/filing';
import type { FiledClip } from '../../../src-main/contract/filing-methods';
import { roleHasPermission } from '../../../src-main/contract/roles';
import type { AuditEntry, User } from '../../../src-main/contract/types';
import { navigate } from '../../shared/routes';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { auditActionLabel, errorText, formatLocalTime } from '../../i18n/format';
import { ClipThumbnail, THUMB_WIDTH } from '../../shared/clips/ClipThumbnail';
import { RuleTag } from '../../shared/RuleTag';
import { baseName, formatDuration } from '../../shared/format';
import { ThumbnailCache } from '../../shared/clips/thumbnailCache';
import {
  ConfidentialityTag,
  KindTag,
  LabelStatusTag,
  StageTag,
} from '../../shared/filing/FilingTags';
import { PlayClipModal } from '../../shared/clips/PlayClipModal';
import { RecordedSpan } from '../../shared/clips/RecordedSpan';
import { CaseActs } from './CaseActs';
import { CaseFlags, CaseStatusTag } from './CaseTags';

interface CaseDetail {
  case: Case;
  acts: CaseAct[];
  history: AuditEntry[];
}

interface CaseData {
  detail: CaseDetail;
  clips: FiledClip[];
}

const NO_CLIPS: FiledClip[] = [];

const CASE_METHOD = {
  close: 'cases.close',
  approve: 'cases.approve',
  archive: 'cases.archive',
} as const;

const day = (iso: string | null) => (iso === null ? '—' : formatLocalTime(iso).slice(0, 16));

/** A short line for an audit entry's details: its simple values, key = value. */
function detailsLine(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, v]) => v !== null && ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' · ');
}

/**
 * One case (`cases.get`): its facts and deadlines (D-LATE-START, D-ARCHIVE), its clips, the
 * acts checklist (D-AV-REQUIRED, D-NOT-SUITABLE), its history from the audit log, and close /
 * approve / archive for those who may.
 */
export function CaseView({ currentUser, number }: { currentUser: User; number: string }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const canManage = roleHasPermission(currentUser.role, 'cases.manage');
  // D-LATE-START approval and D-ARCHIVE archiving are recorded by custodians.
  const canArchive = roleHasPermission(currentUser.role, 'cases.archive');
  const [busy, setBusy] = useState<string | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const [playing, setPlaying] = useState<FiledClip | null>(null);
  const [cache] = useState(
    () => new ThumbnailCache((id) => client.call('clips.thumbnail', { id })),
  );

  const load = useCallback(async () => {
    const [detail, found] = await Promise.all([
      client.call('cases.get', { number }),
      client.call('clips.search', {
        caseNumber: number,
        sort: 'recorded',
        order: 'asc',
        limit: 500,
      }),
    ]);
    return { detail, clips: found.clips };
  }, [client, number]);
  const { data, error: loadError, reload, setData } = useStationData<CaseData>(load);
  const detail = data?.detail ?? null;
  const clips = data?.clips ?? NO_CLIPS;
  const error = loadError === null ? null : errorText(t, loadError);

  const act = async (what: 'close' | 'approve' | 'archive') => {
    setBusy(what);
    try {
      await client.call(CASE_METHOD[what], { number });
      void message.success(t(`cases.actions.${what}Done`));
      await reload();
    } catch (cause) {
      void message.error(errorText(t, cause));
    } finally {
      setBusy(null);
    }
  };

  const clipColumns: TableColumnsType<FiledClip> = useMemo(
    () => [
      {
        title: '',
        key: 'thumb',
        width: THUMB_WIDTH + 16,
        render: (_: unknown, clip: FiledClip) => <ClipThumbnail clip={clip} cache={cache} />,
      },
      {
        title: t('clips.columns.recorded'),
        key: 'recorded',
        ellipsis: { showTitle: false },
        render: (_: unknown, clip: FiledClip) => (
          <div>
            <Typography.Text strong>{baseName(clip.originalPath)}</Typography.Text>
            <div>
              <RecordedSpan clip={clip} />
            </div>
          </div>
        ),
      },
      {
        title: t('clips.columns.duration'),
        dataIndex: 'durationMs',
        width: 64,
        align: 'right',
        render: (ms: number | null) => formatDuration(ms),
      },
      {
        title: t('clips.columns.officer'),
        dataIndex: 'officerBadge',
        width: 100,
        render: (badge: string | null) => badge ?? '—',
      },
      {
        title: t('filing.fields.stage'),
        key: 'stage',
        width: 200,
        render: (_: unknown, clip: FiledClip) => (
          <Space size={4} wrap>
            <StageTag stage={clip.filing.label?.stage ?? null} />
            <ConfidentialityTag level={clip.filing.label?.confidentiality ?? 'none'} />
          </Space>
        ),
      },
      {
        title: t('clips.columns.label'),
        key: 'label',
        width: 90,
        render: (_: unknown, clip: FiledClip) => <LabelStatusTag clip={clip} />,
      },
      {
        title: '',
        key: 'play',
        width: 44,
        render: (_: unknown, clip: FiledClip) => (
          <Button
            type="text"
            size="small"
            icon={<PlayCircleOutlined />}
            aria-label={t('filing.play.button')}
            onClick={() => setPlaying(clip)}
          />
        ),
      },
    ],
    [cache, t],
  );

  if (detail === null) {
    return error === null ? (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    ) : (
      <Space orientation="vertical">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('cases')}>
          {t('cases.back')}
        </Button>
        <Alert type="error" showIcon title={error} />
      </Space>
    );
  }

  const c = detail.case;
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
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="case-view">
      <Card
        size="small"
        title={
          <Space wrap>
            <Button
              size="small"
              type="text"
              icon={<ArrowLeftOutlined />}
              onClick={() => navigate('cases')}
              aria-label={t('cases.back')}
            />
            <Typography.Text strong style={{ fontSize: 16 }} data-testid="case-number">
              {c.number}
            </Typography.Text>
            <span>{c.title}</span>
            <KindTag kind={c.kind} />
            <CaseStatusTag status={c.status} />
            <CaseFlags value={c} />
          </Space>
        }
        extra={
          (canManage || canArchive) && (
            <Space>
              {canArchive && c.emergency && c.approvedAt === null && (
                <Popconfirm
                  title={t('cases.actions.approveConfirm')}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => act('approve')}
                >
                  <Button loading={busy === 'approve'} data-testid="case-approve">
                    {t('cases.actions.approve')}
                  </Button>
                </Popconfirm>
              )}
              {canManage && c.status === 'open' && (
                <Popconfirm
                  title={t('cases.actions.closeConfirm')}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => act('close')}
                >
                  <Button loading={busy === 'close'} data-testid="case-close">
                    {t('cases.actions.close')}
                  </Button>
                </Popconfirm>
              )}
              {canArchive && c.status === 'closed' && (
                <Popconfirm
                  title={t('cases.actions.archiveConfirm')}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => act('archive')}
                >
                  <Button type="primary" loading={busy === 'archive'} data-testid="case-archive">
                    {t('cases.actions.archive')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )
        }
      >
        <Descriptions
          size="small"
          column={3}
          bordered
          data-testid="case-facts"
          items={[
            { key: 'opened', label: t('cases.fields.openedAt'), children: day(c.openedAt) },
            {
              key: 'officer',
              label: t('cases.fields.handlingOfficer'),
              children: c.handlingOfficer ?? '—',
            },
            {
              key: 'created',
              label: t('cases.fields.createdBy'),
              children: `${c.createdBy} · ${day(c.createdAt)}`,
            },
            {
              key: 'approval',
              label: (
                <span>
                  {t('cases.fields.approvalDueBy')} <RuleTag rule="D-LATE-START" />
                </span>
              ),
              children: !c.emergency ? (
                <Typography.Text type="secondary">{t('cases.notEmergency')}</Typography.Text>
              ) : c.approvedAt !== null ? (
                t('cases.approvedAt', { at: day(c.approvedAt) })
              ) : (
                <Typography.Text type={c.lateApproval ? 'danger' : undefined}>
                  {day(c.approvalDueBy)}
                  {c.lateApproval && ` · ${t('cases.flags.lateApproval')}`}
                </Typography.Text>
              ),
            },
            { key: 'closed', label: t('cases.fields.closedAt'), children: day(c.closedAt) },
            {
              key: 'archiveBy',
              label: (
                <span>
                  {t('cases.fields.archiveBy')} <RuleTag rule="D-ARCHIVE" />
                </span>
              ),
              children:
                c.archivedAt !== null ? (
                  t('cases.archivedAt', { at: day(c.archivedAt) })
                ) : c.archiveBy === null ? (
                  <Typography.Text type="secondary">{t('cases.archiveByOnClose')}</Typography.Text>
                ) : (
                  <Typography.Text type={c.pastArchiveBy ? 'danger' : undefined}>
                    {day(c.archiveBy).slice(0, 10)}
                    {c.pastArchiveBy && ` · ${t('cases.flags.pastArchiveBy')}`}
                  </Typography.Text>
                ),
            },
          ]}
        />
      </Card>
      <Card size="small">
        <CaseActs
          number={c.number}
          acts={detail.acts}
          clips={clips}
          selectedClipIds={picked}
          canManage={canManage && c.status !== 'archived'}
          onChanged={(acts) => {
            setData((d) => (d === null ? d : { ...d, detail: { ...d.detail, acts } }));
            setPicked([]);
            void reload();
          }}
        />
      </Card>
      <Card
        size="small"
        title={
          <span>
            {t('cases.clipsTitle')}
            <Typography.Text
              type="secondary"
              style={{ marginInlineStart: 8, fontWeight: 400 }}
              data-testid="case-clip-count"
            >
              {t('label.count', { count: clips.length })}
            </Typography.Text>
          </span>
        }
        extra={
          canManage && clips.length > 0 ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('cases.pickHint')}
            </Typography.Text>
          ) : null
        }
        styles={{ body: { padding: 0 } }}
      >
        <Table<FiledClip>
          size="small"
          rowKey="id"
          columns={clipColumns}
          dataSource={clips}
          tableLayout="fixed"
          pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small' }}
          locale={{ emptyText: t('cases.noClips') }}
          rowSelection={
            canManage
              ? {
                  selectedRowKeys: picked,
                  columnWidth: 36,
                  onChange: (keys) => setPicked(keys.map(Number)),
                }
              : undefined
          }
          data-testid="case-clips"
        />
      </Card>
      <Card size="small" title={t('cases.history')} styles={{ body: { padding: 0 } }}>
        <Table<AuditEntry>
          size="small"
          rowKey="seq"
          columns={historyColumns}
          dataSource={detail.history}
          pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
          locale={{ emptyText: t('audit.empty') }}
          data-testid="case-history"
        />
      </Card>
      <PlayClipModal clip={playing} onClose={() => setPlaying(null)} />
      {c.status === 'archived' && <Tag>{t('cases.archivedReadOnly')}</Tag>}
    </div>
  );
}
