import { Form, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Case, Label, User } from '../../../src-main/contract';
import { LabelForm, type LabelApplied } from '../../shared/filing/LabelForm';
import {
  initialLabelForm,
  labelToForm,
  type LabelFormValues,
} from '../../shared/filing/labelPatch';
import { useFilingPolicy } from '../../shared/filing/useFilingPolicy';
import { useRecentCases } from '../../shared/filing/useRecentCases';

const NO_CASES: Case[] = [];

/**
 * The label form in a dialog, for clips picked elsewhere (the Clips screen): one clip shows its
 * label as it stands; several start empty, and only what is filled in changes.
 */
export function LabelModal({
  clipIds,
  label,
  currentUser,
  onClose,
  onApplied,
}: {
  clipIds: number[] | null;
  /** The label of the one clip being relabelled (null for several, or none yet). */
  label: Label | null;
  currentUser: User;
  onClose: () => void;
  onApplied: (applied: LabelApplied) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<LabelFormValues>();
  const policy = useFilingPolicy(currentUser.role);
  const open = clipIds !== null && clipIds.length > 0;
  // Asked again at each opening; without them the form offers no recent cases.
  const recent = useRecentCases(open).recent?.cases ?? NO_CASES;

  const initial =
    clipIds !== null && clipIds.length === 1 && label !== null
      ? labelToForm(label)
      : initialLabelForm(null);

  return (
    <Modal
      open={open}
      title={t('clips.labelTitle', { count: clipIds?.length ?? 0 })}
      footer={null}
      onCancel={onClose}
      destroyOnHidden
      width={520}
    >
      {clipIds !== null && clipIds.length > 1 && (
        <Typography.Paragraph type="secondary">{t('clips.labelBulkHint')}</Typography.Paragraph>
      )}
      {open && (
        <LabelForm
          form={form}
          target={{ clipIds }}
          targetCount={clipIds.length}
          initial={initial}
          recentCases={recent}
          requiredFields={policy?.labelRequiredFields ?? []}
          enforceRequired={false}
          policy={policy}
          currentUser={currentUser}
          onApplied={onApplied}
        />
      )}
    </Modal>
  );
}
