import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { isGrantedRole, type MethodOutput, type Role, ROLES } from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { badgeRules, confirmRules, nameRules, newPasswordRules } from '../../shared/validation';
import { errorText } from '../../i18n/format';

interface AddUserForm {
  badge: string;
  name: string;
  role: Role;
  password: string;
  confirm: string;
}

export function AddUserModal({
  open,
  onClose,
  onAdded,
}: {
  open: boolean;
  onClose: () => void;
  /** The account, or (custodian, supervisor) the grant that waits for a custodian. */
  onAdded: (added: MethodOutput<'users.add'>) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { form, busy, error, close, run } = useModalForm<AddUserForm>(onClose, (cause) =>
    errorText(t, cause),
  );
  const role = Form.useWatch('role', form);

  const submit = (values: AddUserForm) =>
    run(
      async () => {
        const added = await client.call('users.add', {
          badge: values.badge.trim(),
          name: values.name.trim(),
          role: values.role,
          password: values.password,
        });
        form.resetFields();
        onAdded(added);
      },
      (cause) =>
        cause instanceof StationError && cause.code === 'ALREADY_EXISTS'
          ? t('users.badgeTaken', { badge: values.badge.trim() })
          : errorText(t, cause),
    );

  return (
    <Modal
      open={open}
      title={t('users.addTitle')}
      okText={t('users.addSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={480}
      okButtonProps={{ 'data-testid': 'add-user-submit' } as Record<string, string>}
    >
      <Form<AddUserForm>
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        wrapperCol={{ span: 18 }}
        requiredMark={false}
        initialValues={{ role: 'officer' }}
        onFinish={(values) => void submit(values)}
        data-testid="add-user-form"
        style={{ marginTop: 16 }}
      >
        <Form.Item name="badge" label={t('fields.badge')} rules={badgeRules(t)}>
          <Input autoFocus autoComplete="off" data-testid="add-user-badge" />
        </Form.Item>
        <Form.Item name="name" label={t('fields.name')} rules={nameRules(t)}>
          <Input autoComplete="off" data-testid="add-user-name" />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('fields.role')}
          rules={[{ required: true }]}
          extra={
            role !== undefined && isGrantedRole(role)
              ? t('users.grantNeedsConfirmation')
              : undefined
          }
        >
          <Select<Role>
            data-testid="add-user-role"
            options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.initialPassword')}
          rules={newPasswordRules(t)}
          extra={t('validation.passwordHint')}
        >
          <Input.Password autoComplete="new-password" data-testid="add-user-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('fields.confirmPassword')}
          dependencies={['password']}
          rules={confirmRules(t, 'password')}
        >
          <Input.Password autoComplete="new-password" data-testid="add-user-confirm" />
        </Form.Item>
        {error !== null && (
          <Alert type="error" showIcon title={error} data-testid="add-user-error" />
        )}
      </Form>
    </Modal>
  );
}
