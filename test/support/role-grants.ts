// The second person of separation of duties (D-CUSTODIAN), for tests that need custodians and
// supervisors: an admin asks for the role, a custodian who neither asked nor is named confirms
// it, through the station's door or its command line, exactly as at a station.
import type { RoleGrant, RpcResult } from '../../src-main/contract';
import { runCli } from './cli';

type Dispatch = (call: { method: string; params: unknown; session?: string }) => Promise<RpcResult>;

/** Confirms every role waiting for a custodian, as the custodian of session `custodian`. */
export async function confirmWaitingRoles(dispatch: Dispatch, custodian: string): Promise<void> {
  const listed = await dispatch({ method: 'users.grants.list', params: {}, session: custodian });
  if (!listed.ok) throw new Error(`users.grants.list: ${listed.error.message}`);
  for (const grant of (listed.value as { grants: RoleGrant[] }).grants) {
    const confirmed = await dispatch({
      method: 'users.grants.confirm',
      params: { id: grant.id },
      session: custodian,
    });
    if (!confirmed.ok) throw new Error(`confirm ${grant.badge}: ${confirmed.error.message}`);
  }
}

/** The same with `evidock users grants`, as `custodian` typing `password`. */
export async function confirmWaitingRolesByCli(
  dataDir: string,
  custodian: string,
  password: string,
): Promise<void> {
  const at = ['--data-dir', dataDir, '--json'];
  const listed = await runCli(['users', 'grants', 'list', ...at]);
  if (listed.code !== 0) throw new Error(`users grants list: ${listed.stdout}${listed.stderr}`);
  for (const grant of (listed.json() as { grants: RoleGrant[] }).grants) {
    const confirmed = await runCli(
      ['users', 'grants', 'confirm', '--id', String(grant.id), '--user', custodian, ...at],
      `${password}\n`,
    );
    if (confirmed.code !== 0) {
      throw new Error(`confirm ${grant.badge}: ${confirmed.stdout}${confirmed.stderr}`);
    }
  }
}
