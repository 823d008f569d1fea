import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorText } from './log';
import { recorderProfileSchema, type RecorderProfile } from './profile';

/** One thing wrong with one profile file; `field` is a dotted path into the JSON when known. */
export interface ProfileProblem {
  file: string;
  field?: string;
  message: string;
}

/** Every problem found in a profile folder at once, so a unit fixes them in one pass. */
export class ProfileLoadError extends Error {
  readonly problems: readonly ProfileProblem[];

  constructor(dir: string, problems: ProfileProblem[]) {
    const lines = problems.map(
      (p) => `  ${p.file}${p.field === undefined ? '' : ` (${p.field})`}: ${p.message}`,
    );
    super(`recorder profiles in ${dir} are not valid:\n${lines.join('\n')}`);
    this.name = 'ProfileLoadError';
    this.problems = problems;
  }
}

/** The largest profile file read; a profile is a page of JSON, anything bigger is a mistake. */
const MAX_PROFILE_BYTES = 256 * 1024;

/**
 * Reads and validates every `*.json` in `dir`, sorted by file name. A file's name (without
 * `.json`) must be its profile's id: ids stay unique and a profile is found where it is named.
 * Throws `ProfileLoadError` naming each file and field at fault; loads nothing if any is wrong,
 * because a half-loaded set would silently match volumes to the wrong model.
 */
export function loadProfiles(dir: string): RecorderProfile[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.toLowerCase().endsWith('.json'))
      .sort();
  } catch (error) {
    throw new ProfileLoadError(dir, [
      { file: dir, message: `cannot read the folder: ${errorText(error)}` },
    ]);
  }
  const problems: ProfileProblem[] = [];
  const profiles: RecorderProfile[] = [];
  for (const name of names) {
    const result = loadProfileFile(join(dir, name));
    if (result.ok) profiles.push(result.profile);
    else problems.push(...result.problems);
  }
  if (names.length === 0) problems.push({ file: dir, message: 'no *.json profile in the folder' });
  if (problems.length > 0) throw new ProfileLoadError(dir, problems);
  return profiles;
}

type FileResult =
  { ok: true; profile: RecorderProfile } | { ok: false; problems: ProfileProblem[] };

function loadProfileFile(path: string): FileResult {
  const file = basename(path);
  const fail = (message: string, field?: string): FileResult => ({
    ok: false,
    problems: [field === undefined ? { file, message } : { file, field, message }],
  });
  let text: string;
  try {
    if (statSync(path).size > MAX_PROFILE_BYTES) {
      return fail(`larger than ${MAX_PROFILE_BYTES} bytes`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return fail(`cannot read: ${errorText(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON: ${errorText(error)}`);
  }
  const parsed = recorderProfileSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        file,
        field: issue.path.length === 0 ? '(profile)' : issue.path.map(String).join('.'),
        message: issue.message,
      })),
    };
  }
  const expectedId = file.slice(0, -'.json'.length);
  if (parsed.data.id !== expectedId) {
    return fail(`the id must be the file name without .json ("${expectedId}")`, 'id');
  }
  return { ok: true, profile: parsed.data };
}

/**
 * The shipped `resources/recorders` folder. Both the bundled station (`dist/station/*.mjs`) and
 * the sources (`src-main/devices/*.ts`) sit two folders below the project root, so one relative
 * path serves both; `from` is the caller's `import.meta.url` (this module's by default).
 */
export function resolveProfilesDir(from: string = import.meta.url): string {
  const dir = fileURLToPath(new URL('../../resources/recorders/', from));
  if (!existsSync(dir)) {
    throw new Error(`the recorder profiles folder is missing: expected ${dir}`);
  }
  return dir.endsWith('/') || dir.endsWith('\\') ? dir.slice(0, -1) : dir;
}
