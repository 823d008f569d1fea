import { useState } from 'react';
import { App as AntApp, Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { cardNumberSchema } from '../../../src-main/contract/docking';
import type { User } from '../../../src-main/contract/types';
import { StationError } from '../../api/errors';
import { useStation } from '../../app/StationContext';
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
  const [form] = Form.useForm<CardForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    form.resetFields();
    setError(null);
    onClose();
  };

  const save = async (cardNumber: string | null) => {
    if (user === null) return;
    setBusy(true);
    setError(null);
    try {
      await client.call('users.setCard', { badge: user.badge, cardNumber });
      void message.success(
        t(cardNumber === null ? 'users.card.removed' : 'users.card.saved', { name: user.name }),
      );
      close();
    } catch (cause) {
      setError(
        cause instanceof StationError && cause.code === 'CONFLICT'
          ? t('users.card.taken')
          : errorText(t, cause),
      );
    } finally {
      setBusy(false);
    }
  };

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
          {user?.cardNumber !== null && user?.cardNumber !== undefined && (
            <Button danger onClick={() => void save(null)} disabled={busy}>
              {t('users.card.remove')}
            </Button>
          )}
          {buttons}
        </>
      )}
    >
      <Typography.Paragraph type="secondary">{t('users.card.hint')}</Typography.Paragraph>
      <Form<CardForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ cardNumber: user?.cardNumber ?? '' }}
        onFinish={(values) => void save(values.cardNumber.trim())}
        data-testid="card-form"
      >
        <Form.Item
          name="cardNumber"
          label={t('users.card.number')}
          rules={[
            {
              validator: (_rule, value: unknown) =>
                cardNumberSchema.safeParse(value).success
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('validation.cardFormat'))),
            },
          ]}
        >
          <Input autoFocus autoComplete="off" data-testid="card-number" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
