import { Button, Checkbox, Form, Input, InputNumber, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/**
 * The weekly bandwidth timetable of a target (the form's `schedule` field): windows of days,
 * from–to in the station's local time and a limit in MB/s, then the limit at any other time.
 * An empty limit is no limit. The first window that holds a moment decides it.
 */
export function ScheduleEditor() {
  const { t } = useTranslation();
  const clockRules = [
    { required: true, message: t('forwarding.schedule.clockFormat') },
    { pattern: CLOCK, message: t('forwarding.schedule.clockFormat') },
  ];
  return (
    <div data-testid="schedule-editor">
      <Form.List name={['schedule', 'windows']}>
        {(fields, { add, remove }) => (
          <Space orientation="vertical" size={4} style={{ width: '100%' }}>
            {fields.map((field) => (
              <Space
                key={field.key}
                align="start"
                wrap
                size={6}
                data-testid="schedule-window"
                style={{ padding: '6px 8px', background: 'rgba(0,0,0,0.02)', borderRadius: 6 }}
              >
                <Form.Item
                  name={[field.name, 'days']}
                  rules={[{ required: true, message: t('forwarding.schedule.daysRequired') }]}
                  style={{ marginBottom: 0 }}
                >
                  <Checkbox.Group
                    options={DAYS.map((day) => ({
                      value: day,
                      label: t(`forwarding.schedule.days.${day}`),
                    }))}
                  />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'from']}
                  rules={clockRules}
                  style={{ marginBottom: 0 }}
                >
                  <Input
                    placeholder="08:00"
                    style={{ width: 72 }}
                    aria-label={t('forwarding.schedule.from')}
                  />
                </Form.Item>
                <span style={{ lineHeight: '32px' }}>–</span>
                <Form.Item
                  name={[field.name, 'to']}
                  dependencies={[['schedule', 'windows', field.name, 'from']]}
                  rules={[
                    ...clockRules,
                    ({ getFieldValue }) => ({
                      validator: (_rule, value: string | undefined) => {
                        const from = getFieldValue(['schedule', 'windows', field.name, 'from']) as
                          string | undefined;
                        return value === undefined || from === undefined || from < value
                          ? Promise.resolve()
                          : Promise.reject(new Error(t('forwarding.schedule.endAfterStart')));
                      },
                    }),
                  ]}
                  style={{ marginBottom: 0 }}
                >
                  <Input
                    placeholder="18:00"
                    style={{ width: 72 }}
                    aria-label={t('forwarding.schedule.to')}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'mbPerSecond']} style={{ marginBottom: 0 }}>
                  <InputNumber
                    min={0.1}
                    max={100000}
                    step={1}
                    suffix="MB/s"
                    placeholder={t('forwarding.schedule.unlimited')}
                    style={{ width: 150 }}
                    aria-label={t('forwarding.schedule.limitLabel')}
                  />
                </Form.Item>
                <Button
                  type="text"
                  icon={<DeleteOutlined />}
                  onClick={() => remove(field.name)}
                  aria-label={t('forwarding.schedule.removeWindow')}
                />
              </Space>
            ))}
            <Button
              type="dashed"
              size="small"
              icon={<PlusOutlined />}
              onClick={() =>
                add({ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00', mbPerSecond: 5 })
              }
              data-testid="schedule-add-window"
            >
              {t('forwarding.schedule.addWindow')}
            </Button>
          </Space>
        )}
      </Form.List>
      <Space align="center" size={8} style={{ marginTop: 8 }}>
        <Typography.Text>{t('forwarding.schedule.otherwiseLabel')}</Typography.Text>
        <Form.Item name={['schedule', 'otherwise']} noStyle>
          <InputNumber
            min={0.1}
            max={100000}
            suffix="MB/s"
            placeholder={t('forwarding.schedule.unlimited')}
            style={{ width: 150 }}
            data-testid="schedule-otherwise"
          />
        </Form.Item>
      </Space>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }}>
        {t('forwarding.schedule.help')}
      </Typography.Paragraph>
    </div>
  );
}
