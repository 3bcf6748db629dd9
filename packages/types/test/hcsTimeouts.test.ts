import { describe, expect, it } from 'vitest';
import { DEFAULT_HCS_TIMEOUTS, HCS_TIMEOUT_ENV_VARS, ValidationError, timeoutsFromEnv } from '@uvm/types';

describe('DEFAULT_HCS_TIMEOUTS', () => {
  it("are hcsshim's defaults in milliseconds: four minutes, two for the GCS connection", () => {
    expect(DEFAULT_HCS_TIMEOUTS).toEqual({
      systemCreate: 240_000,
      systemStart: 240_000,
      systemPause: 240_000,
      systemResume: 240_000,
      systemSave: 240_000,
      syscallWatcher: 240_000,
      gcsConnection: 120_000,
    });
  });

  it('name an HCSSHIM_TIMEOUT_* variable for every timeout', () => {
    expect(Object.keys(HCS_TIMEOUT_ENV_VARS).sort()).toEqual(Object.keys(DEFAULT_HCS_TIMEOUTS).sort());
    expect(HCS_TIMEOUT_ENV_VARS.gcsConnection).toBe('HCSSHIM_TIMEOUT_GCSCONNECTION');
    expect(HCS_TIMEOUT_ENV_VARS.syscallWatcher).toBe('HCSSHIM_TIMEOUT_SYSCALLWATCHER');
  });
});

describe('timeoutsFromEnv', () => {
  it('returns the defaults when no variable is set', () => {
    expect(timeoutsFromEnv({ PATH: '/usr/bin' })).toEqual(DEFAULT_HCS_TIMEOUTS);
  });

  it('reads each override as whole seconds and returns milliseconds', () => {
    const timeouts = timeoutsFromEnv({ HCSSHIM_TIMEOUT_SYSTEMSTART: '600', HCSSHIM_TIMEOUT_GCSCONNECTION: '30' });
    expect(timeouts.systemStart).toBe(600_000);
    expect(timeouts.gcsConnection).toBe(30_000);
    expect(timeouts.systemCreate).toBe(DEFAULT_HCS_TIMEOUTS.systemCreate);
  });

  it('applies every variable of HCS_TIMEOUT_ENV_VARS to its own timeout', () => {
    const env = Object.fromEntries(Object.values(HCS_TIMEOUT_ENV_VARS).map((name, i) => [name, String(i + 1)]));
    const timeouts = timeoutsFromEnv(env);
    Object.entries(HCS_TIMEOUT_ENV_VARS).forEach(([key, name]) => {
      expect(timeouts[key as keyof typeof timeouts]).toBe(Number(env[name]) * 1000);
    });
  });

  it('does not change the defaults it started from', () => {
    timeoutsFromEnv({ HCSSHIM_TIMEOUT_SYSTEMSTART: '1' });
    expect(DEFAULT_HCS_TIMEOUTS.systemStart).toBe(240_000);
  });

  it.each([['0'], ['-5'], ['1.5'], ['abc'], [''], [' 30'], ['1e3'], ['0x10'], ['2147484']])(
    'rejects %j with a ValidationError naming the variable',
    (value) => {
      let caught: unknown;
      try {
        timeoutsFromEnv({ HCSSHIM_TIMEOUT_SYSTEMSTART: value });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      const error = caught as ValidationError;
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.path).toBe('/HCSSHIM_TIMEOUT_SYSTEMSTART');
      expect(error.message).toContain('HCSSHIM_TIMEOUT_SYSTEMSTART must be a whole number of seconds');
      expect(error.message).toContain(JSON.stringify(value));
    },
  );

  it('accepts the longest wait a Node timer can honour', () => {
    expect(timeoutsFromEnv({ HCSSHIM_TIMEOUT_SYSTEMSAVE: '2147483' }).systemSave).toBe(2_147_483_000);
  });

  it('lists every bad variable in one error', () => {
    expect(() => timeoutsFromEnv({ HCSSHIM_TIMEOUT_SYSTEMCREATE: 'x', HCSSHIM_TIMEOUT_SYSTEMPAUSE: '0' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: '/HCSSHIM_TIMEOUT_SYSTEMCREATE' }), expect.objectContaining({ path: '/HCSSHIM_TIMEOUT_SYSTEMPAUSE' })] }) as Error,
    );
  });
});
