import { useMemo, useState } from 'react';
import type { FormRule } from 'antd';
import { Alert, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  badgeSchema,
  type ProfileSummary,
  type Recorder,
  roleHasPermission,
  serialSchema,
  type User,
} from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { useStation } from '../StationContext';
import { useStationData } from '../useStationData';
import { errorText } from '../../i18n/format';
import { schemaRule } from '../validation';
import { profileName } from './profiles';

/** What the form starts with: empty, or what an unregistered volume on the Dock screen showed. */
export interface RegisterPrefill {
  serial?: string | null;
  profileId?: string | null;
  /** The docked volume this is for, when it could not tell its own serial. */
  mountpoint?: string | null;
}

interface RegisterForm {
  serial: string;
  profileId: string;
  officerBadge?: string;
}

function serialRules(t: TFunction): FormRule[] {
  return [
    { required: true, whitespace: true, message: t('recorders.form.serialRequired') },
    schemaRule(serialSchema, t('recorders.form.serialFormat')),
  ];
}

/**
 * Registering a recorder (`recorders.manage`, custodians: D-CUSTODIAN): serial, model, and the
 * officer it is issued to. Only registered recorders are read at the dock (D-NO-LEAK).
 * The officer is picked from the accounts when this user may read them, else typed as a badge.
 */
export function RegisterRecorderModal({
  open,
  prefill,
  profiles,
  currentUser,
  onClose,
  onRegistered,
}: {
  open: boolean;
  prefill: RegisterPrefill | null;
  profiles: readonly ProfileSummary[];
  currentUser: User;
  onClose: () => void;
  onRegistered: (recorder: Recorder) => void;
}) {
  const { t, i18n } = useTranslation();
  const { client } = useStation();
  const [form] = Form.useForm<RegisterForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canListUsers = roleHasPermission(currentUser.role, 'users.read');
  const loadUsers = useMemo(
    () =>
      open && canListUsers
        ? async () => (await client.call('users.list', {})).users.filter((user) => !user.disabled)
        : null,
    [client, open, canListUsers],
  );
  const officers = useStationData(loadUsers);
  // Without the list the officer is typed as a badge instead.
  const users = officers.error === null ? officers.data : null;

  const close = () => {
    form.resetFields();
    setError(null);
    onClose();
  };

  const submit = async (values: RegisterForm) => {
    setBusy(true);
    setError(null);
    const serial = values.serial.trim();
    const badge = values.officerBadge?.trim() ?? '';
    try {
      const { recorder } = await client.call('recorders.register', {
        serial,
        profileId: values.profileId,
        officerBadge: badge === '' ? null : badge,
        ...(prefill?.mountpoint ? { mountpoint: prefill.mountpoint } : {}),
      });
      form.resetFields();
      onRegistered(recorder);
    } catch (cause) {
      if (cause instanceof StationError && cause.code === 'ALREADY_EXISTS') {
        setError(t('recorders.form.serialTaken', { serial }));
      } else if (cause instanceof StationError && cause.code === 'NOT_FOUND') {
        setError(t('recorders.form.notFound', { detail: cause.message }));
      } else {
        setError(errorText(t, cause));
      }
    } finally {
      setBusy(false);
    }
  };

  const profileOptions = profiles.map((profile) => ({
    value: profile.id,
    label: (
      <Space size={6}>
        {profileName(profiles, profile.id, i18n.language)}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {profile.id}
        </Typography.Text>
      </Space>
    ),
    search: `${profile.id} ${profile.name['zh-CN']} ${profile.name.en}`.toLowerCase(),
  }));

  const officerField =
    canListUsers && users !== null ? (
      <Select<string>
        allowClear
        showSearch={{
          filterOption: (input, option) =>
            (option?.search ?? '').includes(input.trim().toLowerCase()),
        }}
        placeholder={t('recorders.form.officerNone')}
        data-testid="register-officer"
        options={users
          .slice()
          .sort((a, b) => Number(b.role === 'officer') - Number(a.role === 'officer'))
          .map((user) => ({
            value: user.badge,
            label: `${user.name} · ${user.badge} · ${t(`roles.${user.role}`)}`,
            search: `${user.name} ${user.badge}`.toLowerCase(),
          }))}
      />
    ) : (
      <Input
        allowClear
        autoComplete="off"
        placeholder={t('recorders.form.officerBadgePlaceholder')}
        data-testid="register-officer"
      />
    );

  return (
    <Modal
      open={open}
      title={t('recorders.registerTitle')}
      okText={t('recorders.registerSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={540}
      okButtonProps={{ 'data-testid': 'register-submit' } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
        {t('recorders.form.intro')}
      </Typography.Paragraph>
      <Form<RegisterForm>
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        wrapperCol={{ span: 18 }}
        requiredMark={false}
        preserve={false}
        initialValues={{
          serial: prefill?.serial ?? '',
          profileId: prefill?.profileId ?? profiles[0]?.id,
        }}
        onFinish={(values) => void submit(values)}
        data-testid="register-form"
      >
        <Form.Item name="serial" label={t('recorders.columns.serial')} rules={serialRules(t)}>
          <Input
            autoFocus={!prefill?.serial}
            autoComplete="off"
            data-testid="register-serial"
            style={{ fontFamily: 'monospace' }}
          />
        </Form.Item>
        <Form.Item
          name="profileId"
          label={t('recorders.columns.model')}
          rules={[{ required: true, message: t('recorders.form.profileRequired') }]}
        >
          <Select<string>
            data-testid="register-profile"
            options={profileOptions}
            showSearch={{
              filterOption: (input, option) =>
                (option?.search ?? '').includes(input.trim().toLowerCase()),
            }}
            notFoundContent={t('recorders.form.noProfiles')}
          />
        </Form.Item>
        <Form.Item
          name="officerBadge"
          label={t('recorders.columns.officer')}
          rules={[schemaRule(badgeSchema, t('validation.badgeFormat'))]}
          extra={t('recorders.form.officerHint')}
        >
          {officerField}
        </Form.Item>
        {error !== null && (
          <Alert type="error" showIcon title={error} data-testid="register-error" />
        )}
      </Form>
    </Modal>
  );
}
