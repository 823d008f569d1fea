import { describe, expect, it } from 'vitest';
import { screenFromHash, screensFor } from '../../src-renderer/app/routes';

describe('renderer navigation', () => {
  it('shows each role only the screens its permissions open', () => {
    expect(screensFor('officer')).toEqual(['home']);
    expect(screensFor('custodian')).toEqual(['home', 'audit']);
    expect(screensFor('supervisor')).toEqual(['home', 'users', 'audit']);
    expect(screensFor('admin')).toEqual(['home', 'users', 'audit']);
  });

  it('falls back to home for an unknown or forbidden screen in the address', () => {
    expect(screenFromHash('#/audit', 'custodian')).toBe('audit');
    expect(screenFromHash('#/users', 'custodian')).toBe('home');
    expect(screenFromHash('#/users', 'officer')).toBe('home');
    expect(screenFromHash('#/dock', 'admin')).toBe('home');
    expect(screenFromHash('', 'admin')).toBe('home');
  });
});
