import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type HTMLAttributes,
  type KeyboardEvent,
} from 'react';
import { App as AntApp, Alert, Button, Card, Empty, Form, Space, Table, Typography } from 'antd';
import { CheckCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FiledClip, User } from '../../../src-main/contract';
import { navigate } from '../../shared/routes';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { failureText } from '../../i18n/format';
import { useThumbnailCache } from '../../shared/clips/thumbnailCache';
import { LabelForm, type LabelApplied } from '../../shared/filing/LabelForm';
import {
  initialLabelForm,
  requiredFieldsFrom,
  type LabelFormValues,
} from '../../shared/filing/labelPatch';
import { PlayClipModal } from '../../shared/clips/PlayClipModal';
import {
  clickClip,
  EMPTY_SELECTION,
  keepShown,
  pressKey,
  selectedInOrder,
  type SelectionState,
} from './selection';
import { useFilingPolicy } from '../../shared/filing/useFilingPolicy';
import { useRecentCases } from '../../shared/filing/useRecentCases';
import { labelColumns } from './labelColumns';

/** The most clips one visit lists; an officer rarely has more waiting. */
const LIST_LIMIT = 500;

const NO_CLIPS: FiledClip[] = [];

/**
 * Where officers file their footage (D-LABEL): every clip of theirs not labelled yet, from every
 * docking, oldest first (nearest its deadlines). Pick clips with mouse or keyboard, fill the form
 * once, apply to all of them.
 */
export function LabelScreen({ currentUser }: { currentUser: User }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const policy = useFilingPolicy(currentUser.role);
  const [form] = Form.useForm<LabelFormValues>();
  const [selection, setSelection] = useState<SelectionState>(EMPTY_SELECTION);
  const [playing, setPlaying] = useState<FiledClip | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const cache = useThumbnailCache();

  const loadClips = useCallback(
    () =>
      client.call('clips.search', {
        labelled: false,
        sort: 'recorded',
        order: 'asc',
        limit: LIST_LIMIT,
      }),
    [client],
  );
  const unlabelled = useStationData(loadClips);
  const clips = unlabelled.data?.clips ?? NO_CLIPS;
  const total = unlabelled.data?.total ?? 0;
  const loading = unlabelled.loading;
  const loadError = failureText(t, unlabelled.error);

  const { recent, reload: reloadRecent } = useRecentCases();
  const reloadClips = unlabelled.reload;

  const ids = useMemo(() => clips.map((clip) => clip.id), [clips]);
  // A new list drops from the selection the clips it no longer shows.
  const [selectionIds, setSelectionIds] = useState(ids);
  if (selectionIds !== ids) {
    setSelectionIds(ids);
    setSelection((s) => keepShown(s, ids));
  }

  // Keep the clip the keyboard is on in view.
  useEffect(() => {
    if (selection.focus === null || list.current === null) return;
    const row = list.current.querySelector(`tr[data-row-key="${selection.focus}"]`);
    if (row instanceof HTMLElement) row.scrollIntoView({ block: 'nearest' });
  }, [selection.focus]);

  const chosen = selectedInOrder(selection, ids);
  const required = requiredFieldsFrom(
    policy?.labelRequiredFields ?? null,
    clips.map((clip) => clip.filing.missing),
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      form.submit();
      return;
    }
    const next = pressKey(selection, ids, {
      key: event.key,
      shift: event.shiftKey,
      ctrl: event.ctrlKey || event.metaKey,
    });
    if (next === null) return;
    event.preventDefault();
    setSelection(next);
  };

  const applied = (result: LabelApplied) => {
    const stillMissing = result.updated - result.labelled;
    if (stillMissing > 0) {
      void message.warning(
        t('label.appliedSomeMissing', { count: result.updated, missing: stillMissing }),
      );
    } else {
      void message.success(t('label.applied', { count: result.updated }));
    }
    setSelection((s) => ({ ...s, selected: new Set() }));
    void reloadClips();
    void reloadRecent();
    list.current?.focus();
  };

  const columns = labelColumns(t, {
    cache,
    showOfficer: currentUser.role !== 'officer',
    onPlay: setPlaying,
  });

  const allLabelled = !loading && loadError === null && clips.length === 0;

  return (
    <div
      data-testid="label-screen"
      style={{
        display: 'grid',
        gridTemplateColumns: 'minmax(0, 1fr) 400px',
        gap: 12,
        alignItems: 'start',
      }}
    >
      <Card
        size="small"
        title={
          <span>
            {t('label.listTitle')}
            <Typography.Text
              type="secondary"
              style={{ marginInlineStart: 8, fontWeight: 400 }}
              data-testid="label-count"
            >
              {t('label.count', { count: total })}
            </Typography.Text>
          </span>
        }
        extra={
          <Space>
            <Typography.Text type="secondary" data-testid="label-selected-count">
              {t('label.selected', { count: chosen.length })}
            </Typography.Text>
            <Button
              size="small"
              disabled={ids.length === 0}
              onClick={() =>
                setSelection((s) =>
                  s.selected.size === ids.length
                    ? { ...s, selected: new Set() }
                    : { ...s, selected: new Set(ids) },
                )
              }
              data-testid="label-select-all"
            >
              {chosen.length === ids.length && ids.length > 0
                ? t('label.selectNone')
                : t('label.selectAll')}
            </Button>
            <Button
              size="small"
              icon={<ReloadOutlined />}
              onClick={() => void reloadClips()}
              loading={loading}
            >
              {t('common.refresh')}
            </Button>
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        {loadError !== null && (
          <Alert type="error" showIcon title={loadError} style={{ margin: 8 }} />
        )}
        {allLabelled ? (
          <Empty
            style={{ padding: '32px 0' }}
            image={<CheckCircleOutlined style={{ fontSize: 48, color: '#52c41a' }} />}
            styles={{ image: { height: 56 } }}
            description={
              <div data-testid="label-all-done">
                <Typography.Title level={5} style={{ margin: '4px 0' }}>
                  {t('label.allDone')}
                </Typography.Title>
                <Button type="link" onClick={() => navigate('dock')}>
                  {t('label.backToDock')}
                </Button>
              </div>
            }
          />
        ) : (
          <div
            ref={list}
            tabIndex={0}
            className="clip-pick-list"
            onKeyDown={onKeyDown}
            data-testid="label-list"
            aria-label={t('label.listTitle')}
            style={{ maxHeight: 'calc(100vh - 230px)', overflow: 'auto' }}
          >
            <Table<FiledClip>
              size="small"
              rowKey="id"
              columns={columns}
              dataSource={clips}
              loading={loading && clips.length === 0}
              tableLayout="fixed"
              pagination={false}
              rowSelection={{
                selectedRowKeys: chosen,
                columnWidth: 36,
                onChange: (keys) =>
                  setSelection((s) => ({ ...s, selected: new Set(keys.map(Number)) })),
              }}
              rowClassName={(clip) => (clip.id === selection.focus ? 'clip-row-focus' : '')}
              onRow={(clip) =>
                ({
                  onClick: (event) => {
                    setSelection((s) => clickClip(s, ids, clip.id, event.shiftKey));
                    list.current?.focus();
                  },
                  'data-testid': `label-row-${clip.id}`,
                }) as HTMLAttributes<HTMLElement>
              }
              data-testid="label-table"
            />
          </div>
        )}
        {clips.length > 0 && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '6px 12px' }}>
            {t('label.keysHint')}
          </Typography.Paragraph>
        )}
      </Card>
      <Card
        size="small"
        title={t('label.formTitle')}
        style={{ position: 'sticky', top: 0 }}
        data-testid="label-form-card"
      >
        {recent === null ? null : (
          <LabelForm
            form={form}
            target={chosen.length === 0 ? null : { clipIds: chosen }}
            targetCount={chosen.length}
            initial={initialLabelForm(recent.last)}
            recentCases={recent.cases}
            requiredFields={required}
            enforceRequired
            policy={policy}
            currentUser={currentUser}
            onApplied={applied}
          />
        )}
      </Card>
      <PlayClipModal clip={playing} onClose={() => setPlaying(null)} />
    </div>
  );
}
