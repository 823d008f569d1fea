import { App as AntApp, Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { cardRules } from '../../shared/validation';
import { errorText } from '../../i18n/format';

interface CardForm {
  cardNumber: string;
}

/**
 * An admin registers the IC card an officer confirms themselves with at the dock. The reader
 * types the number into the focused field like a keyboard, so a tap fills it in.
 */
export function CardModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const { form, busy, error, close, run } = useModalForm<CardForm>(onClose, (cause) =>
    cause instanceof StationError && cause.code === 'CONFLICT'
      ? t('users.card.taken')
      : errorText(t, cause),
  );

  const save = (cardNumber: string | null) =>
    run(async () => {
      if (user === null) return;
      await client.call('users.setCard', { badge: user.badge, cardNumber });
      void message.success(
        t(cardNumber === null ? 'users.card.removed' : 'users.card.saved', { name: user.name }),
      );
      close();
    });

  return (
    <Modal
      open={user !== null}
      title={t('users.card.title', { name: user?.name ?? '' })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      footer={(buttons) => (
        <>
          {user !== null && user.cardMasked !== null && (
            <Button danger onClick={() => void save(null)} disabled={busy}>
              {t('users.card.remove')}
            </Button>
          )}
          {buttons}
        </>
      )}
    >
      <Typography.Paragraph type="secondary">{t('users.card.hint')}</Typography.Paragraph>
      {user !== null && user.cardMasked !== null && (
        <Typography.Paragraph data-testid="card-current">
          {t('users.card.current', { card: user.cardMasked })}
        </Typography.Paragraph>
      )}
      <Form<CardForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        // The number registered now is never sent back whole (it is a credential at the dock).
        initialValues={{ cardNumber: '' }}
        onFinish={(values) => void save(values.cardNumber.trim())}
        data-testid="card-form"
      >
        <Form.Item name="cardNumber" label={t('users.card.number')} rules={cardRules(t)}>
          <Input autoFocus autoComplete="off" data-testid="card-number" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
