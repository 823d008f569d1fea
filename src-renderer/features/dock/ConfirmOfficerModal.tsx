import { App as AntApp, Alert, Form, Input, Modal, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Docking, User } from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { pinRules } from '../../shared/validation';
import { errorText } from '../../i18n/format';
import { OfficerLine } from './OfficerText';

interface ConfirmForm {
  pin: string;
}

/** Why the station refused, in the officer's words where it said which rule stopped it. */
function refusalText(t: TFunction, cause: unknown): string {
  if (cause instanceof StationError) {
    if (cause.code === 'INVALID_CREDENTIALS') return t('dock.confirm.wrong');
    const reason = cause.details?.['reason'];
    if (reason === 'confirmed') return t('dock.confirm.refused.confirmed');
    if (reason === 'too-old') return t('dock.confirm.refused.tooOld');
    // One answer for any docking that is not this officer's to confirm (D-NO-LEAK).
    if (reason === 'not-yours') return t('dock.confirm.refused.notYours');
  }
  return errorText(t, cause);
}

/**
 * The docking to confirm: this officer's own, or a pool recorder's nobody has confirmed yet,
 * known to them by its id and the recorder's serial only (D-NO-LEAK).
 */
export type ConfirmTarget = Pick<Docking, 'id' | 'officerBadge' | 'officerName'>;

/**
 * The officer at the dock confirms, with their dock PIN, that this docking is theirs (or taps
 * their IC card on the reader, which needs no form). They confirm as themselves, the logged-in
 * officer, never in someone else's name, and only a recorder issued to them or a pool recorder
 * (D-WHO-RECORDS); the docking's clips become theirs.
 */
export function ConfirmOfficerModal({
  docking,
  currentUser,
  onClose,
}: {
  docking: ConfirmTarget | null;
  currentUser: User;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const { form, busy, error, close, run } = useModalForm<ConfirmForm>(onClose, (cause) =>
    refusalText(t, cause),
  );

  const submit = (values: ConfirmForm) =>
    run(async () => {
      if (docking === null) return;
      const { docking: confirmed } = await client.call('dock.identify', {
        dockingId: docking.id,
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
      <OfficerLine
        label={t('dock.confirm.as')}
        name={currentUser.name}
        badge={currentUser.badge}
        testId="confirm-officer-self"
      />
      <Form<ConfirmForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => void submit(values)}
        data-testid="confirm-officer-form"
      >
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
