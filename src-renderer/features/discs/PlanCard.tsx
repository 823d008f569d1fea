import { useEffect, useRef, useState } from 'react';
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { DiscSelection, DiscSet, MethodOutput } from '../../../src-main/contract';
import { errorText } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';
import { formatBytes } from '../../shared/format';
import { useStation } from '../../shared/StationContext';
import { DISC_MEDIA, mediumText, parseClipIds } from './discFormat';

type Kind = DiscSelection['kind'];

interface PlanFields {
  kind: Kind;
  caseNumber?: string;
  clipIds?: string;
  medium: (typeof DISC_MEDIA)[number];
  copies: number;
  par2Percent: number;
}

type TooLarge = Extract<MethodOutput<'disc.plan'>, { ok: false }>['tooLarge'];

/** Two copies kept apart (D-LONGTERM); 5 % recovery data mends a scratch without a second disc. */
const DEFAULTS = { medium: 'dvd', copies: 2, par2Percent: 5 } as const;

function selectionOf(values: PlanFields): DiscSelection {
  if (values.kind === 'case') return { kind: 'case', caseNumber: (values.caseNumber ?? '').trim() };
  if (values.kind === 'clips')
    return { kind: 'clips', clipIds: parseClipIds(values.clipIds ?? '') ?? [] };
  return { kind: 'long-term-pending' };
}

/**
 * Planning a set (custodians, D-LONGTERM): which clips — a case's, every long-term clip not yet on
 * a verified disc, or clip ids — on which medium, in how many copies, with how much recovery data.
 * Nothing is burned yet; a clip larger than the medium is named with the medium it would fit.
 */
export function PlanCard({
  caseNumber,
  onPlanned,
}: {
  /** A case to plan for, from the address (the case view's "Burn to disc"). */
  caseNumber: string | null;
  onPlanned: (set: DiscSet) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<PlanFields>();
  const kind = Form.useWatch('kind', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tooLarge, setTooLarge] = useState<TooLarge | null>(null);
  const [planned, setPlanned] = useState<DiscSet | null>(null);
  const card = useRef<HTMLDivElement>(null);

  // Come from a case: the form is where the custodian is going.
  useEffect(() => {
    if (caseNumber !== null) card.current?.scrollIntoView({ block: 'start' });
  }, [caseNumber]);

  const submit = async (values: PlanFields) => {
    setBusy(true);
    setError(null);
    setTooLarge(null);
    setPlanned(null);
    try {
      const outcome = await client.call('disc.plan', {
        selection: selectionOf(values),
        medium: values.medium,
        copies: values.copies,
        par2Percent: values.par2Percent,
      });
      if (!outcome.ok) {
        setTooLarge(outcome.tooLarge);
        return;
      }
      setPlanned(outcome.set);
      void message.success(t('discs.plan.plannedMsg', { tag: outcome.set.tag }));
      onPlanned(outcome.set);
    } catch (cause) {
      setError(errorText(t, cause));
    } finally {
      setBusy(false);
    }
  };

  const plannedClips = planned?.discs.reduce((sum, disc) => sum + disc.clips, 0) ?? 0;
  const plannedBytes = planned?.discs.reduce((sum, disc) => sum + disc.bytes, 0) ?? 0;

  return (
    <Card
      size="small"
      ref={card}
      data-testid="disc-plan"
      title={
        <Space>
          {t('discs.plan.title')}
          <RuleTag rule="D-LONGTERM" />
        </Space>
      }
    >
      <Form<PlanFields>
        form={form}
        layout="horizontal"
        labelCol={{ flex: '140px' }}
        requiredMark={false}
        initialValues={{
          kind: caseNumber !== null ? 'case' : 'long-term-pending',
          caseNumber: caseNumber ?? '',
          clipIds: '',
          ...DEFAULTS,
        }}
        onFinish={(values) => void submit(values)}
        style={{ maxWidth: 760 }}
      >
        <Form.Item name="kind" label={t('discs.plan.what')}>
          <Radio.Group data-testid="plan-kind">
            <Radio value="long-term-pending" data-testid="plan-kind-pending">
              {t('discs.plan.kinds.pending')}
            </Radio>
            <Radio value="case" data-testid="plan-kind-case">
              {t('discs.plan.kinds.case')}
            </Radio>
            <Radio value="clips" data-testid="plan-kind-clips">
              {t('discs.plan.kinds.clips')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {kind === 'case' && (
          <Form.Item
            name="caseNumber"
            label={t('discs.plan.caseNumber')}
            rules={[{ required: true, whitespace: true, message: t('discs.plan.caseRequired') }]}
          >
            <Input maxLength={64} data-testid="plan-case" />
          </Form.Item>
        )}
        {kind === 'clips' && (
          <Form.Item
            name="clipIds"
            label={t('discs.plan.clipIds')}
            extra={t('discs.plan.clipIdsHint')}
            rules={[
              {
                validator: (_rule: unknown, value: unknown) =>
                  typeof value === 'string' && parseClipIds(value) !== null
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('discs.plan.clipIdsInvalid'))),
              },
            ]}
          >
            <Input data-testid="plan-clips" />
          </Form.Item>
        )}
        {kind === 'long-term-pending' && (
          <Form.Item label=" " colon={false}>
            <Typography.Text type="secondary">{t('discs.plan.pendingHint')}</Typography.Text>
          </Form.Item>
        )}
        <Form.Item name="medium" label={t('discs.plan.medium')}>
          <Select
            style={{ width: 200 }}
            options={DISC_MEDIA.map((id) => ({ value: id, label: mediumText(t, id) }))}
            data-testid="plan-medium"
          />
        </Form.Item>
        <Form.Item name="copies" label={t('discs.plan.copies')} extra={t('discs.plan.copiesHint')}>
          <InputNumber min={1} max={9} precision={0} data-testid="plan-copies" />
        </Form.Item>
        <Form.Item
          name="par2Percent"
          label={t('discs.plan.recovery')}
          extra={t('discs.plan.recoveryHint')}
        >
          <InputNumber
            min={1}
            max={100}
            precision={0}
            suffix="%"
            style={{ width: 120 }}
            data-testid="plan-recovery"
          />
        </Form.Item>
        <Form.Item label=" " colon={false}>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="plan-submit">
            {t('discs.plan.submit')}
          </Button>
        </Form.Item>
      </Form>
      {error !== null && <Alert type="error" showIcon title={error} data-testid="plan-error" />}
      {tooLarge !== null && (
        <Alert
          type="warning"
          showIcon
          data-testid="plan-too-large"
          title={t('discs.plan.tooLargeTitle', { count: tooLarge.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {tooLarge.map((clip) => (
                <li key={clip.clipId} data-testid={`too-large-${clip.clipId}`}>
                  {clip.fitsOn === null
                    ? t('discs.plan.fitsNone', {
                        clipId: clip.clipId,
                        size: formatBytes(clip.size),
                      })
                    : t('discs.plan.fitsOn', {
                        clipId: clip.clipId,
                        size: formatBytes(clip.size),
                        medium: mediumText(t, clip.fitsOn),
                      })}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {planned !== null && (
        <Alert
          type="success"
          showIcon
          data-testid="plan-result"
          data-set-id={planned.id}
          title={t('discs.plan.plannedTitle', { tag: planned.tag })}
          description={t('discs.plan.plannedBody', {
            discs: planned.discs.length,
            copies: planned.copies,
            clips: plannedClips,
            size: formatBytes(plannedBytes),
            medium: mediumText(t, planned.medium, planned.mediumBytes),
          })}
        />
      )}
    </Card>
  );
}
