import { App as AntApp, Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Docking } from '../../../src-main/contract';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { badgeRules } from '../../shared/validation';
import { errorText } from '../../i18n/format';
import { OfficerLine } from './OfficerText';

interface ReattributeForm {
  badge: string;
  reason: string;
}

/**
 * A custodian moves a confirmed docking, and its clips, to the officer who recorded it, and says
 * why (D-WHO-RECORDS, D-CUSTODIAN). The station keeps who it was before, the reason and who
 * changed it, in the audit log and as a finding on the docking.
 */
export function ReattributeDockingModal({
  docking,
  onClose,
}: {
  docking: Docking | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const { form, busy, error, close, run } = useModalForm<ReattributeForm>(onClose, (cause) =>
    errorText(t, cause),
  );

  const submit = (values: ReattributeForm) =>
    run(async () => {
      if (docking === null) return;
      const { docking: moved } = await client.call('dock.reattribute', {
        dockingId: docking.id,
        badge: values.badge.trim(),
        reason: values.reason.trim(),
      });
      void message.success(
        t('dock.reattribute.done', {
          name: moved.officerName ?? '',
          badge: moved.officerBadge ?? '',
        }),
      );
      close();
    });

  return (
    <Modal
      open={docking !== null}
      title={t('dock.reattribute.title')}
      okText={t('dock.reattribute.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'reattribute-submit' } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">{t('dock.reattribute.intro')}</Typography.Paragraph>
      {docking !== null && (
        <OfficerLine
          label={t('dock.reattribute.current')}
          name={docking.officerName ?? ''}
          badge={docking.officerBadge ?? t('dock.officerUnknown')}
        />
      )}
      <Form<ReattributeForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => void submit(values)}
        data-testid="reattribute-form"
      >
        <Form.Item name="badge" label={t('dock.reattribute.badge')} rules={badgeRules(t)}>
          <Input autoComplete="off" autoFocus data-testid="reattribute-badge" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('dock.reattribute.reason')}
          rules={[
            { required: true, whitespace: true, message: t('dock.reattribute.reasonRequired') },
            { min: 2, message: t('dock.reattribute.reasonRequired') },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 4 }}
            maxLength={500}
            data-testid="reattribute-reason"
          />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
