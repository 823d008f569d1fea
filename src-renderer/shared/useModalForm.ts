import { useState } from 'react';
import { Form, type FormInstance } from 'antd';

/**
 * What every form in a modal needs: the form, a busy flag while the station answers, the error
 * to show, a close that forgets what was typed, and `run`, which does one station call and turns
 * a failure into the error the form shows (`explain` picks the words).
 */
export function useModalForm<T>(
  onClose: () => void,
  explain: (cause: unknown) => string,
): {
  form: FormInstance<T>;
  busy: boolean;
  error: string | null;
  close: () => void;
  /** `explainThis` replaces `explain` for one call that knows better (it sees the values). */
  run: (action: () => Promise<void>, explainThis?: (cause: unknown) => string) => Promise<void>;
} {
  const [form] = Form.useForm<T>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    form.resetFields();
    setError(null);
    onClose();
  };
  const run = async (
    action: () => Promise<void>,
    explainThis: (cause: unknown) => string = explain,
  ) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (cause) {
      setError(explainThis(cause));
    } finally {
      setBusy(false);
    }
  };
  return { form, busy, error, close, run };
}
