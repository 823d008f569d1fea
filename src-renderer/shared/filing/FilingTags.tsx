import { Tag, Tooltip } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type {
  Confidentiality,
  EnforcementKind,
  FiledClip,
  Stage,
} from '../../../src-main/contract';
import { formatLocalTime } from '../../i18n/format';

const TAG = { marginInlineEnd: 0 } as const;

export function KindTag({ kind }: { kind: EnforcementKind | null }) {
  const { t } = useTranslation();
  if (kind === null) return null;
  return (
    <Tag color="geekblue" style={TAG}>
      {t(`filing.kinds.${kind}`)}
    </Tag>
  );
}

export function StageTag({ stage }: { stage: Stage | null }) {
  const { t } = useTranslation();
  if (stage === null) return null;
  return <Tag style={TAG}>{t(`filing.stages.${stage}`)}</Tag>;
}

/** D-CONFIDENTIAL: shown only when the clip is not ordinary. */
export function ConfidentialityTag({ level }: { level: Confidentiality }) {
  const { t } = useTranslation();
  if (level === 'none') return null;
  return (
    <Tag
      color={level === 'state' ? 'red' : 'orange'}
      icon={<LockOutlined />}
      style={TAG}
      data-confidentiality={level}
    >
      {t(`filing.confidentiality.${level}`)}
    </Tag>
  );
}

/** Filed (D-LABEL holds) or what it still lacks. */
export function LabelStatusTag({ clip }: { clip: FiledClip }) {
  const { t } = useTranslation();
  if (clip.filing.labelled) {
    return (
      <Tag color="success" style={TAG} data-testid={`label-status-${clip.id}`} data-labelled="yes">
        {t('filing.status.labelled')}
      </Tag>
    );
  }
  const missing = clip.filing.missing.map((field) => t(`filing.fields.${field}`)).join('、');
  return (
    <Tooltip title={t('filing.status.missing', { fields: missing })}>
      <Tag color="warning" style={TAG} data-testid={`label-status-${clip.id}`} data-labelled="no">
        {t('filing.status.unlabelled')}
      </Tag>
    </Tooltip>
  );
}

/** D-RETAIN, D-LONGTERM: the retention class, and when the period ends. */
export function RetentionTag({ clip }: { clip: FiledClip }) {
  const { t } = useTranslation();
  const { retentionClass, dueAt, due } = clip.filing.retention;
  const text = t(`filing.retention.${retentionClass}`);
  return (
    <Tooltip
      title={
        dueAt === null
          ? t('filing.retention.noDue')
          : t('filing.retention.dueAt', { at: formatLocalTime(dueAt).slice(0, 10) })
      }
    >
      <Tag
        color={due ? 'volcano' : retentionClass === 'long-term' ? 'purple' : 'default'}
        style={TAG}
      >
        {text}
        {due && ` · ${t('filing.retention.due')}`}
      </Tag>
    </Tooltip>
  );
}
