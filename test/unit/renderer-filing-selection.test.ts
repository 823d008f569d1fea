import { describe, expect, it } from 'vitest';
import {
  clickClip,
  EMPTY_SELECTION,
  keepShown,
  pressKey,
  selectedInOrder,
  type SelectionState,
} from '../../src-renderer/features/label/selection';

const IDS = [11, 12, 13, 14, 15];

function press(state: SelectionState, key: string, mods: { shift?: boolean; ctrl?: boolean } = {}) {
  const next = pressKey(state, IDS, { key, ...mods });
  if (next === null) throw new Error(`${key} not handled`);
  return next;
}

describe('Label screen: picking clips with the keyboard', () => {
  it('moves the focus with the arrows without selecting, and toggles with space', () => {
    let s = press(EMPTY_SELECTION, 'ArrowDown');
    expect(s.focus).toBe(11);
    s = press(press(s, 'ArrowDown'), 'ArrowDown');
    expect(s.focus).toBe(13);
    expect(s.selected.size).toBe(0);
    s = press(s, ' ');
    expect([...s.selected]).toEqual([13]);
    s = press(s, ' ');
    expect(s.selected.size).toBe(0);
    expect(press(s, 'End').focus).toBe(15);
    expect(press(press(s, 'End'), 'ArrowDown').focus).toBe(15);
    expect(press(s, 'Home').focus).toBe(11);
    expect(press(press(s, 'Home'), 'ArrowUp').focus).toBe(11);
  });

  it('selects a range with shift from the last clip toggled', () => {
    let s = press(press(EMPTY_SELECTION, 'ArrowDown'), 'ArrowDown'); // on 12
    s = press(s, ' '); // 12 selected, anchor 12
    s = press(s, 'ArrowDown', { shift: true });
    s = press(s, 'ArrowDown', { shift: true });
    expect(selectedInOrder(s, IDS)).toEqual([12, 13, 14]);
    s = press(s, 'ArrowUp', { shift: true });
    expect(selectedInOrder(s, IDS)).toEqual([12, 13]);
    s = press(s, 'Home', { shift: true });
    expect(selectedInOrder(s, IDS)).toEqual([11, 12]);
  });

  it('takes every clip with ctrl+A and lets them go with Escape', () => {
    let s = press(EMPTY_SELECTION, 'a', { ctrl: true });
    expect(selectedInOrder(s, IDS)).toEqual(IDS);
    s = press(s, 'Escape');
    expect(s.selected.size).toBe(0);
    expect(pressKey(s, IDS, { key: 'Escape' })).toBeNull();
  });

  it('leaves other keys (Enter, letters) and empty lists to the caller', () => {
    expect(pressKey(EMPTY_SELECTION, IDS, { key: 'Enter' })).toBeNull();
    expect(pressKey(EMPTY_SELECTION, IDS, { key: 'x' })).toBeNull();
    expect(pressKey(EMPTY_SELECTION, [], { key: 'ArrowDown' })).toBeNull();
  });

  it('toggles on click and adds a range on shift-click', () => {
    let s = clickClip(EMPTY_SELECTION, IDS, 12);
    s = clickClip(s, IDS, 14, true);
    expect(selectedInOrder(s, IDS)).toEqual([12, 13, 14]);
    s = clickClip(s, IDS, 13);
    expect(selectedInOrder(s, IDS)).toEqual([12, 14]);
    expect(s.focus).toBe(13);
  });

  it('forgets clips that left the list (labelled) and keeps the state when nothing changed', () => {
    let s = press(EMPTY_SELECTION, 'a', { ctrl: true });
    s = { ...s, focus: 13, anchor: 13 };
    const after = keepShown(s, [11, 15]);
    expect(selectedInOrder(after, [11, 15])).toEqual([11, 15]);
    expect(after.focus).toBe(11);
    expect(after.anchor).toBeNull();
    expect(keepShown(after, [11, 15])).toBe(after);
  });
});
