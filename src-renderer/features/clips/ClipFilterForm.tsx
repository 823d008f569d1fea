import { Button, Card, Checkbox, DatePicker, Form, Input, Select, Space } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { kindOptions, stageOptions } from '../../shared/filing/options';
import type { ClipFilterValues } from './clipFilters';

interface FilterForm extends Omit<ClipFilterValues, 'from' | 'to'> {
  range?: [Dayjs | null, Dayjs | null] | null;
}

function toFilters(form: FilterForm): ClipFilterValues {
  const { range, ...rest } = form;
  return {
    ...rest,
    from: range?.[0]?.toISOString() ?? null,
    to: range?.[1]?.toISOString() ?? null,
  };
}

/**
 * What the archive is searched by: officer (not for officers: they see their own), recorder,
 * time, case, kind, stage, place, label status, text, and the clips that need attention.
 * `onSearch` gets the filters on "search", and none on "reset".
 */
export function ClipFilterForm({
  isOfficer,
  onSearch,
}: {
  isOfficer: boolean;
  onSearch: (filters: ClipFilterValues) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FilterForm>();

  return (
    <Card size="small">
      <Form<FilterForm>
        form={form}
        layout="inline"
        onFinish={(values) => onSearch(toFilters(values))}
        data-testid="clips-filters"
        style={{ rowGap: 8 }}
      >
        {!isOfficer && (
          <Form.Item name="officerBadge">
            <Input
              placeholder={t('clips.filters.officer')}
              allowClear
              style={{ width: 120 }}
              data-testid="filter-officer"
            />
          </Form.Item>
        )}
        <Form.Item name="recorderSerial">
          <Input placeholder={t('clips.filters.recorder')} allowClear style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowEmpty={[true, true]}
            placeholder={[t('clips.filters.from'), t('clips.filters.to')]}
            style={{ width: 330 }}
          />
        </Form.Item>
        <Form.Item name="caseNumber">
          <Input
            placeholder={t('clips.filters.case')}
            allowClear
            style={{ width: 210 }}
            data-testid="filter-case"
          />
        </Form.Item>
        <Form.Item name="kind">
          <Select
            placeholder={t('filing.fields.kind')}
            allowClear
            options={kindOptions(t)}
            style={{ width: 110 }}
          />
        </Form.Item>
        <Form.Item name="stage">
          <Select
            placeholder={t('filing.fields.stage')}
            allowClear
            options={stageOptions(t)}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item name="place">
          <Input placeholder={t('filing.fields.place')} allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="labelled">
          <Select
            placeholder={t('clips.filters.labelStatus')}
            allowClear
            style={{ width: 120 }}
            options={[
              { value: 'yes', label: t('filing.status.labelled') },
              { value: 'no', label: t('filing.status.unlabelled') },
            ]}
            data-testid="filter-labelled"
          />
        </Form.Item>
        <Form.Item name="text">
          <Input
            placeholder={t('clips.filters.text')}
            allowClear
            style={{ width: 180 }}
            prefix={<SearchOutlined />}
          />
        </Form.Item>
        <Form.Item name="lateCustody" valuePropName="checked">
          <Checkbox>{t('clips.filters.lateCustody')}</Checkbox>
        </Form.Item>
        <Form.Item name="hasFindings" valuePropName="checked">
          <Checkbox>{t('clips.filters.findings')}</Checkbox>
        </Form.Item>
        <Form.Item name="retentionDue" valuePropName="checked">
          <Checkbox>{t('clips.filters.retentionDue')}</Checkbox>
        </Form.Item>
        <Form.Item>
          <Space>
            <Button
              type="primary"
              htmlType="submit"
              icon={<SearchOutlined />}
              data-testid="clips-search"
            >
              {t('clips.filters.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                onSearch({});
              }}
            >
              {t('clips.filters.reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}
