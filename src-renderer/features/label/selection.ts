/**
 * Picking clips out of a list with the keyboard as well as the mouse: arrows move the focus,
 * space toggles the focused clip, shift extends a range from the anchor, ctrl+A takes them all,
 * Escape lets them all go. Pure: the Label screen keeps the state and renders it.
 */
export interface SelectionState {
  selected: ReadonlySet<number>;
  /** The clip the keyboard is on. */
  focus: number | null;
  /** Where a shift-range starts: the last clip toggled or clicked. */
  anchor: number | null;
}

export const EMPTY_SELECTION: SelectionState = { selected: new Set(), focus: null, anchor: null };

export interface KeyPress {
  key: string;
  shift?: boolean;
  ctrl?: boolean;
}

function range(ids: readonly number[], from: number, to: number): number[] {
  const a = ids.indexOf(from);
  const b = ids.indexOf(to);
  if (a < 0 || b < 0) return [to];
  return ids.slice(Math.min(a, b), Math.max(a, b) + 1);
}

function toggled(selected: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/**
 * A key pressed on the list, `ids` in the order shown. Returns the next state, or null when the
 * key is not one the list handles (the caller then lets it through).
 */
export function pressKey(
  state: SelectionState,
  ids: readonly number[],
  press: KeyPress,
): SelectionState | null {
  if (ids.length === 0) return null;
  const { key, shift = false, ctrl = false } = press;
  if (ctrl && (key === 'a' || key === 'A')) {
    return { selected: new Set(ids), focus: state.focus ?? ids[0] ?? null, anchor: state.anchor };
  }
  if (key === 'Escape') {
    return state.selected.size === 0 ? null : { ...state, selected: new Set() };
  }
  const at = state.focus === null ? -1 : ids.indexOf(state.focus);
  let target: number | null = null;
  if (key === 'ArrowDown') target = at < 0 ? 0 : Math.min(ids.length - 1, at + 1);
  else if (key === 'ArrowUp') target = at < 0 ? 0 : Math.max(0, at - 1);
  else if (key === 'Home') target = 0;
  else if (key === 'End') target = ids.length - 1;
  if (target !== null) {
    const focus = ids[target] ?? null;
    if (focus === null) return null;
    if (!shift) return { ...state, focus };
    const anchor = state.anchor ?? state.focus ?? focus;
    return { selected: new Set(range(ids, anchor, focus)), focus, anchor };
  }
  if (key === ' ' || key === 'Spacebar') {
    const focus = at < 0 ? (ids[0] ?? null) : state.focus;
    if (focus === null) return null;
    if (shift && state.anchor !== null) {
      return {
        selected: new Set([...state.selected, ...range(ids, state.anchor, focus)]),
        focus,
        anchor: state.anchor,
      };
    }
    return { selected: toggled(state.selected, focus), focus, anchor: focus };
  }
  return null;
}

/** A click on a clip: toggles it; with shift, adds the range from the anchor. */
export function clickClip(
  state: SelectionState,
  ids: readonly number[],
  id: number,
  shift = false,
): SelectionState {
  if (shift && state.anchor !== null && ids.includes(state.anchor)) {
    return {
      selected: new Set([...state.selected, ...range(ids, state.anchor, id)]),
      focus: id,
      anchor: state.anchor,
    };
  }
  return { selected: toggled(state.selected, id), focus: id, anchor: id };
}

/** After the list changed (clips labelled, a reload): forget clips that are gone. */
export function keepShown(state: SelectionState, ids: readonly number[]): SelectionState {
  const shown = new Set(ids);
  const selected = new Set([...state.selected].filter((id) => shown.has(id)));
  const focus = state.focus !== null && shown.has(state.focus) ? state.focus : (ids[0] ?? null);
  const anchor = state.anchor !== null && shown.has(state.anchor) ? state.anchor : null;
  if (selected.size === state.selected.size && focus === state.focus && anchor === state.anchor) {
    return state;
  }
  return { selected, focus, anchor };
}

/** The selected ids in the order shown (the order the station is asked to label them). */
export function selectedInOrder(state: SelectionState, ids: readonly number[]): number[] {
  return ids.filter((id) => state.selected.has(id));
}
