import { App as AntApp, Alert, Form, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isGrantedRole, ROLES, type Role, type User } from '../../../src-main/contract';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { errorText } from '../../i18n/format';

interface RoleForm {
  role: Role;
}

/**
 * An admin changes someone's role (`users.setRole`). To custodian or supervisor it is a request a
 * custodian confirms (D-CUSTODIAN); until then the old role stays in force.
 */
export function RoleModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const { form, busy, error, close, run } = useModalForm<RoleForm>(onClose, (cause) =>
    errorText(t, cause),
  );
  const chosen = Form.useWatch('role', form);

  const submit = (values: RoleForm) =>
    run(async () => {
      if (user === null) return;
      const { grant } = await client.call('users.setRole', {
        badge: user.badge,
        role: values.role,
      });
      const role = t(`roles.${values.role}`);
      void message.success(
        grant?.status === 'pending'
          ? t('users.role.requestedMsg', { name: user.name, role })
          : t('users.role.changedMsg', { name: user.name, role }),
      );
      close();
    });

  return (
    <Modal
      open={user !== null}
      title={t('users.role.title', { name: user?.name ?? '' })}
      okText={t('users.role.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={440}
      okButtonProps={{ 'data-testid': 'role-submit' } as Record<string, string>}
    >
      <Form<RoleForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ role: user?.role ?? 'officer' }}
        onFinish={(values) => void submit(values)}
        data-testid="role-form"
        style={{ marginTop: 16 }}
      >
        <Form.Item name="role" label={t('fields.role')} rules={[{ required: true }]}>
          <Select<Role>
            data-testid="role-select"
            options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          />
        </Form.Item>
        {chosen !== undefined && isGrantedRole(chosen) && chosen !== user?.role && (
          <Typography.Paragraph type="secondary">
            {t('users.grantNeedsConfirmation')}
          </Typography.Paragraph>
        )}
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
