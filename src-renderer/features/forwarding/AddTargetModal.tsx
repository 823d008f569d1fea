import { Alert, Divider, Form, Input, InputNumber, Modal, Radio, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  prefixSchema,
  targetNameSchema,
  type ForwardTarget,
  type TargetKind,
} from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { errorText } from '../../i18n/format';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { schemaRule } from '../../shared/validation';
import { scheduleOf, type ScheduleFields } from './forwardingFormat';
import { ScheduleEditor } from './ScheduleEditor';

interface AddTargetForm {
  kind: TargetKind;
  name: string;
  endpoint?: string;
  bucket?: string;
  region?: string;
  prefix?: string;
  pathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  folderPath?: string;
  concurrency: number;
  partSizeMiB: number;
  readBackPercent: number;
  schedule: ScheduleFields;
}

const DEFAULTS: Partial<AddTargetForm> = {
  kind: 's3',
  pathStyle: false,
  concurrency: 2,
  partSizeMiB: 16,
  readBackPercent: 5,
  schedule: { windows: [], otherwise: null },
};

const optional = (text: string | undefined) =>
  text === undefined || text.trim() === '' ? undefined : text.trim();

/**
 * A custodian adds a central-storage target (D-CUSTODIAN): an S3-compatible object store or the
 * folder where the OS mounts a share. The keys are write-only: typed here once, sealed by the
 * station, never shown again, and never kept by this form after it closes.
 */
export function AddTargetModal({
  open,
  onClose,
  onAdded,
}: {
  open: boolean;
  onClose: () => void;
  onAdded: (target: ForwardTarget) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { form, busy, error, close, run } = useModalForm<AddTargetForm>(onClose, (cause) =>
    errorText(t, cause),
  );
  const kind = Form.useWatch('kind', form) ?? 's3';

  const submit = (values: AddTargetForm) =>
    run(
      async () => {
        const common = {
          name: values.name.trim(),
          prefix: optional(values.prefix),
          concurrency: values.concurrency,
          partSizeMiB: values.partSizeMiB,
          readBackPercent: values.readBackPercent,
          schedule: scheduleOf(values.schedule),
        };
        const { target } = await client.call(
          'forward.targets.add',
          values.kind === 's3'
            ? {
                ...common,
                kind: 's3',
                endpoint: values.endpoint!.trim(),
                bucket: values.bucket!.trim(),
                region: optional(values.region),
                pathStyle: values.pathStyle,
                accessKeyId: values.accessKeyId!,
                secretAccessKey: values.secretAccessKey!,
              }
            : { ...common, kind: 'folder', folderPath: values.folderPath!.trim() },
        );
        form.resetFields();
        onAdded(target);
      },
      (cause) =>
        cause instanceof StationError && cause.code === 'ALREADY_EXISTS'
          ? t('forwarding.add.nameTaken', { name: values.name.trim() })
          : errorText(t, cause),
    );

  const required = (message: string) => [{ required: true, whitespace: true, message }];

  return (
    <Modal
      open={open}
      title={t('forwarding.add.title')}
      okText={t('forwarding.add.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={720}
      okButtonProps={{ 'data-testid': 'add-target-submit' } as Record<string, string>}
    >
      <Form<AddTargetForm>
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        wrapperCol={{ span: 18 }}
        requiredMark={false}
        initialValues={DEFAULTS}
        onFinish={(values) => void submit(values)}
        data-testid="add-target-form"
        style={{ marginTop: 16 }}
        autoComplete="off"
      >
        <Form.Item name="kind" label={t('forwarding.fields.kind')}>
          <Radio.Group
            optionType="button"
            data-testid="add-target-kind"
            options={[
              { value: 's3', label: t('forwarding.kinds.s3') },
              { value: 'folder', label: t('forwarding.kinds.folder') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('forwarding.fields.name')}
          rules={[
            ...required(t('forwarding.add.nameRequired')),
            schemaRule(targetNameSchema, t('forwarding.add.nameFormat')),
          ]}
        >
          <Input
            autoFocus
            data-testid="add-target-name"
            placeholder={t('forwarding.add.namePlaceholder')}
          />
        </Form.Item>
        {kind === 's3' ? (
          <>
            <Form.Item
              name="endpoint"
              label={t('forwarding.fields.endpoint')}
              rules={[
                ...required(t('forwarding.add.endpointRequired')),
                { type: 'url', message: t('forwarding.add.endpointFormat') },
              ]}
            >
              <Input placeholder="https://oss.example.gov.cn" data-testid="add-target-endpoint" />
            </Form.Item>
            <Form.Item
              name="bucket"
              label={t('forwarding.fields.bucket')}
              rules={[
                ...required(t('forwarding.add.bucketRequired')),
                {
                  pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
                  message: t('forwarding.add.bucketFormat'),
                },
              ]}
            >
              <Input data-testid="add-target-bucket" />
            </Form.Item>
            <Form.Item
              name="region"
              label={t('forwarding.fields.region')}
              rules={[{ pattern: /^[a-z0-9-]{1,40}$/, message: t('forwarding.add.regionFormat') }]}
              extra={t('forwarding.add.regionHint')}
            >
              <Input data-testid="add-target-region" />
            </Form.Item>
            <Form.Item
              name="pathStyle"
              label={t('forwarding.fields.pathStyle')}
              valuePropName="checked"
              extra={t('forwarding.add.pathStyleHint')}
            >
              <Switch data-testid="add-target-path-style" />
            </Form.Item>
            <Form.Item
              name="accessKeyId"
              label={t('forwarding.fields.accessKeyId')}
              rules={required(t('forwarding.add.keysRequired'))}
            >
              <Input.Password autoComplete="new-password" data-testid="add-target-access-key" />
            </Form.Item>
            <Form.Item
              name="secretAccessKey"
              label={t('forwarding.fields.secretAccessKey')}
              rules={required(t('forwarding.add.keysRequired'))}
              extra={t('forwarding.add.keysHint')}
            >
              <Input.Password autoComplete="new-password" data-testid="add-target-secret-key" />
            </Form.Item>
          </>
        ) : (
          <Form.Item
            name="folderPath"
            label={t('forwarding.fields.folderPath')}
            rules={required(t('forwarding.add.folderRequired'))}
            extra={t('forwarding.add.folderHint')}
          >
            <Input data-testid="add-target-folder" />
          </Form.Item>
        )}
        <Form.Item
          name="prefix"
          label={t('forwarding.fields.prefix')}
          rules={[schemaRule(prefixSchema, t('forwarding.add.prefixFormat'))]}
          extra={t('forwarding.add.prefixHint')}
        >
          <Input data-testid="add-target-prefix" />
        </Form.Item>
        <Divider titlePlacement="start" plain style={{ margin: '8px 0 16px' }}>
          {t('forwarding.add.uploadSettings')}
        </Divider>
        <Form.Item name="concurrency" label={t('forwarding.fields.concurrency')}>
          <InputNumber min={1} max={16} precision={0} data-testid="add-target-concurrency" />
        </Form.Item>
        <Form.Item
          name="partSizeMiB"
          label={t('forwarding.fields.partSize')}
          extra={t('forwarding.add.partSizeHint')}
        >
          <InputNumber min={5} max={512} precision={0} suffix="MiB" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item
          name="readBackPercent"
          label={t('forwarding.fields.readBack')}
          extra={t('forwarding.add.readBackHint')}
        >
          <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: 120 }} />
        </Form.Item>
        <Form.Item label={t('forwarding.fields.schedule')}>
          <ScheduleEditor />
        </Form.Item>
        {error !== null && (
          <Alert type="error" showIcon title={error} data-testid="add-target-error" />
        )}
      </Form>
    </Modal>
  );
}
