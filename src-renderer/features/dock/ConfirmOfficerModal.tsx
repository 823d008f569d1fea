import { App as AntApp, Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Docking } from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { badgeRules, pinRules } from '../../shared/validation';
import { errorText } from '../../i18n/format';

interface ConfirmForm {
  badge: string;
  pin: string;
}

/**
 * The officer at the dock says who they are with badge + PIN (or taps their IC card on the
 * reader, which needs no form). The docking and its clips are then attributed to them.
 */
export function ConfirmOfficerModal({
  docking,
  onClose,
}: {
  docking: Docking | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const { form, busy, error, close, run } = useModalForm<ConfirmForm>(onClose, (cause) =>
    cause instanceof StationError && cause.code === 'INVALID_CREDENTIALS'
      ? t('dock.confirm.wrong')
      : errorText(t, cause),
  );

  const submit = (values: ConfirmForm) =>
    run(async () => {
      if (docking === null) return;
      const { docking: confirmed } = await client.call('dock.identify', {
        dockingId: docking.id,
        badge: values.badge.trim(),
        pin: values.pin,
      });
      void message.success(
        t('dock.confirm.done', {
          name: confirmed.officerName ?? '',
          badge: confirmed.officerBadge ?? '',
        }),
      );
      close();
    });

  return (
    <Modal
      open={docking !== null}
      title={t('dock.confirm.title')}
      okText={t('dock.confirm.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'confirm-officer-submit' } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">{t('dock.confirm.intro')}</Typography.Paragraph>
      <Form<ConfirmForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ badge: docking?.officerBadge ?? '' }}
        onFinish={(values) => void submit(values)}
        data-testid="confirm-officer-form"
      >
        <Form.Item name="badge" label={t('fields.badge')} rules={badgeRules(t)}>
          <Input autoComplete="off" data-testid="confirm-officer-badge" />
        </Form.Item>
        <Form.Item name="pin" label={t('dock.confirm.pin')} rules={pinRules(t)}>
          <Input.Password
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            maxLength={8}
            data-testid="confirm-officer-pin"
          />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
