import { describe, expect, it } from 'vitest';
import { defaultScreen, screenFromHash, screensFor } from '../../src-renderer/app/routes';

describe('renderer navigation', () => {
  it('shows each role only the screens its permissions open', () => {
    expect(screensFor('officer')).toEqual(['dock', 'home']);
    expect(screensFor('custodian')).toEqual(['dock', 'home', 'recorders', 'policy', 'audit']);
    expect(screensFor('supervisor')).toEqual([
      'dock',
      'home',
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
    expect(screenFromHash('#/users', 'custodian')).toBe('home');
    expect(screenFromHash('#/users', 'officer')).toBe('dock');
    expect(screenFromHash('#/recorders', 'officer')).toBe('dock');
    expect(screenFromHash('#/home', 'officer')).toBe('home');
    expect(screenFromHash('#/dock', 'admin')).toBe('dock');
    expect(screenFromHash('#/cases', 'admin')).toBe('home');
    expect(screenFromHash('', 'admin')).toBe('home');
    expect(screenFromHash('', 'officer')).toBe('dock');
  });
});
