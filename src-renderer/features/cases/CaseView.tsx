import { useCallback, useMemo, useState } from 'react';
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Popconfirm,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, PlayCircleOutlined, SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  type AuditEntry,
  type Case,
  type CaseAct,
  type FiledClip,
  roleHasPermission,
  type User,
} from '../../../src-main/contract';
import { navigate } from '../../shared/routes';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { errorText, failureText } from '../../i18n/format';
import { ClipThumbnail, THUMB_WIDTH } from '../../shared/clips/ClipThumbnail';
import { baseName, formatDuration } from '../../shared/format';
import { useThumbnailCache } from '../../shared/clips/thumbnailCache';
import {
  ConfidentialityTag,
  KindTag,
  LabelStatusTag,
  StageTag,
} from '../../shared/filing/FilingTags';
import { PlayClipModal } from '../../shared/clips/PlayClipModal';
import { RecordedSpan } from '../../shared/clips/RecordedSpan';
import { CaseActs } from './CaseActs';
import { CaseFacts } from './CaseFacts';
import { CaseHistory } from './CaseHistory';
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
  // D-LONGTERM: a case's footage goes to disc from here, planned on the Discs screen.
  const canBurn = roleHasPermission(currentUser.role, 'disc.manage');
  const [busy, setBusy] = useState<string | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const [playing, setPlaying] = useState<FiledClip | null>(null);
  const cache = useThumbnailCache();

  const load = useCallback(
    async (signal: AbortSignal) => {
      const [detail, found] = await Promise.all([
        client.call('cases.get', { number }, { signal }),
        client.call(
          'clips.search',
          { caseNumber: number, sort: 'recorded', order: 'asc', limit: 500 },
          { signal },
        ),
      ]);
      return { detail, clips: found.clips };
    },
    [client, number],
  );
  const { data, error: loadError, reload, setData } = useStationData<CaseData>(load);
  const detail = data?.detail ?? null;
  const clips = data?.clips ?? NO_CLIPS;
  const error = failureText(t, loadError);

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
          (canManage || canArchive || canBurn) && (
            <Space>
              {canBurn && clips.length > 0 && (
                <Button
                  icon={<SaveOutlined />}
                  onClick={() => navigate('discs', c.number)}
                  data-testid="case-burn"
                >
                  {t('cases.actions.burn')}
                </Button>
              )}
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
        <CaseFacts value={c} />
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
      <CaseHistory entries={detail.history} />
      <PlayClipModal clip={playing} onClose={() => setPlaying(null)} />
      {c.status === 'archived' && <Tag>{t('cases.archivedReadOnly')}</Tag>}
    </div>
  );
}
