import { Alert, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CUSTODY_EXCEPTION_KINDS, type CustodyExceptionKind } from '../../../src-main/contract';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { errorText } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';

interface ExceptionForm {
  kind: CustodyExceptionKind;
  returnedAt: Dayjs;
  note: string;
}

/**
 * D-24H: custody came more than 24 hours after the recording because of continuous duty,
 * off-site work or a remote area; the 24 hours then count from the officer's return.
 */
export function CustodyExceptionModal({
  clipIds,
  onClose,
  onRecorded,
}: {
  clipIds: number[] | null;
  onClose: () => void;
  onRecorded: (stillLate: number) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { form, busy, error, close, run } = useModalForm<ExceptionForm>(onClose, (cause) =>
    errorText(t, cause),
  );

  const submit = (values: ExceptionForm) =>
    run(async () => {
      if (clipIds === null) return;
      const result = await client.call('clips.custodyException', {
        clipIds,
        exception: {
          kind: values.kind,
          returnedAt: values.returnedAt.toISOString(),
          note: values.note.trim() === '' ? null : values.note.trim(),
        },
      });
      form.resetFields();
      onRecorded(result.clips.filter((clip) => clip.lateCustody).length);
    });

  return (
    <Modal
      open={clipIds !== null}
      title={
        <span>
          {t('clips.exception.title')} <RuleTag rule="D-24H" />
        </span>
      }
      okText={t('clips.exception.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'exception-submit' } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">{t('clips.exception.intro')}</Typography.Paragraph>
      <Form<ExceptionForm>
        form={form}
        layout="vertical"
        initialValues={{ note: '' }}
        onFinish={(values) => void submit(values)}
        data-testid="exception-form"
      >
        <Form.Item
          name="kind"
          label={t('clips.exception.kind')}
          rules={[{ required: true, message: t('clips.exception.kindRequired') }]}
        >
          <Select<CustodyExceptionKind>
            options={CUSTODY_EXCEPTION_KINDS.map((kind) => ({
              value: kind,
              label: t(`filing.custodyKinds.${kind}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="returnedAt"
          label={t('clips.exception.returnedAt')}
          rules={[{ required: true, message: t('clips.exception.returnedAtRequired') }]}
          extra={t('clips.exception.returnedAtHint')}
        >
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={t('clips.exception.note')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
