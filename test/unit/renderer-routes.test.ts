import { describe, expect, it } from 'vitest';
import {
  defaultScreen,
  hashFor,
  locationFromHash,
  screenFromHash,
  screensFor,
} from '../../src-renderer/shared/routes';

describe('renderer navigation', () => {
  it('shows each role only the screens its permissions open', () => {
    expect(screensFor('officer')).toEqual(['dock', 'label', 'home', 'clips', 'cases']);
    expect(screensFor('custodian')).toEqual([
      'dock',
      'label',
      'home',
      'clips',
      'cases',
      'reports',
      'forwarding',
      'discs',
      'recorders',
      'policy',
      // Custodians read the accounts to confirm the roles an admin asks for (D-CUSTODIAN).
      'users',
      'audit',
    ]);
    expect(screensFor('supervisor')).toEqual([
      'dock',
      'home',
      'clips',
      'cases',
      'reports',
      'forwarding',
      'discs',
      'recorders',
      'policy',
      'users',
      'audit',
    ]);
    expect(screensFor('admin')).toEqual(['dock', 'home', 'recorders', 'policy', 'users', 'audit']);
  });

  it('lands officers on the Dock screen and everyone else at home', () => {
    expect(defaultScreen('officer')).toBe('dock');
    expect(defaultScreen('custodian')).toBe('home');
    expect(defaultScreen('supervisor')).toBe('home');
    expect(defaultScreen('admin')).toBe('home');
  });

  it('falls back to the landing screen for an unknown or forbidden screen in the address', () => {
    expect(screenFromHash('#/audit', 'custodian')).toBe('audit');
    expect(screenFromHash('#/recorders', 'custodian')).toBe('recorders');
    expect(screenFromHash('#/users', 'custodian')).toBe('users');
    expect(screenFromHash('#/users', 'officer')).toBe('dock');
    expect(screenFromHash('#/recorders', 'officer')).toBe('dock');
    expect(screenFromHash('#/home', 'officer')).toBe('home');
    expect(screenFromHash('#/dock', 'admin')).toBe('dock');
    expect(screenFromHash('#/cases', 'admin')).toBe('home');
    expect(screenFromHash('#/reports', 'officer')).toBe('dock');
    expect(screenFromHash('#/label', 'supervisor')).toBe('home');
    expect(screenFromHash('', 'admin')).toBe('home');
    expect(screenFromHash('', 'officer')).toBe('dock');
  });

  it('opens the labelling, clips, cases and reports screens to the roles that use them', () => {
    expect(screenFromHash('#/label', 'officer')).toBe('label');
    expect(screenFromHash('#/clips', 'officer')).toBe('clips');
    expect(screenFromHash('#/reports', 'supervisor')).toBe('reports');
    expect(screenFromHash('#/reports', 'custodian')).toBe('reports');
    // Central storage: custodians manage it, supervisors read it; officers and admins never.
    expect(screenFromHash('#/forwarding', 'custodian')).toBe('forwarding');
    expect(screenFromHash('#/forwarding', 'supervisor')).toBe('forwarding');
    expect(screenFromHash('#/forwarding', 'officer')).toBe('dock');
    expect(screenFromHash('#/forwarding', 'admin')).toBe('home');
  });

  it('carries a case number in the address, encoded both ways', () => {
    const number = '辽执罚〔2024〕第17号';
    const hash = hashFor('cases', number);
    expect(hash.startsWith('#/cases/')).toBe(true);
    expect(locationFromHash(hash, 'custodian')).toEqual({ screen: 'cases', param: number });
    expect(locationFromHash('#/cases', 'custodian')).toEqual({ screen: 'cases', param: null });
    expect(locationFromHash('#/cases/', 'custodian')).toEqual({ screen: 'cases', param: null });
    expect(locationFromHash('#/cases/%E0%A4', 'custodian')).toEqual({
      screen: 'cases',
      param: null,
    });
    expect(locationFromHash(`#/cases/${encodeURIComponent('X-1')}`, 'admin')).toEqual({
      screen: 'home',
      param: null,
    });
    expect(hashFor('label')).toBe('#/label');
  });
});
