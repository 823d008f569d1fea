import { Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  badgeSchema,
  CONFIDENTIALITY,
  LONG_TERM_REASONS,
  type OptionalLabelField,
} from '../../../src-main/contract';
import { RuleTag } from '../RuleTag';
import { kindOptions, stageOptions } from './options';

/**
 * What the record shows, below the case: kind, stage, place, confidentiality, parties, officers
 * present, long-term keeping and notes. The unit's required fields are marked; they are enforced
 * only with `enforceRequired` (an edit from the archive changes just the fields it touches).
 */
export function LabelRecordFields({
  requiredFields,
  enforceRequired,
}: {
  requiredFields: readonly OptionalLabelField[];
  enforceRequired: boolean;
}) {
  const { t } = useTranslation();
  const required = (field: OptionalLabelField) => requiredFields.includes(field);
  const requiredRule = (field: OptionalLabelField) =>
    enforceRequired && required(field)
      ? [
          {
            required: true,
            message: t('label.form.fieldRequired', { field: t(`filing.fields.${field}`) }),
          },
        ]
      : [];

  return (
    <>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="kind"
            label={t('filing.fields.kind')}
            required={required('kind')}
            rules={requiredRule('kind')}
          >
            <Select
              allowClear
              options={kindOptions(t)}
              placeholder={t('label.form.choose')}
              data-testid="label-kind"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="stage"
            label={t('filing.fields.stage')}
            required={required('stage')}
            rules={requiredRule('stage')}
          >
            <Select
              allowClear
              options={stageOptions(t)}
              placeholder={t('label.form.choose')}
              data-testid="label-stage"
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="place"
            label={t('filing.fields.place')}
            required={required('place')}
            rules={requiredRule('place')}
          >
            <Input autoComplete="off" maxLength={200} data-testid="label-place" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="confidentiality"
            label={
              <span>
                {t('filing.fields.confidentiality')} <RuleTag rule="D-CONFIDENTIAL" />
              </span>
            }
          >
            <Select
              options={CONFIDENTIALITY.map((level) => ({
                value: level,
                label: t(`filing.confidentiality.${level}`),
              }))}
              data-testid="label-confidentiality"
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="parties"
            label={t('filing.fields.parties')}
            required={required('parties')}
            rules={requiredRule('parties')}
          >
            <Select
              mode="tags"
              open={false}
              suffixIcon={null}
              tokenSeparators={[',', '，', '、', ';', '；']}
              placeholder={t('label.form.partiesPlaceholder')}
              data-testid="label-parties"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="officersPresent"
            label={t('filing.fields.officersPresent')}
            required={required('officersPresent')}
            rules={[
              ...requiredRule('officersPresent'),
              {
                validator: (_rule: unknown, value: string[] | undefined) =>
                  (value ?? []).every((badge) => badgeSchema.safeParse(badge).success)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('validation.badgeFormat'))),
              },
            ]}
          >
            <Select
              mode="tags"
              open={false}
              suffixIcon={null}
              tokenSeparators={[',', '，', '、', ' ', ';', '；']}
              placeholder={t('label.form.officersPlaceholder')}
              data-testid="label-officers"
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="longTermReason"
            label={
              <span>
                {t('filing.fields.longTerm')} <RuleTag rule="D-LONGTERM" />
              </span>
            }
          >
            <Select
              allowClear
              placeholder={t('label.form.longTermNone')}
              options={LONG_TERM_REASONS.map((reason) => ({
                value: reason,
                label: t(`filing.longTerm.${reason}`),
              }))}
              data-testid="label-long-term"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="notes"
            label={t('filing.fields.notes')}
            required={required('notes')}
            rules={requiredRule('notes')}
          >
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item noStyle shouldUpdate={(a, b) => a.longTermReason !== b.longTermReason}>
        {({ getFieldValue }) =>
          getFieldValue('longTermReason') ? (
            <Form.Item name="longTermText" label={t('label.form.longTermText')}>
              <Input autoComplete="off" maxLength={500} />
            </Form.Item>
          ) : null
        }
      </Form.Item>
    </>
  );
}
