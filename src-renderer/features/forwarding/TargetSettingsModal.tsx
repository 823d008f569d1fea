import { Alert, Form, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ForwardTarget } from '../../../src-main/contract';
import { errorText } from '../../i18n/format';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { scheduleFields, scheduleOf, type ScheduleFields } from './forwardingFormat';
import { ScheduleEditor } from './ScheduleEditor';

interface SettingsForm {
  concurrency: number;
  readBackPercent: number;
  schedule: ScheduleFields;
}

/** A target's upload settings a custodian may change later: concurrency, read-back, timetable. */
export function TargetSettingsModal({
  target,
  onClose,
  onChanged,
}: {
  target: ForwardTarget | null;
  onClose: () => void;
  onChanged: (target: ForwardTarget) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { form, busy, error, close, run } = useModalForm<SettingsForm>(onClose, (cause) =>
    errorText(t, cause),
  );

  const submit = (values: SettingsForm) =>
    run(async () => {
      const { target: changed } = await client.call('forward.targets.change', {
        name: target!.name,
        concurrency: values.concurrency,
        readBackPercent: values.readBackPercent,
        schedule: scheduleOf(values.schedule),
      });
      onChanged(changed);
    });

  return (
    <Modal
      open={target !== null}
      title={t('forwarding.settings.title', { name: target?.name ?? '' })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={720}
      okButtonProps={{ 'data-testid': 'target-settings-submit' } as Record<string, string>}
    >
      {target !== null && (
        <Form<SettingsForm>
          form={form}
          layout="horizontal"
          labelCol={{ span: 6 }}
          wrapperCol={{ span: 18 }}
          requiredMark={false}
          initialValues={{
            concurrency: target.concurrency,
            readBackPercent: target.readBackPercent,
            schedule: scheduleFields(target.schedule),
          }}
          onFinish={(values) => void submit(values)}
          style={{ marginTop: 16 }}
        >
          <Form.Item name="concurrency" label={t('forwarding.fields.concurrency')}>
            <InputNumber min={1} max={16} precision={0} />
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
          {error !== null && <Alert type="error" showIcon title={error} />}
        </Form>
      )}
    </Modal>
  );
}
