import { Alert, Checkbox, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  type Case,
  type EnforcementKind,
  PROCEDURAL_ACTS,
  type ProceduralAct,
  type User,
} from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { useModalForm } from '../useModalForm';
import { useStation } from '../StationContext';
import { errorText } from '../../i18n/format';
import { RuleTag } from '../RuleTag';
import { kindOptions } from './options';
import type { FilingPolicy } from './useFilingPolicy';

interface NewCaseForm {
  number: string;
  kind: EnforcementKind;
  title: string;
  openedAt: Dayjs | null;
  handlingOfficer: string;
  emergency: boolean;
  acts: ProceduralAct[];
}

/** Opens a case (`cases.create`), from the label form or the Cases screen. */
export function NewCaseModal({
  open,
  prefill,
  currentUser,
  policy,
  onClose,
  onCreated,
}: {
  open: boolean;
  prefill: { number?: string; kind?: EnforcementKind | null } | null;
  currentUser: User;
  policy: FilingPolicy | null;
  onClose: () => void;
  onCreated: (created: Case) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { form, busy, error, close, run } = useModalForm<NewCaseForm>(onClose, (cause) =>
    errorText(t, cause),
  );

  const submit = (values: NewCaseForm) =>
    run(
      async () => {
        const { case: created } = await client.call('cases.create', {
          number: values.number.trim(),
          kind: values.kind,
          title: values.title.trim(),
          ...(values.openedAt ? { openedAt: values.openedAt.toISOString() } : {}),
          ...(values.handlingOfficer.trim() !== ''
            ? { handlingOfficer: values.handlingOfficer.trim() }
            : {}),
          emergency: values.emergency,
          acts: values.acts,
        });
        form.resetFields();
        onCreated(created);
      },
      (cause) =>
        cause instanceof StationError && cause.code === 'ALREADY_EXISTS'
          ? t('cases.form.taken', { number: values.number.trim() })
          : errorText(t, cause),
    );

  return (
    <Modal
      open={open}
      title={t('cases.form.title')}
      okText={t('cases.form.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={560}
      okButtonProps={{ 'data-testid': 'new-case-submit' } as Record<string, string>}
    >
      <Form<NewCaseForm>
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        wrapperCol={{ span: 18 }}
        initialValues={{
          number: prefill?.number ?? '',
          kind: prefill?.kind ?? undefined,
          title: '',
          openedAt: null,
          handlingOfficer: currentUser.role === 'officer' ? currentUser.badge : '',
          emergency: false,
          acts: [],
        }}
        onFinish={(values) => void submit(values)}
        data-testid="new-case-form"
        style={{ marginTop: 16 }}
      >
        <Form.Item
          name="number"
          label={t('cases.fields.number')}
          rules={[{ required: true, whitespace: true, message: t('cases.form.numberRequired') }]}
          extra={
            policy === null
              ? undefined
              : t('filing.caseFormatExample', { example: policy.caseNumberFormat.example })
          }
        >
          <Input autoComplete="off" data-testid="new-case-number" />
        </Form.Item>
        <Form.Item
          name="kind"
          label={t('cases.fields.kind')}
          rules={[{ required: true, message: t('cases.form.kindRequired') }]}
        >
          <Select<EnforcementKind> data-testid="new-case-kind" options={kindOptions(t)} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('cases.fields.title')}
          rules={[{ required: true, whitespace: true, message: t('cases.form.titleRequired') }]}
        >
          <Input autoComplete="off" maxLength={200} data-testid="new-case-title" />
        </Form.Item>
        <Form.Item
          name="openedAt"
          label={t('cases.fields.openedAt')}
          extra={t('cases.form.openedAtHint')}
        >
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="handlingOfficer" label={t('cases.fields.handlingOfficer')}>
          <Input autoComplete="off" placeholder={t('fields.badge')} />
        </Form.Item>
        <Form.Item
          name="acts"
          label={t('cases.fields.acts')}
          extra={
            <span>
              {t('cases.form.actsHint')} <RuleTag rule="D-AV-REQUIRED" />
            </span>
          }
        >
          <Select<ProceduralAct[]>
            mode="multiple"
            allowClear
            data-testid="new-case-acts"
            options={PROCEDURAL_ACTS.map((act) => ({ value: act, label: t(`filing.acts.${act}`) }))}
          />
        </Form.Item>
        <Form.Item name="emergency" valuePropName="checked" wrapperCol={{ offset: 6, span: 18 }}>
          <Checkbox data-testid="new-case-emergency">
            {t('cases.form.emergency')} <RuleTag rule="D-LATE-START" />
          </Checkbox>
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.emergency !== b.emergency}>
          {({ getFieldValue }) =>
            getFieldValue('emergency') === true ? (
              <Typography.Paragraph type="secondary" style={{ marginInlineStart: '25%' }}>
                {policy === null
                  ? t('cases.form.emergencyHint')
                  : t('cases.form.emergencyHintHours', { hours: policy.lateApprovalHours })}
              </Typography.Paragraph>
            ) : null
          }
        </Form.Item>
        {error !== null && (
          <Alert type="error" showIcon title={error} data-testid="new-case-error" />
        )}
      </Form>
    </Modal>
  );
}
