import { useState } from 'react';
import {
  App as AntApp,
  Alert,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { LinkOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  type CaseAct,
  type FiledClip,
  NOT_SUITABLE_REASONS,
  type NotSuitableReason,
  PROCEDURAL_ACTS,
  type ProceduralAct,
} from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { errorText } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';
import { baseName } from '../../shared/format';

type ActChange = {
  act: ProceduralAct;
  link?: number[];
  unlink?: number[];
  notRecorded?: { reason: NotSuitableReason; text: string } | null;
  remove?: boolean;
};

/**
 * D-AV-REQUIRED: the procedural acts of a case that must be on audio-visual record, each with its
 * footage or (D-NOT-SUITABLE) the written reason it could not be recorded; an act with neither is
 * marked missing.
 */
export function CaseActs({
  number,
  acts,
  clips,
  selectedClipIds,
  canManage,
  onChanged,
}: {
  number: string;
  acts: CaseAct[];
  clips: readonly FiledClip[];
  /** Clips picked in the case's clip list, to link to an act. */
  selectedClipIds: number[];
  canManage: boolean;
  onChanged: (acts: CaseAct[]) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [adding, setAdding] = useState<ProceduralAct | null>(null);
  const [reasonFor, setReasonFor] = useState<ProceduralAct | null>(null);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [reasonForm] = Form.useForm<{ reason: NotSuitableReason; text: string }>();
  const nameOf = (id: number) => {
    const clip = clips.find((c) => c.id === id);
    return clip === undefined ? `#${id}` : baseName(clip.originalPath);
  };

  const change = async (next: ActChange): Promise<boolean> => {
    setBusy(next.act);
    try {
      const result = await client.call('cases.setAct', {
        number,
        act: next.act,
        link: next.link ?? [],
        unlink: next.unlink ?? [],
        ...(next.notRecorded !== undefined ? { notRecorded: next.notRecorded } : {}),
        remove: next.remove ?? false,
      });
      onChanged(result.acts);
      return true;
    } catch (cause) {
      void message.error(errorText(t, cause));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const missing = acts.filter((act) => act.missing).length;
  const free = PROCEDURAL_ACTS.filter((act) => !acts.some((a) => a.act === act));

  const columns: TableColumnsType<CaseAct> = [
    {
      title: t('cases.acts.act'),
      dataIndex: 'act',
      width: 200,
      render: (act: ProceduralAct, row: CaseAct) => (
        <Space size={6}>
          <Typography.Text strong>{t(`filing.acts.${act}`)}</Typography.Text>
          {row.missing && (
            <Tag color="error" data-testid={`act-missing-${act}`}>
              {t('cases.acts.missing')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('cases.acts.footage'),
      key: 'footage',
      render: (_: unknown, row: CaseAct) => {
        if (row.notRecorded !== null) {
          return (
            <span>
              <Tag color="default">{t(`filing.notSuitable.${row.notRecorded.reason}`)}</Tag>
              <Typography.Text type="secondary">{row.notRecorded.text}</Typography.Text>
            </span>
          );
        }
        if (row.clipIds.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Space size={[4, 4]} wrap>
            {row.clipIds.map((id) => (
              <Tag
                key={id}
                closable={canManage}
                onClose={(event) => {
                  event.preventDefault();
                  void change({ act: row.act, unlink: [id] });
                }}
              >
                {nameOf(id)}
              </Tag>
            ))}
          </Space>
        );
      },
    },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 300,
      render: (_: unknown, row: CaseAct) => (
        <Space size={0} wrap>
          <Tooltip title={selectedClipIds.length === 0 ? t('cases.acts.pickClips') : undefined}>
            <Button
              size="small"
              type="link"
              icon={<LinkOutlined />}
              disabled={selectedClipIds.length === 0}
              loading={busy === row.act}
              onClick={() => void change({ act: row.act, link: selectedClipIds })}
              data-testid={`act-link-${row.act}`}
            >
              {t('cases.acts.link', { count: selectedClipIds.length })}
            </Button>
          </Tooltip>
          {row.notRecorded === null ? (
            <Button
              size="small"
              type="link"
              onClick={() => {
                setReasonError(null);
                setReasonFor(row.act);
              }}
            >
              {t('cases.acts.notSuitable')}
            </Button>
          ) : (
            <Button
              size="small"
              type="link"
              onClick={() => void change({ act: row.act, notRecorded: null })}
            >
              {t('cases.acts.withdrawReason')}
            </Button>
          )}
          {row.clipIds.length === 0 && (
            <Popconfirm
              title={t('cases.acts.removeConfirm', { act: t(`filing.acts.${row.act}`) })}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => change({ act: row.act, remove: true })}
            >
              <Button size="small" type="link" danger>
                {t('cases.acts.remove')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    });
  }

  return (
    <div data-testid="case-acts">
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Text strong>{t('cases.acts.title')}</Typography.Text>
        <RuleTag rule="D-AV-REQUIRED" />
        {missing > 0 ? (
          <Tag color="error">{t('cases.acts.missingCount', { count: missing })}</Tag>
        ) : acts.length > 0 ? (
          <Tag color="success">{t('cases.acts.allCovered')}</Tag>
        ) : null}
        {canManage && free.length > 0 && (
          <Space.Compact>
            <Select<ProceduralAct>
              value={adding ?? undefined}
              onChange={setAdding}
              placeholder={t('cases.acts.addPlaceholder')}
              style={{ width: 220 }}
              options={free.map((act) => ({ value: act, label: t(`filing.acts.${act}`) }))}
              data-testid="act-add-select"
            />
            <Button
              icon={<PlusOutlined />}
              disabled={adding === null}
              onClick={() => {
                if (adding === null) return;
                void change({ act: adding }).then((ok) => {
                  if (ok) setAdding(null);
                });
              }}
              data-testid="act-add"
            >
              {t('cases.acts.add')}
            </Button>
          </Space.Compact>
        )}
      </Space>
      <Table<CaseAct>
        size="small"
        rowKey="act"
        columns={columns}
        dataSource={acts}
        pagination={false}
        locale={{ emptyText: t('cases.acts.none') }}
        rowClassName={(row) => (row.missing ? 'case-act-missing' : '')}
      />
      <Modal
        open={reasonFor !== null}
        title={
          <span>
            {t('cases.acts.notSuitableTitle', {
              act: reasonFor === null ? '' : t(`filing.acts.${reasonFor}`),
            })}{' '}
            <RuleTag rule="D-NOT-SUITABLE" />
          </span>
        }
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onOk={() => reasonForm.submit()}
        onCancel={() => setReasonFor(null)}
        confirmLoading={busy !== null}
        destroyOnHidden
      >
        <Form<{ reason: NotSuitableReason; text: string }>
          form={reasonForm}
          layout="vertical"
          onFinish={(values) => {
            if (reasonFor === null) return;
            setReasonError(null);
            void change({
              act: reasonFor,
              notRecorded: { reason: values.reason, text: values.text.trim() },
            }).then((ok) => {
              if (ok) {
                reasonForm.resetFields();
                setReasonFor(null);
              } else setReasonError(t('cases.acts.reasonFailed'));
            });
          }}
        >
          <Form.Item
            name="reason"
            label={t('cases.acts.reason')}
            rules={[{ required: true, message: t('cases.acts.reasonRequired') }]}
          >
            <Select
              options={NOT_SUITABLE_REASONS.map((reason) => ({
                value: reason,
                label: t(`filing.notSuitable.${reason}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="text"
            label={t('cases.acts.reasonText')}
            rules={[
              { required: true, whitespace: true, message: t('cases.acts.reasonTextRequired') },
            ]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} />
          </Form.Item>
          {reasonError !== null && <Alert type="error" showIcon title={reasonError} />}
        </Form>
      </Modal>
    </div>
  );
}
